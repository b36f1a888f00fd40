// The state-folder lock on its own: exclusive while its holder lives, taken over once the holder is gone,
// released only by its holder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  acquireStateLock,
  lockFilePath,
  readStateLock,
  StateFolderInUseError,
} from '../../local-tenant/ops/state-lock.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('state folder lock', () => {
  it('refuses a second holder while the first lives, naming its port; frees on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-lock-'));
    const lock = acquireStateLock(dir);
    lock.setPort(9643);
    expect(readStateLock(dir)).toMatchObject({ pid: process.pid, port: 9643 });
    expect(() => acquireStateLock(dir, 4242)).toThrow(StateFolderInUseError);
    expect(() => acquireStateLock(dir, 4242)).toThrow(
      /on https:\/\/127\.0\.0\.1:9643 .*one tenant per state folder/,
    );
    lock.release();
    expect(existsSync(lockFilePath(dir))).toBe(false);
    acquireStateLock(dir).release();
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-lock-'));
    writeFileSync(lockFilePath(dir), JSON.stringify({ pid: deadPid(), port: 9644, startedAt: '' }));
    expect(readStateLock(dir)).toBeUndefined();
    const lock = acquireStateLock(dir);
    expect(readStateLock(dir)).toMatchObject({ pid: process.pid });
    lock.release();
  });
});
