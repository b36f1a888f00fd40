// Bundles every Action (`actions/src/*.ts`; helpers in `actions/src/lib/` and npm packages are inlined) into one
// readable CommonJS file for Auth0's node22 runtime, plus a manifest of content hashes so deploy can skip
// unchanged Actions. Output is deterministic: same sources → same bytes → same hash. An npm package the Action
// declares as an Auth0 dependency (tenant.yaml `dependencies`, see build-config.ts) stays a `require()`.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import {
  loadBuildConfig,
  lockedVersion,
  readDeclaredDependencies,
  type ActionsBuildConfig,
} from './build-config.js';
import { isNodeBuiltin, packageNameOf, type ActionDependency } from './runtime/action-require.js';
import {
  ACTION_HANDLER_NAMES,
  ACTION_TRIGGERS,
  triggersExportedBy,
  type ActionTriggerId,
} from './runtime/triggers.js';

export interface BundledAction {
  /** Action name = entry file name without `.ts`, e.g. `step-up-challenge`. */
  name: string;
  /** The trigger whose handler the entry exports. */
  trigger: ActionTriggerId;
  /** Absolute path of the written bundle. */
  path: string;
  code: string;
  /** Hex SHA-256 of `code` (UTF-8). */
  sha256: string;
  bytes: number;
  /** npm packages left as `require()` for Auth0 to install, with the versions package-lock.json pins. */
  dependencies: ActionDependency[];
  /** The source files that weigh most in the bundle, largest first (at most 5). */
  largestInputs: { path: string; bytes: number }[];
}

export interface ManifestEntry {
  name: string;
  trigger: ActionTriggerId;
  /** Bundle file name relative to the manifest. */
  file: string;
  sha256: string;
  bytes: number;
  dependencies: ActionDependency[];
}

export interface BundleOptions {
  /** Where bundles and manifest.json go; default `<repo>/dist/actions`. */
  outDir?: string;
  /** Folder of Action entry files; default `<repo>/actions/src`. */
  srcDir?: string;
  /**
   * The checkout the sources belong to (default: this repository). Paths in the bundle are relative to it, so a
   * checkout of another commit (a rollback's worktree) bundles to the same bytes as that commit did; the defaults
   * below are read from it.
   */
  rootDir?: string;
  /** Budgets; default read from `<root>/actions/build-config.json`. */
  config?: ActionsBuildConfig;
  /** Declared Auth0 dependencies per Action name; default read from `tenantFile`. */
  dependencies?: ReadonlyMap<string, readonly ActionDependency[]>;
  /** The tenant.yaml whose Actions declare `dependencies`; default `<root>/tenant/tenant.yaml`. */
  tenantFile?: string;
  /** Lock file the declared versions must match; default `<root>/package-lock.json`. */
  lockFile?: string;
}

/** Auth0's documented per-Action code limit (npm modules excluded). */
export const AUTH0_ACTION_CODE_LIMIT_BYTES = 100_000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_BUILD_CONFIG_FILE = join(repoRoot, 'actions', 'build-config.json');

export async function bundleActions(options: BundleOptions = {}): Promise<BundledAction[]> {
  const root = resolve(options.rootDir ?? repoRoot);
  const srcDir = resolve(options.srcDir ?? join(root, 'actions', 'src'));
  const outDir = resolve(options.outDir ?? join(root, 'dist', 'actions'));
  const config = options.config ?? loadBuildConfig(join(root, 'actions', 'build-config.json'));
  const declared =
    options.dependencies ??
    readDeclaredDependencies(options.tenantFile ?? join(root, 'tenant', 'tenant.yaml'));
  const lockFile = options.lockFile ?? join(root, 'package-lock.json');
  const entries = await listActionEntries(srcDir);
  if (entries.length === 0)
    throw new Error(`bundleActions: no Action entry files (*.ts) in ${srcDir}`);

  const bundles: BundledAction[] = [];
  for (const entry of entries) {
    const name = basename(entry, '.ts');
    const dependencies = pinnedDependencies(name, declared.get(name) ?? [], lockFile);
    const { code, trigger, metafile } = await bundleOne(entry, name, dependencies, root);
    bundles.push({
      name,
      trigger,
      path: join(outDir, `${name}.js`),
      code,
      sha256: createHash('sha256').update(code, 'utf8').digest('hex'),
      bytes: Buffer.byteLength(code, 'utf8'),
      dependencies,
      largestInputs: largestInputs(metafile),
    });
  }
  const problems = checkBundleBudgets(bundles, config.budgetsBytes);
  if (problems.length > 0) throw new Error(`bundleActions: ${problems.join('; ')}`);

  // Everything built before anything is written; each file is replaced atomically and the manifest goes last.
  await mkdir(outDir, { recursive: true });
  for (const bundle of bundles) await writeFileAtomic(bundle.path, bundle.code);
  const manifest: ManifestEntry[] = bundles.map(
    ({ name, trigger, sha256, bytes, dependencies }) => ({
      name,
      trigger,
      file: `${name}.js`,
      sha256,
      bytes,
      dependencies,
    }),
  );
  await writeFileAtomic(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return bundles;
}

async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}

