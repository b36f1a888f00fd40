// npm packages in Actions, in process: bundled in by default; kept as require() when declared as an Auth0
// dependency (pinned to package-lock.json); and `require` in the node:vm loader finds only declared packages.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleActions, type ManifestEntry } from '../../actions/bundle.js';
import {
  loadBuildConfig,
  lockedVersion,
  readDeclaredDependencies,
} from '../../actions/build-config.js';
import {
  evaluateBundle,
  loadPostLoginAction,
  postLogin,
  runAction,
} from '../../actions/testkit/index.js';

const lockFile = join(import.meta.dirname, '..', '..', 'package-lock.json');
const MS_VERSION = lockedVersion(lockFile, 'ms')!;

const USES_MS = [
  "import ms from 'ms';",
  'export const onExecutePostLogin = async (_event: unknown, api: { idToken: { setCustomClaim(n: string, v: number): void } }) => {',
  "  api.idToken.setCustomClaim('https://bank.example/window_ms', ms('15m') ?? -1);",
  '};',
].join('\n');

let workDir = '';
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'actions-npm-test-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

async function sourceFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(workDir, 'src-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function claimsOf(handler: ReturnType<typeof loadPostLoginAction>) {
  return (await runAction(postLogin, handler)).idToken.claims;
}

describe('an npm package imported by an Action', () => {
  it('is bundled in by default and runs with no dependency declared', async () => {
    expect(MS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    const srcDir = await sourceFolder({ 'uses-ms.ts': USES_MS });
    const [bundle] = await bundleActions({
      srcDir,
      outDir: join(srcDir, 'out'),
      dependencies: new Map(),
    });
    expect(bundle!.code).toContain('// node_modules/ms/index.js');
    expect(bundle!.code).not.toContain('require("ms")');
    expect(bundle!.dependencies).toEqual([]);
    expect(bundle!.largestInputs[0]?.path).toBe('node_modules/ms/index.js');
    expect(await claimsOf(loadPostLoginAction(bundle!.code))).toEqual({
      'https://bank.example/window_ms': 900_000,
    });
  });

  it('stays a require() when declared, with the version package-lock.json pins in the manifest', async () => {
    const srcDir = await sourceFolder({ 'uses-ms.ts': USES_MS });
    const outDir = join(srcDir, 'out');
    const declared = [{ name: 'ms', version: MS_VERSION }];
    const [bundle] = await bundleActions({
      srcDir,
      outDir,
      dependencies: new Map([['uses-ms', declared]]),
    });
    expect(bundle!.code).toContain('require("ms")');
    expect(bundle!.code).not.toContain('node_modules/ms');
    const manifest = JSON.parse(
      await readFile(join(outDir, 'manifest.json'), 'utf8'),
    ) as ManifestEntry[];
    expect(manifest[0]).toMatchObject({ name: 'uses-ms', dependencies: declared });

    // The loader, like Auth0, finds the package only when the Action declares it, at the installed version.
    const handler = loadPostLoginAction(bundle!.code, { dependencies: declared });
    expect(await claimsOf(handler)).toEqual({ 'https://bank.example/window_ms': 900_000 });
    expect(() => loadPostLoginAction(bundle!.code, { filename: 'undeclared.js' })).toThrow(
      /undeclared\.js: Cannot find module 'ms'/,
    );
    expect(() =>
      loadPostLoginAction(bundle!.code, {
        filename: 'old.js',
        dependencies: [{ name: 'ms', version: '0.7.0' }],
      }),
    ).toThrow(`old.js: Cannot find module 'ms@0.7.0' (node_modules has ${MS_VERSION})`);
  });

  it('refuses a declared version package-lock.json does not pin, or a package it does not install', async () => {
    const srcDir = await sourceFolder({ 'uses-ms.ts': USES_MS });
    const build = (name: string, version: string) =>
      bundleActions({
        srcDir,
        outDir: join(srcDir, 'out'),
        dependencies: new Map([['uses-ms', [{ name, version }]]]),
      });
    await expect(build('ms', '0.7.0')).rejects.toThrow(
      `action uses-ms declares ms@0.7.0 but package-lock.json pins ${MS_VERSION}; declare version ${MS_VERSION}`,
    );
    await expect(build('left-pad', '1.3.0')).rejects.toThrow(
      'action uses-ms declares dependency left-pad, which package-lock.json does not install',
    );
  });

  it('fails the build when the package is not installed at all', async () => {
    const srcDir = await sourceFolder({
      'missing.ts':
        "import x from 'no-such-package-here';\nexport const onExecutePostLogin = async () => { x(); };\n",
    });
    await expect(
      bundleActions({ srcDir, outDir: join(srcDir, 'out'), dependencies: new Map() }),
    ).rejects.toThrow(/Could not resolve "no-such-package-here"/);
  });

  it('lets require() reach subpaths and scoped names of declared packages only', () => {
    expect(
      evaluateBundle("exports.ok = typeof require('ms') === 'function';", {
        dependencies: [{ name: 'ms', version: 'latest' }],
      }).ok,
    ).toBe(true);
    expect(() =>
      evaluateBundle("require('@auth0/auth0-spa-js');", {
        filename: 'scoped.js',
        dependencies: [{ name: 'ms', version: MS_VERSION }],
      }),
    ).toThrow(/scoped\.js: Cannot find module '@auth0\/auth0-spa-js'/);
  });
});

describe('build configuration', () => {
  it('reads declared dependencies from tenant.yaml by bundle name, keywords and all', async () => {
    const file = join(workDir, 'tenant.yaml');
    await writeFile(
      file,
      [
        'clients: @@CLIENTS@@',
        'actions:',
        '  - name: Password age',
        '    code: ../dist/actions/password-age-claim.js',
        '    secrets: [{ name: X, value: "##VALUE##" }]',
        `    dependencies: [{ name: ms, version: ${MS_VERSION} }]`,
        '  - name: step-up-challenge',
        '    code: ../dist/actions/step-up-challenge.js',
      ].join('\n'),
    );
    expect(readDeclaredDependencies(file)).toEqual(
      new Map([['password-age-claim', [{ name: 'ms', version: MS_VERSION }]]]),
    );
    // The repository's own tenant declares none: every sample bundles its packages in.
    expect(
      readDeclaredDependencies(join(import.meta.dirname, '..', '..', 'tenant', 'tenant.yaml')),
    ).toEqual(new Map());
  });

  it('names the file and field of a bad budget', async () => {
    const file = join(workDir, 'build-config.json');
    await writeFile(file, JSON.stringify({ budgetsBytes: { 'step-up-challenge': -1 } }));
    expect(() => loadBuildConfig(file)).toThrow(
      /build-config\.json: budgetsBytes\.step-up-challenge: /,
    );
    await writeFile(file, '{ nope');
    expect(() => loadBuildConfig(file)).toThrow(/build-config\.json: not valid JSON/);
  });
});
