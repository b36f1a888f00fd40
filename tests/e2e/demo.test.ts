// `npm run demo` end to end, as its function: a real local tenant over HTTPS, a real deploy of
// tenant/, the real banking API and Actions — every step of the step-up scenario must pass, and
// nothing may be left running.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runDemo } from '../../scripts/demo/run-demo.js';
import { testCaDir } from '../helpers/local-tenant.js';

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run demo', () => {
  it('plays every step of the step-up scenario as expected, then stops everything', async () => {
    const lines: string[] = [];
    const report = await runDemo({ print: (line) => lines.push(line), caDir: testCaDir() });
    const output = lines.join('\n');

    expect(report.error, output).toBeUndefined();
    expect(report.steps.map((step) => [step.id, step.status, step.passed])).toEqual([
      ['login', 'token', true],
      ['balance', 200, true],
      ['transfer-without-step-up', 403, true],
      ['step-up', 'token', true],
      ['transfer', 200, true],
      ['replay', 401, true],
    ]);
    expect(report.passed).toBe(true);

    // The narration names the request, the status and the deciding claim of each step.
    expect(output).toContain('error="insufficient_scope" scope="transfer:funds"');
    expect(output).toMatch(
      /scope="openid profile email view:balance transfer:funds" https:\/\/my-banking-api\/amr=\[[^\]]*"mfa"/,
    );
    expect(output).toMatch(/\/u\/mfa-otp-challenge → 200/);
    expect(output).toContain('error="invalid_token"');
    expect(output).toContain('PASS: all 6 steps');
    expect(output).not.toMatch(/Demo-Passw0rd|client_secret/);

    // Everything it started is stopped: the tenant's and the API's ports no longer answer.
    const ports = [
      ...output.matchAll(/(?:local tenant|banking API): https?:\/\/127\.0\.0\.1:(\d+)/g),
    ].map((match) => Number(match[1]));
    expect(ports).toHaveLength(2);
    for (const port of ports)
      expect(await portAcceptsConnections(port), `port ${port}`).toBe(false);
  }, 120_000);

  it('as `npm run demo` (its own CA, trusted in-process): exits 0 after all steps pass', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Without the test CA: the demo must trust the tenant it creates on its own.
      env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
    });
    // Still running when the test ends (it timed out): stop it, so nothing outlives the test.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('PASS: all 6 steps behaved as the step-up flow expects');
    expect(output.match(/^ {3}PASS: expected/gm)).toHaveLength(6);
  }, 120_000);
});
