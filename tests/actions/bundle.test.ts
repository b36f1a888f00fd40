// The bundler and the node:vm loader: deterministic CommonJS bundles with hashes, no npm runtime dependencies,
// size budgets, and a loader that behaves like Auth0's runtime.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleActions,
  checkBundleBudgets,
  type BundledAction,
  type ManifestEntry,
} from '../../actions/bundle.js';
import { DEFAULT_BUILD_CONFIG_FILE } from '../../actions/bundle.js';
import { loadBuildConfig } from '../../actions/build-config.js';
import { ACTION_TRIGGERS } from '../../actions/runtime/triggers.js';
import {
  createApiRecorder,
  evaluateBundle,
  loadPostLoginAction,
} from '../../actions/testkit/index.js';
import { buildPostLoginEvent } from '../../actions/testkit/event-builder.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

let workDir = '';
let bundles: BundledAction[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'actions-bundle-test-'));
  bundles = await bundleActions({ outDir: join(workDir, 'out') });
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const BIG_ACTION = `export const onExecutePostLogin = async () => { console.log(${JSON.stringify('x'.repeat(2000))}); };\n`;

/** Writes Action entry files into a fresh source folder and returns its path. */
async function sourceFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(workDir, 'src-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const STEP_UP = ['step-up-challenge', 'step-up-evidence'];

describe('bundleActions', () => {
  it('bundles one file per Action entry (lib/ is inlined, not an Action) with its trigger', () => {
    expect(bundles.map((bundle) => [bundle.name, bundle.trigger])).toEqual([
      ['partner-access', 'credentials-exchange'],
      ['password-age-claim', 'post-login'],
      ['password-change-alert', 'post-change-password'],
      ['signup-email-policy', 'pre-user-registration'],
      ['signup-notify', 'post-user-registration'],
      ['sms-gateway', 'send-phone-message'],
      ['step-up-challenge', 'post-login'],
      ['step-up-evidence', 'post-login'],
    ]);
    for (const bundle of bundles) {
      const handler = ACTION_TRIGGERS[bundle.trigger].handler;
      expect(bundle.code).toMatch(new RegExp(`\\nexports\\.${handler} = ${handler};\\n$`));
      expect(bundle.code).not.toMatch(/\bimport\s|\brequire\(/); // CommonJS, and nothing to load at run time
      expect(bundle.dependencies).toEqual([]);
    }
    for (const bundle of bundles.filter((candidate) => STEP_UP.includes(candidate.name)))
      expect(bundle.code).toContain('// actions/src/lib/step-up-policy.ts');
  });

  it('writes each bundle and a manifest whose hashes and sizes match the files', async () => {
    const outDir = join(workDir, 'out');
    const manifest = JSON.parse(
      await readFile(join(outDir, 'manifest.json'), 'utf8'),
    ) as ManifestEntry[];
    expect(manifest.map((entry) => entry.name)).toEqual(bundles.map((bundle) => bundle.name));
    for (const entry of manifest) {
      const code = await readFile(join(outDir, entry.file), 'utf8');
      expect(entry.sha256).toBe(sha256(code));
      expect(entry.bytes).toBe(Buffer.byteLength(code));
      expect(bundles.find((bundle) => bundle.name === entry.name)).toMatchObject({
        sha256: entry.sha256,
        bytes: entry.bytes,
        trigger: entry.trigger,
        dependencies: entry.dependencies,
        code,
      });
    }
  });

  it('is deterministic: a second build produces identical bytes', async () => {
    const again = await bundleActions({ outDir: join(workDir, 'again') });
    expect(again.map(({ name, sha256: hash }) => ({ name, hash }))).toEqual(
      bundles.map(({ name, sha256: hash }) => ({ name, hash })),
    );
  });

  it('keeps both step-up Actions under their 4 KB budget and readable (not minified)', () => {
    const stepUp = bundles.filter((bundle) => STEP_UP.includes(bundle.name));
    expect(stepUp).toHaveLength(2);
    for (const bundle of stepUp) {
      expect(bundle.bytes).toBeLessThanOrEqual(4096);
      expect(bundle.code).toContain('function stepUpGate(event) {\n');
      // The banking API's contract is bundled in from lib/, not repeated in the Action.
      expect(bundle.code).toContain('// lib/banking-api-contract.ts');
    }
    expect(checkBundleBudgets(bundles)).toEqual([]);
    // The budgets come from actions/build-config.json.
    expect(loadBuildConfig(DEFAULT_BUILD_CONFIG_FILE).budgetsBytes).toMatchObject({
      'step-up-challenge': 4096,
      'step-up-evidence': 4096,
    });
  });

  it('names the largest inputs of each bundle, largest first', () => {
    const evidence = bundles.find((bundle) => bundle.name === 'step-up-evidence')!;
    expect(evidence.largestInputs[0]).toEqual({
      path: 'actions/src/lib/step-up-policy.ts',
      bytes: expect.any(Number),
    });
    const sizes = evidence.largestInputs.map((input) => input.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('reports bundles over budget', () => {
    const oversized = { ...bundles[0]!, name: 'step-up-challenge', bytes: 5000 };
    const huge = { ...bundles[0]!, name: 'anything', bytes: 100_001 };
    expect(checkBundleBudgets([oversized, huge])).toEqual([
      'step-up-challenge: 5000 bytes exceeds the 4096-byte budget',
      'anything: 100001 bytes exceeds the 100000-byte budget',
    ]);
  });

  it('fails the build when an entry file exports no Action handler, or handlers of two triggers', async () => {
    const none = await sourceFolder({ 'not-an-action.ts': 'export const answer = 42;\n' });
    await expect(bundleActions({ srcDir: none, outDir: join(none, 'out') })).rejects.toThrow(
      /not-an-action\.ts exports no Action handler \(one of onExecutePostLogin, .*onExecuteSendPhoneMessage\)/,
    );
    const two = await sourceFolder({
      'greedy.ts':
        'export const onExecutePostLogin = async () => {};\nexport const onExecutePostChangePassword = async () => {};\n',
    });
    await expect(bundleActions({ srcDir: two, outDir: join(two, 'out') })).rejects.toThrow(
      /greedy\.ts exports handlers of 2 triggers .*; an Action serves one trigger/,
    );
  });

  it('fails the build, writing nothing, when a bundle outgrows its configured budget', async () => {
    const srcDir = await sourceFolder({ 'big.ts': BIG_ACTION });
    const outDir = join(srcDir, 'out');
    await expect(
      bundleActions({ srcDir, outDir, config: { budgetsBytes: { big: 1000 } } }),
    ).rejects.toThrow(/big: \d+ bytes exceeds the 1000-byte budget/);
    await expect(readFile(join(outDir, 'manifest.json'))).rejects.toThrow(/ENOENT/);
  });

  it('fails the build when an entry file has a default export Auth0 would never call', async () => {
    const srcDir = await sourceFolder({
      'defaulted.ts':
        'export const onExecutePostLogin = async () => {};\nexport default onExecutePostLogin;\n',
    });
    await expect(bundleActions({ srcDir, outDir: join(srcDir, 'out') })).rejects.toThrow(
      /defaulted\.ts has a default export/,
    );
  });

  it('keeps node built-ins as require() calls that work in the vm loader', async () => {
    const srcDir = await sourceFolder({
      'hash-claim.ts': [
        "import { createHash } from 'node:crypto';",
        "import { tag } from './lib/tag.js';",
        'export const onExecutePostLogin = async (event: { user: { user_id: string } }, api: { idToken: { setCustomClaim(n: string, v: string): void } }) => {',
        "  api.idToken.setCustomClaim(tag, createHash('sha256').update(event.user.user_id).digest('hex'));",
        '};',
      ].join('\n'),
      'lib/tag.ts': "export const tag = 'https://bank.example/uid-hash';\n",
    });
    const [bundle] = await bundleActions({ srcDir, outDir: join(srcDir, 'out') });
    expect(bundle?.name).toBe('hash-claim');
    expect(bundle?.code).toContain('require("node:crypto")');

    const recorder = createApiRecorder();
    await loadPostLoginAction(bundle!.code)(buildPostLoginEvent(), recorder.api);
    expect(recorder.idToken.claims).toEqual({
      'https://bank.example/uid-hash': sha256('auth0|6561b2f0c0ffee0001a1b2c3'),
    });
  });
});

describe('node:vm bundle loader', () => {
  it('gives require() node built-ins only', () => {
    expect(evaluateBundle("exports.ok = typeof require('node:url').URL === 'function';").ok).toBe(
      true,
    );
    expect(
      evaluateBundle("exports.ok = typeof require('crypto').randomUUID === 'function';").ok,
    ).toBe(true);
    expect(() => evaluateBundle("require('zod');", { filename: 'needs-zod.js' })).toThrow(
      /needs-zod\.js: Cannot find module 'zod'/,
    );
  });

  it('runs every bundle in a fresh context: globals do not leak between loads or into the host', () => {
    evaluateBundle('globalThis.leaked = 1; exports.seen = typeof leaked;');
    expect(evaluateBundle('exports.seen = typeof leaked;').seen).toBe('undefined');
    expect('leaked' in globalThis).toBe(false);
    expect(
      evaluateBundle(
        'exports.kinds = [typeof process, typeof module, typeof exports, typeof Buffer].join();',
      ).kinds,
    ).toBe('undefined,object,object,function');
  });

  it('routes console output to the given console', () => {
    const lines: string[] = [];
    const sink = (...args: unknown[]): void => void lines.push(args.join(' '));
    evaluateBundle("console.log('hello', 42);", {
      console: { log: sink, info: sink, warn: sink, error: sink, debug: sink },
    });
    expect(lines).toEqual(['hello 42']);
  });

  it('rejects a bundle without onExecutePostLogin with a clear error', () => {
    expect(() =>
      loadPostLoginAction('exports.onContinuePostLogin = async () => {};', { filename: 'half.js' }),
    ).toThrow('half.js: bundle does not export an onExecutePostLogin function');
  });

  it('stops runaway top-level code', () => {
    expect(() => evaluateBundle('while (true) {}', { timeoutMs: 50 })).toThrow(/timed out/);
  });
});
