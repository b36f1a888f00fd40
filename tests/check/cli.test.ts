// `npm run check` as a command: help, usage errors, exit codes, and the project's own tenant passing for every env.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function check(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run check', () => {
  it('passes strictly for every env of this repository, with no network and no build', () => {
    const run = check('--all-envs', '--strict', '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const reports = JSON.parse(run.stdout) as { env: string; passed: boolean }[];
    expect(reports.map((report) => report.env)).toEqual(['dev', 'local', 'prod', 'staging']);
  });

  it('--help prints usage; an unknown flag is a one-line usage error with exit 2', () => {
    const help = check('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run check');
    const typo = check('--formt', 'sarif');
    expect(typo.status).toBe(2);
    expect(typo.stderr.split('\n')[0]).toMatch(
      /unknown option --formt \(did you mean --format\?\)/,
    );
    expect(typo.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing env file is a config error naming it, exit 1', () => {
    const run = check('--env', 'nosuchenv');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('tenant/env/nosuchenv.json');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
