// One local tenant per state folder. The serving process holds <state-dir>/server.pid, created exclusively (so
// two starts racing cannot both win) and naming its pid and port; it is removed when the tenant stops. A second
// start on the same folder is refused with the holder's port, and `--stop` finds the holder whatever its port.
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-file.js';
import { errorCode, isRecord } from '../../lib/guards.js';

export interface StateLockHolder {
  pid: number;
  /** 0 while the holder is still starting (port not bound yet). */
  port: number;
  startedAt: string;
}

export class StateFolderInUseError extends Error {
  override name = 'StateFolderInUseError';
  constructor(
    readonly stateDir: string,
    readonly holder: StateLockHolder,
  ) {
    const where = holder.port ? `on https://127.0.0.1:${holder.port} ` : '';
    const stop = `npm run local-tenant -- --stop${stateDir.endsWith('.local-tenant') ? '' : ` --state-dir ${stateDir}`}`;
    super(
      `${stateDir} is already served by the local tenant ${where}(pid ${holder.pid}): one tenant per state ` +
        `folder. Use that one${holder.port ? ` (LOCAL_TENANT_PORT=${holder.port})` : ''}, stop it (${stop}), ` +
        'or give the new one its own --state-dir.',
    );
  }
}

export function lockFilePath(stateDir: string): string {
  return join(stateDir, 'server.pid');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

function parseHolder(text: string): StateLockHolder | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (
      isRecord(value) &&
      typeof value.pid === 'number' &&
      Number.isInteger(value.pid) &&
      value.pid > 0
    )
      return { pid: value.pid, port: Number(value.port) || 0, startedAt: String(value.startedAt) };
  } catch {
    // An older plain-pid file ("1234\n").
    const pid = Number(text.trim());
    if (Number.isInteger(pid) && pid > 0) return { pid, port: 0, startedAt: '' };
  }
  return undefined;
}

/** The live process holding the folder, if any (a lock left by a dead process does not count). */
export function readStateLock(stateDir: string): StateLockHolder | undefined {
  const path = lockFilePath(stateDir);
  if (!existsSync(path)) return undefined;
  const holder = parseHolder(readFileSync(path, 'utf8'));
  return holder && isAlive(holder.pid) ? holder : undefined;
}

export interface StateLock {
  holder: StateLockHolder;
  /** Records the bound port once the server listens. */
  setPort(port: number): void;
  release(): void;
}

/** Takes the folder for this process or throws StateFolderInUseError naming the live holder. */
export function acquireStateLock(stateDir: string, pid = process.pid): StateLock {
  const path = lockFilePath(stateDir);
  const holder: StateLockHolder = { pid, port: 0, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(holder)}\n`);
      } finally {
        closeSync(fd);
      }
      return {
        holder,
        setPort(port) {
          holder.port = port;
          writeFileAtomic(path, `${JSON.stringify(holder)}\n`);
        },
        release() {
          const current = existsSync(path) ? parseHolder(readFileSync(path, 'utf8')) : undefined;
          if (current?.pid === pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const live = readStateLock(stateDir);
      if (live) throw new StateFolderInUseError(stateDir, live);
      rmSync(path, { force: true }); // left by a process that is gone
    }
  }
  throw new Error(`could not take ${path}: another process keeps recreating it`);
}
