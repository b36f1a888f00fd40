// Bundles every post-login Action (`actions/src/*.ts`, helpers in `actions/src/lib/` are inlined) into one
// readable CommonJS file for Auth0's node22 runtime, plus a manifest of content hashes so deploy can skip
// unchanged Actions. Output is deterministic: same sources → same bytes → same hash.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

export interface BundledAction {
  /** Action name = entry file name without `.ts`, e.g. `step-up-challenge`. */
  name: string;
  /** Absolute path of the written bundle. */
  path: string;
  code: string;
  /** Hex SHA-256 of `code` (UTF-8). */
  sha256: string;
  bytes: number;
}

export interface ManifestEntry {
  name: string;
  /** Bundle file name relative to the manifest. */
  file: string;
  sha256: string;
  bytes: number;
}

export interface BundleOptions {
  /** Where bundles and manifest.json go; default `<repo>/dist/actions`. */
  outDir?: string;
  /** Folder of Action entry files; default `<root>/actions/src`. */
  srcDir?: string;
  /**
   * The checkout the sources belong to (default: this repository). Paths in the bundle are relative to it, so a
   * checkout of another commit (a rollback's worktree) bundles to the same bytes as that commit did.
   */
  rootDir?: string;
}

/** Auth0's documented per-Action code limit (npm modules excluded). */
export const AUTH0_ACTION_CODE_LIMIT_BYTES = 100_000;
/** Our own budget per Action; the step-up Actions must stay small enough to review in the dashboard. */
export const ACTION_BUDGETS_BYTES: Readonly<Record<string, number>> = {
  'step-up-challenge': 4096,
  'step-up-evidence': 4096,
};

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBuiltins = new Set(builtinModules);

export async function bundleActions(options: BundleOptions = {}): Promise<BundledAction[]> {
  const root = resolve(options.rootDir ?? repoRoot);
  const srcDir = resolve(options.srcDir ?? join(root, 'actions', 'src'));
  const outDir = resolve(options.outDir ?? join(root, 'dist', 'actions'));
  const entries = await listActionEntries(srcDir);
  if (entries.length === 0)
    throw new Error(`bundleActions: no Action entry files (*.ts) in ${srcDir}`);

  const bundles: BundledAction[] = [];
  for (const entry of entries) {
    const name = basename(entry, '.ts');
    const code = await bundleOne(entry, name, root);
    bundles.push({
      name,
      path: join(outDir, `${name}.js`),
      code,
      sha256: createHash('sha256').update(code, 'utf8').digest('hex'),
      bytes: Buffer.byteLength(code, 'utf8'),
    });
  }

  // Everything built before anything is written; each file is replaced atomically and the manifest goes last.
  await mkdir(outDir, { recursive: true });
  for (const bundle of bundles) await writeFileAtomic(bundle.path, bundle.code);
  const manifest: ManifestEntry[] = bundles.map(({ name, sha256, bytes }) => ({
    name,
    file: `${name}.js`,
    sha256,
    bytes,
  }));
  await writeFileAtomic(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return bundles;
}

async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}

/** Budget violations (empty when every bundle fits): Auth0's hard limit and our per-Action budgets. */
export function checkBundleBudgets(bundles: readonly BundledAction[]): string[] {
  const problems: string[] = [];
  for (const bundle of bundles) {
    const limit = Math.min(
      ACTION_BUDGETS_BYTES[bundle.name] ?? Infinity,
      AUTH0_ACTION_CODE_LIMIT_BYTES,
    );
    if (bundle.bytes > limit)
      problems.push(`${bundle.name}: ${bundle.bytes} bytes exceeds the ${limit}-byte budget`);
  }
  return problems;
}

async function listActionEntries(srcDir: string): Promise<string[]> {
  const files = await readdir(srcDir, { withFileTypes: true });
  return files
    .filter((file) => file.isFile() && file.name.endsWith('.ts') && !file.name.endsWith('.d.ts'))
    .map((file) => join(srcDir, file.name))
    .sort();
}

async function bundleOne(entry: string, name: string, root: string): Promise<string> {
  const exportNames = await entryExports(entry, root);
  const entryLabel = relative(root, entry);
  if (!exportNames.includes('onExecutePostLogin'))
    throw new Error(`bundleActions: ${entryLabel} does not export onExecutePostLogin`);
  if (exportNames.includes('default'))
    throw new Error(
      `bundleActions: ${entryLabel} has a default export; Auth0 calls named exports only`,
    );
  // A CJS shim as the entry: the Action's exports become plain `exports.x = x` assignments instead of esbuild's
  // ESM→CJS interop helpers (~1 KB of boilerplate a reviewer would have to read past in the dashboard).
  const importPath = `./${relative(root, entry).split('\\').join('/')}`;
  const shim = [
    `import { ${exportNames.join(', ')} } from ${JSON.stringify(importPath)};`,
    ...exportNames.map((exported) => `exports.${exported} = ${exported};`),
  ].join('\n');
  const result = await build({
    ...commonOptions(root),
    stdin: {
      contents: shim,
      resolveDir: root,
      sourcefile: `${name} (Auth0 entry)`,
      loader: 'js',
    },
    format: 'cjs',
    // "use strict" keeps the ES-module semantics the TypeScript was written for.
    banner: {
      js: `// Auth0 Action "${name}", built from ${importPath.slice(2)} by actions/bundle.ts. Do not edit here.\n"use strict";`,
    },
    // The shim's `exports` is the CommonJS one Auth0 (and load-bundle.ts) provides, on purpose.
    logOverride: { 'commonjs-variable-in-esm': 'silent' },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`bundleActions: esbuild produced no output for ${entry}`);
  return output.text;
}

/** Names the entry file exports, from a first ESM build's metafile. */
async function entryExports(entry: string, root: string): Promise<string[]> {
  const result = await build({
    ...commonOptions(root),
    entryPoints: [entry],
    format: 'esm',
    metafile: true,
  });
  return Object.values(result.metafile.outputs)
    .flatMap((output) => output.exports)
    .sort();
}

function commonOptions(root: string) {
  return {
    // Paths in the bundle's `// file` comments are relative to this, so output does not depend on the clone path.
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node22',
    minify: false,
    sourcemap: false,
    legalComments: 'inline',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
    plugins: [onlyLocalAndBuiltinImports()],
  } satisfies BuildOptions;
}

/** Auth0 Actions here carry no npm dependencies: any bare import that is not a node built-in fails the build. */
function onlyLocalAndBuiltinImports(): Plugin {
  return {
    name: 'only-local-and-builtin-imports',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point' || args.path.startsWith('.') || args.path.startsWith('/'))
          return undefined;
        const bare = args.path.replace(/^node:/, '');
        if (args.path.startsWith('node:') || nodeBuiltins.has(bare))
          return { path: args.path, external: true };
        return {
          errors: [
            {
              text: `"${args.path}" is not a node built-in or a local file; Actions must not have runtime npm dependencies`,
            },
          ],
        };
      });
      pluginBuild.onLoad({ filter: /[\\/]node_modules[\\/]/ }, (args) => ({
        errors: [
          { text: `${args.path} is inside node_modules; Actions must not bundle npm packages` },
        ],
      }));
    },
  };
}