/** Budget violations (empty when every bundle fits): Auth0's hard limit and the per-Action budgets. */
export function checkBundleBudgets(
  bundles: readonly Pick<BundledAction, 'name' | 'bytes'>[],
  budgetsBytes: Readonly<Record<string, number>> = loadBuildConfig(DEFAULT_BUILD_CONFIG_FILE)
    .budgetsBytes,
): string[] {
  const problems: string[] = [];
  for (const bundle of bundles) {
    const limit = Math.min(budgetsBytes[bundle.name] ?? Infinity, AUTH0_ACTION_CODE_LIMIT_BYTES);
    if (bundle.bytes > limit)
      problems.push(`${bundle.name}: ${bundle.bytes} bytes exceeds the ${limit}-byte budget`);
  }
  return problems;
}

/** Declared dependencies must be installed at the version package-lock.json pins (what the tests ran). */
function pinnedDependencies(
  name: string,
  declared: readonly ActionDependency[],
  lockFile: string,
): ActionDependency[] {
  return declared.map(({ name: packageName, version }) => {
    const locked = lockedVersion(lockFile, packageName);
    if (!locked)
      throw new Error(
        `bundleActions: action ${name} declares dependency ${packageName}, which ${relative(repoRoot, lockFile)} does not install`,
      );
    if (version !== locked)
      throw new Error(
        `bundleActions: action ${name} declares ${packageName}@${version} but ${relative(repoRoot, lockFile)} pins ${locked}; declare version ${locked}`,
      );
    return { name: packageName, version };
  });
}

function largestInputs(metafile: Metafile): BundledAction['largestInputs'] {
  return Object.values(metafile.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .map(([path, input]) => ({ path, bytes: input.bytesInOutput }))
    .filter((input) => input.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, 5);
}

async function listActionEntries(srcDir: string): Promise<string[]> {
  const files = await readdir(srcDir, { withFileTypes: true });
  return files
    .filter((file) => file.isFile() && file.name.endsWith('.ts') && !file.name.endsWith('.d.ts'))
    .map((file) => join(srcDir, file.name))
    .sort();
}

async function bundleOne(
  entry: string,
  name: string,
  dependencies: readonly ActionDependency[],
  root: string,
): Promise<{ code: string; trigger: ActionTriggerId; metafile: Metafile }> {
  const exportNames = await entryExports(entry, dependencies, root);
  const entryLabel = relative(root, entry);
  const triggers = triggersExportedBy(exportNames);
  const [trigger] = triggers;
  if (!trigger)
    throw new Error(
      `bundleActions: ${entryLabel} exports no Action handler (one of ${ACTION_HANDLER_NAMES.join(', ')})`,
    );
  if (triggers.length > 1)
    throw new Error(
      `bundleActions: ${entryLabel} exports handlers of ${triggers.length} triggers (${triggers.map((t) => ACTION_TRIGGERS[t].handler).join(', ')}); an Action serves one trigger`,
    );
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
    ...commonOptions(dependencies, root),
    stdin: {
      contents: shim,
      resolveDir: root,
      sourcefile: `${name} (Auth0 entry)`,
      loader: 'js',
    },
    format: 'cjs',
    metafile: true,
    // "use strict" keeps the ES-module semantics the TypeScript was written for.
    banner: {
      js: `// Auth0 Action "${name}", built from ${importPath.slice(2)} by actions/bundle.ts. Do not edit here.\n"use strict";`,
    },
    // The shim's `exports` is the CommonJS one Auth0 (and load-bundle.ts) provides, on purpose.
    logOverride: { 'commonjs-variable-in-esm': 'silent' },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`bundleActions: esbuild produced no output for ${entry}`);
  return { code: output.text, trigger, metafile: result.metafile };
}

/** Names the entry file exports, from a first ESM build's metafile. */
async function entryExports(
  entry: string,
  dependencies: readonly ActionDependency[],
  root: string,
): Promise<string[]> {
  const result = await build({
    ...commonOptions(dependencies, root),
    entryPoints: [entry],
    format: 'esm',
    metafile: true,
  });
  return Object.values(result.metafile.outputs)
    .flatMap((output) => output.exports)
    .sort();
}

function commonOptions(dependencies: readonly ActionDependency[], root: string) {
  return {
    // Paths in the bundle's `// file` comments are relative to this, so output does not depend on the clone path.
    absWorkingDir: root,
    bundle: true,
    // node_modules may be a symlink (worktrees): keep its in-repo path so bundles do not depend on the checkout.
    preserveSymlinks: true,
    // npm imports resolve against this repository's packages, wherever the entry file lives.
    nodePaths: [join(repoRoot, 'node_modules')],
    platform: 'node',
    target: 'node22',
    minify: false,
    sourcemap: false,
    legalComments: 'inline',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
    plugins: [runtimeRequires(dependencies)],
  } satisfies BuildOptions;
}

/** Node built-ins and declared Auth0 dependencies stay `require()` calls; esbuild bundles everything else. */
function runtimeRequires(dependencies: readonly ActionDependency[]): Plugin {
  const declared = new Set(dependencies.map((dependency) => dependency.name));
  return {
    name: 'auth0-runtime-requires',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (isNodeBuiltin(args.path)) return { path: args.path, external: true };
        if (declared.has(packageNameOf(args.path))) return { path: args.path, external: true };
        return undefined;
      });
    },
  };
}
