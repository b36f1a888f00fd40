// npm run asp -- create|list|delete, run in-process against a deployed local tenant over HTTPS (and once as the
// real `npm run asp` process). Values must appear exactly once: in create's output, never in list's.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runAspCommand } from '../../tenant-tools/asp-command.js';
import { BANKING_API, captureOutput, DEMO_USER, useDeployedTenant } from './fixture.js';

const fixture = useDeployedTenant();
const run = async (...argv: string[]) => {
  const output = captureOutput();
  const code = await runAspCommand(argv, fixture.environment, output);
  return { code, ...output };
};
/** The tenant has no way to show a value again; neither may any output. */
const valueOf = (out: string) => /value:\s+([a-z]{16})\n/.exec(out)?.[1];
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+/);

describe('npm run asp (in-process core)', () => {
  it('create prints the value once with a warning; list shows it without the value; delete removes it', async () => {
    const created = await run(
      'create',
      '--user',
      DEMO_USER.email,
      '--label',
      'mail client',
      '--scope',
      'view:balance',
    );
    expect(created.code, created.err).toBe(0);
    const value = valueOf(created.out);
    expect(value).toMatch(/^[a-z]{16}$/);
    expect(created.out).toContain('only time the value is shown');
    expect(created.out).toContain(`for ${fixture.demoUserId} (${DEMO_USER.email})`);
    const id = /Created App Specific Password (asp_\S+)/.exec(created.out)?.[1];
    expect(id).toBeDefined();

    const listed = await run('list', '--user', fixture.demoUserId);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain(id!);
    expect(listed.out).toContain('mail client');
    expect(listed.out).toContain('view:balance');
    expect(listed.out).not.toContain(value!);

    const json = await run('list', '--user', DEMO_USER.email, '--json');
    const parsed = JSON.parse(json.out) as {
      user_id: string;
      passwords: Array<Record<string, unknown>>;
    };
    expect(parsed.user_id).toBe(fixture.demoUserId);
    const entry = parsed.passwords.find((asp) => asp.id === id);
    expect(entry).toMatchObject({
      label: 'mail client',
      audience: BANKING_API,
      scope: ['view:balance'],
    });
    expect(entry).not.toHaveProperty('value');
    expect(json.out).not.toContain(value!);

    const deleted = await run('delete', '--user', DEMO_USER.email, '--id', id!);
    expect(deleted.code, deleted.err).toBe(0);
    expect(deleted.out).toContain(`Deleted App Specific Password ${id}`);
    const after = await run('list', '--user', DEMO_USER.email, '--json');
    expect(
      (JSON.parse(after.out) as { passwords: Array<{ id: string }> }).passwords.map(
        (asp) => asp.id,
      ),
    ).not.toContain(id);
  });

  it('create --json returns the value in the JSON and the warning on stderr', async () => {
    const created = await run(
      'create',
      '--user',
      DEMO_USER.email,
      '--label',
      'ci',
      '--scope',
      'view:balance,transfer:funds',
      '--json',
    );
    expect(created.code, created.err).toBe(0);
    const asp = JSON.parse(created.out) as Record<string, unknown>;
    expect(asp).toMatchObject({
      user_id: fixture.demoUserId,
      label: 'ci',
      scope: ['view:balance', 'transfer:funds'],
      audience: BANKING_API,
    });
    expect(asp.value).toMatch(/^[a-z]{16}$/);
    expect(created.err).toContain('shown only this once');
  });

  it('refuses an unknown user, by id and by email, with a clear message and exit 1', async () => {
    const byId = await run('list', '--user', 'auth0|nobody');
    expect(byId.code).toBe(1);
    expect(byId.err).toBe(`asp: no user auth0|nobody in ${fixture.tenant.domain}\n`);
    const byEmail = await run(
      'create',
      '--user',
      'nobody@example.com',
      '--label',
      'x',
      '--scope',
      'view:balance',
    );
    expect(byEmail.code).toBe(1);
    expect(byEmail.err).toBe(
      `asp: no user with email nobody@example.com in ${fixture.tenant.domain}\n`,
    );
  });

  it('refuses a scope the API does not define (the tenant checks it for the minimal ASP grant)', async () => {
    const result = await run(
      'create',
      '--user',
      DEMO_USER.email,
      '--label',
      'x',
      '--scope',
      'view:balance delete:everything',
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^asp: bad --scope: Scope delete:everything is not defined on https:\/\/my-banking-api/,
    );
    const listed = await run('list', '--user', DEMO_USER.email, '--json');
    expect(listed.out).not.toContain('"label": "x"');
  });

  it('names the defined scopes when the client may read the API (pre-check before anything is created)', async () => {
    const { tenant } = fixture;
    const output = captureOutput();
    const code = await runAspCommand(
      ['create', '--user', DEMO_USER.email, '--label', 'x', '--scope', 'view:balanse'],
      {
        ...fixture.environment,
        variables: {
          ...fixture.variables,
          AUTH0_CLIENT_ID: tenant.bootstrap.clientId,
          AUTH0_CLIENT_SECRET: tenant.bootstrap.clientSecret,
        },
      },
      output,
    );
    expect(code).toBe(1);
    expect(output.err).toBe(
      'asp: scope view:balanse is not defined on the API https://my-banking-api (defined: view:balance, transfer:funds)\n',
    );
  });

  it('refuses an unknown API and an unknown password id', async () => {
    const api = await run(
      'create',
      '--user',
      DEMO_USER.email,
      '--label',
      'x',
      '--scope',
      'read',
      '--audience',
      'https://no-such-api',
    );
    expect(api.code).toBe(1);
    expect(api.err).toMatch(/^asp: bad --audience: /);
    const missing = await run('delete', '--user', DEMO_USER.email, '--id', 'asp_doesnotexist');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^asp: 127\.0\.0\.1:\d+: The application password does not exist/);
  });

  it('answers usage mistakes with exit 2 and the usage text, before contacting any tenant', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing command/],
      [['rotate', '--user', 'x'], /unknown command "rotate"/],
      [['list'], /missing --user/],
      [['create', '--user', 'x', '--scope', 'view:balance'], /missing --label/],
      [['create', '--user', 'x', '--label', 'l'], /missing --scope/],
      [['create', '--user', 'x', '--label', 'l', '--scope', ' , '], /at least one scope/],
      [
        ['create', '--user', 'x', '--label', 'l'.repeat(101), '--scope', 'view:balance'],
        /1 to 100 characters/,
      ],
      [['delete', '--user', 'x'], /missing --id/],
      [['list', '--user', 'x', '--colour'], /Unknown option '--colour'/],
    ];
    for (const [argv, message] of cases) {
      const output = captureOutput();
      // No tenant variables at all: a usage error must be found before the target is resolved.
      const code = await runAspCommand(argv, { variables: {} }, output);
      expect(code, argv.join(' ')).toBe(2);
      expect(output.err).toMatch(message);
      expect(output.err).toContain('Usage:');
      noStackTrace(output.err);
    }
  });

  it('refuses a partial target configuration instead of guessing a tenant', async () => {
    const output = captureOutput();
    const code = await runAspCommand(
      ['list', '--user', DEMO_USER.email],
      { variables: { AUTH0_DOMAIN: 'bank.eu.auth0.com' } },
      output,
    );
    expect(code).toBe(1);
    expect(output.err).toMatch(
      /^asp: --env local: partial tenant configuration .*missing: AUTH0_CLIENT_ID/,
    );
  });

  it('reports a wrong client secret as the tenant refusing the client, not as a missing user', async () => {
    const output = captureOutput();
    const code = await runAspCommand(
      ['list', '--user', DEMO_USER.email],
      { ...fixture.environment, variables: { ...fixture.variables, AUTH0_CLIENT_SECRET: 'wrong' } },
      output,
    );
    expect(code).toBe(1);
    expect(output.err).toMatch(
      /^asp: 127\.0\.0\.1:\d+ refused GET \/api\/v2\/users-by-email: HTTP 401 .*Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET/,
    );
    noStackTrace(output.err);
  });

  it('says that Auth0 never shipped ASPs when the tenant answers 404 on the endpoints', async () => {
    // The local tenant's fault injector answers 404 for the ASP paths, as a tenant without the feature does.
    const fault = fixture.tenant.faults.add({ path: '/application-passwords', status: 404 });
    try {
      for (const argv of [
        ['list', '--user', DEMO_USER.email],
        ['create', '--user', DEMO_USER.email, '--label', 'x', '--scope', 'view:balance'],
      ]) {
        const result = await run(...argv);
        expect(result.code).toBe(1);
        expect(result.err).toContain(
          `${fixture.tenant.domain} does not offer App Specific Passwords: it answered 404`,
        );
        expect(result.err).toContain(
          'Auth0 never made App Specific Passwords or token introspection generally available',
        );
        noStackTrace(result.err);
      }
    } finally {
      fixture.tenant.faults.remove(fault);
    }
  });
});

