// ensureLocalTenantRunning(): reuse the local tenant already serving on the configured port (per
// .local-tenant/.env), or start `scripts/local-tenant.ts` as a detached background process and wait for it.
// Used by `npm run deploy` so `npm ci && npm run deploy` works on a fresh machine. stopLocalTenant() ends it.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvFile, type LocalTenantEnv } from './env-file.js';
import { lockFilePath, readStateLock, StateFolderInUseError } from './ops/state-lock.js';
import { isRecord } from '../lib/guards.js';

export interface EnsureLocalTenantOptions {
  /** Default '.local-tenant' (relative to the current directory). */
  stateDir?: string;
  /** Default LOCAL_TENANT_PORT or 8443. */
  port?: number;
  /** How long to wait for a started tenant (ms). Default 30 s. */
  startTimeoutMs?: number;
}

export interface EnsuredLocalTenant {
  env: LocalTenantEnv;
  /** true when this call started the background process. */
  started: boolean;
  /** pid of the background process when started here. */
  pid?: number;
  /** Its stdout/stderr log. */
  logPath: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** true when https://domain answers discovery with the expected issuer, trusting only the given CA. */
function isServing(env: LocalTenantEnv): Promise<boolean> {
  if (!existsSync(env.NODE_EXTRA_CA_CERTS)) return Promise.resolve(false);
  const ca = readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8');
  return new Promise((resolvePromise) => {
    const req = request(
      `https://${env.AUTH0_DOMAIN}/.well-known/openid-configuration`,
      { ca, timeout: 2000 },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          try {
            const discovery: unknown = JSON.parse(text);
            resolvePromise(
              isRecord(discovery) && discovery.issuer === `https://${env.AUTH0_DOMAIN}/`,
            );
          } catch {
            resolvePromise(false);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(false));
    req.end();
  });
}

export async function ensureLocalTenantRunning(
  options: EnsureLocalTenantOptions = {},
): Promise<EnsuredLocalTenant> {
  const stateDir = resolve(options.stateDir ?? '.local-tenant');
  const port = options.port ?? Number(process.env.LOCAL_TENANT_PORT || 8443);
  const logPath = join(stateDir, 'server.log');
  const existing = readEnvFile(stateDir);
  if (existing && existing.AUTH0_DOMAIN === `127.0.0.1:${port}` && (await isServing(existing))) {
    return { env: existing, started: false, logPath };
  }
  // One tenant per state folder: one serving (or starting) on another port is not replaced by a second.
  const holder = readStateLock(stateDir);
  if (holder && holder.port !== 0 && holder.port !== port)
    throw new StateFolderInUseError(stateDir, holder);
  if (holder) return waitUntilServing(stateDir, port, logPath, options.startTimeoutMs, () => null);

  mkdirSync(stateDir, { recursive: true });
  const log = openSync(logPath, 'a');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'scripts/local-tenant.ts'),
      '--port',
      String(port),
      '--state-dir',
      stateDir,
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: undefined },
    },
  );
  closeSync(log);
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code));
  child.unref();
  const started = await waitUntilServing(
    stateDir,
    port,
    logPath,
    options.startTimeoutMs,
    () => exitCode,
  );
  return { ...started, started: true, ...(child.pid ? { pid: child.pid } : {}) };
}

async function waitUntilServing(
  stateDir: string,
  port: number,
  logPath: string,
  timeoutMs = 30_000,
  exitCodeOf: () => number | null,
): Promise<EnsuredLocalTenant> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    const exitCode = exitCodeOf();
    if (exitCode !== null) {
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-10).join('\n');
      throw new Error(
        `Local tenant process exited with code ${exitCode} before serving (log ${logPath}):\n${tail}`,
      );
    }
    const env = readEnvFile(stateDir);
    if (env && env.AUTH0_DOMAIN === `127.0.0.1:${port}` && (await isServing(env)))
      return { env, started: false, logPath };
    const holder = readStateLock(stateDir);
    if (holder && holder.port !== 0 && holder.port !== port)
      throw new StateFolderInUseError(stateDir, holder);
  }
  throw new Error(
    `Local tenant did not start on 127.0.0.1:${port} within ${timeoutMs} ms (log ${logPath})`,
  );
}

/** Where the serving process records its pid (written by scripts/local-tenant.ts, removed when it stops). */
export function pidFilePath(stateDir: string): string {
  return lockFilePath(stateDir);
}

export interface StopOutcome {
  status: 'stopped' | 'not-running' | 'still-running';
  pid?: number;
  reason?: string;
}

/**
 * Stops the local tenant serving from stateDir. The pid is signalled only while the tenant still answers with
 * the issuer recorded in .env, so a stale pid file can never kill an unrelated process that reused the pid.
 */
export async function stopLocalTenant(
  options: { stateDir?: string; timeoutMs?: number } = {},
): Promise<StopOutcome> {
  const stateDir = resolve(options.stateDir ?? '.local-tenant');
  const pidFile = pidFilePath(stateDir);
  const env = readEnvFile(stateDir);
  const holder = readStateLock(stateDir);
  if (!holder) {
    const stale = existsSync(pidFile);
    rmSync(pidFile, { force: true });
    return {
      status: 'not-running',
      reason: `no local tenant serves from ${stateDir}${stale ? ' (stale pid file removed)' : ''}`,
    };
  }
  const { pid } = holder;
  // The lock names a live pid; that it also still serves the folder's tenant guards against a reused pid.
  const serving =
    env !== undefined && env.AUTH0_DOMAIN === `127.0.0.1:${holder.port}` && (await isServing(env));
  if (!serving && holder.port !== 0) {
    rmSync(pidFile, { force: true });
    return {
      status: 'not-running',
      pid,
      reason: `nothing serves https://127.0.0.1:${holder.port} any more (stale pid file removed)`,
    };
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    if (!isAlive(pid) && !(env && (await isServing(env)))) return { status: 'stopped', pid };
  }
  return {
    status: 'still-running',
    pid,
    reason: `pid ${pid} still serves ${stateDir} after SIGTERM`,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
