// ensureLocalTenantRunning(): starts `scripts/local-tenant.ts` detached when nothing serves, reuses it
// otherwise; the written .env is all a fresh node process needs to use the auth0 SDK against it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import {
  ensureLocalTenantRunning,
  pidFilePath,
  stopLocalTenant,
} from '../../local-tenant/ensure.js';
import { StateFolderInUseError } from '../../local-tenant/ops/state-lock.js';

const run = promisify(execFile);
const stateDir = mkdtempSync(join(tmpdir(), 'local-tenant-ensure-'));
let startedPid: number | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterAll(() => {
  if (startedPid) process.kill(startedPid, 'SIGTERM');
  rmSync(stateDir, { recursive: true, force: true });
});

describe('ensureLocalTenantRunning', () => {
  it(
    'starts a background tenant once, then reuses it; its .env works for a fresh SDK process',
    { timeout: 90_000 },
    async () => {
      const port = await freePort();
      const first = await ensureLocalTenantRunning({ stateDir, port, startTimeoutMs: 60_000 });
      startedPid = first.pid;
      expect(first.started).toBe(true);
      expect(first.env.AUTH0_DOMAIN).toBe(`127.0.0.1:${port}`);

      const second = await ensureLocalTenantRunning({ stateDir, port });
      expect(second.started).toBe(false);
      expect(second.env).toEqual(first.env);

      // A new node process with only the .env values as environment: SDK token + Management API call.
      const script = `
      const { ManagementClient } = require('auth0');
      const m = new ManagementClient({ domain: process.env.AUTH0_DOMAIN, clientId: process.env.AUTH0_CLIENT_ID, clientSecret: process.env.AUTH0_CLIENT_SECRET });
      m.resourceServers.list().then((p) => console.log(p.data.map((s) => s.name).join(',')));
    `;
      const { stdout } = await run(process.execPath, ['-e', script], {
        env: { PATH: process.env.PATH, ...first.env },
      });
      expect(stdout.trim()).toBe('Auth0 Management API');

      // One tenant per state folder: asking for another port on the same folder is refused, naming the holder,
      // and so is a second `npm run local-tenant` on it.
      const otherPort = await freePort();
      await expect(ensureLocalTenantRunning({ stateDir, port: otherPort })).rejects.toThrow(
        new StateFolderInUseError(stateDir, { pid: first.pid!, port, startedAt: '' }).message,
      );
      const secondStart = await run(process.execPath, [
        '--import',
        'tsx',
        'scripts/local-tenant.ts',
        '--port',
        String(otherPort),
        '--state-dir',
        stateDir,
      ]).catch((error: { code: number; stderr: string }) => error);
      expect(secondStart).toMatchObject({ code: 1 });
      expect((secondStart as { stderr: string }).stderr).toContain(
        `is already served by the local tenant on https://127.0.0.1:${port} (pid ${first.pid}): one tenant per state folder`,
      );

      // `npm run local-tenant -- --stop` (the script's flag calls stopLocalTenant): the background process ends,
      // whatever port LOCAL_TENANT_PORT names.
      expect(existsSync(pidFilePath(stateDir))).toBe(true);
      const stop = await run(
        process.execPath,
        ['--import', 'tsx', 'scripts/local-tenant.ts', '--stop', '--state-dir', stateDir],
        { env: { ...process.env, LOCAL_TENANT_PORT: String(otherPort) } },
      );
      expect(stop.stdout).toContain(`stopped the local tenant (pid ${first.pid})`);
      expect(() => process.kill(first.pid!, 0)).toThrow();
      startedPid = undefined;
      expect(existsSync(pidFilePath(stateDir))).toBe(false);

      // Stopping again is harmless and says why.
      expect(await stopLocalTenant({ stateDir })).toMatchObject({ status: 'not-running' });
    },
  );
});