describe('npm run asp (real process)', () => {
  const execFileAsync = promisify(execFile);
  const spawnAsp = (command: string, args: string[]) =>
    execFileAsync(command, args, {
      env: { ...process.env, ...fixture.variables, DEBUG: '' },
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout: error.stdout,
        stderr: error.stderr,
      }),
    );

  it('creates through `npm run asp` and exits 1 / 2 through the tsx entry point, without stack traces', async () => {
    const created = await spawnAsp('npm', [
      'run',
      '--silent',
      'asp',
      '--',
      'create',
      '--user',
      DEMO_USER.email,
      '--label',
      'spawned',
      '--scope',
      'view:balance',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(valueOf(created.stdout)).toMatch(/^[a-z]{16}$/);
    expect(created.stdout).toContain('only time the value is shown');

    const [unknown, usage] = await Promise.all([
      spawnAsp(process.execPath, [
        '--import',
        'tsx',
        'scripts/asp.ts',
        'list',
        '--user',
        'auth0|nobody',
      ]),
      spawnAsp(process.execPath, ['--import', 'tsx', 'scripts/asp.ts', 'frobnicate']),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(`asp: no user auth0|nobody in ${fixture.tenant.domain}`);

    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('unknown command "frobnicate"');
    noStackTrace(usage.stderr);
  });
});
