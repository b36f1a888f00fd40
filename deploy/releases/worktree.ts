// A release's commit checked out in a temporary `git worktree`, removed again whatever happens (an error, Ctrl-C,
// SIGTERM): the rollback builds that commit's Actions and reads its tenant/ without touching the working tree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReleaseError } from './errors.js';

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return {
    ok: result.status === 0,
    out: (result.stdout ?? '').trim(),
    err: (result.stderr ?? '').trim() || (result.error?.message ?? ''),
  };
}

/** The top of the git checkout holding `cwd`, or a refusal saying why a rollback needs one. */
export function repositoryRoot(cwd: string): string {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok || !top.out)
    throw new ReleaseError(
      `rollback needs this repository's git history, and ${cwd} is not a git checkout ` +
        `(${top.err.split('\n')[0] || 'git failed'}). Run it from a clone of the repository.`,
    );
  return top.out;
}

/** Refuses a commit the clone does not have (a shallow CI clone, a commit from another branch), saying how to get it. */
export function requireCommit(root: string, commit: string, label: string): void {
  if (git(root, ['cat-file', '-e', `${commit}^{commit}`]).ok) return;
  throw new ReleaseError(
    `${label} was deployed from commit ${commit}, which this clone does not have. ` +
      `Fetch it first: git fetch origin ${commit}`,
  );
}

/** Runs `use` on a temporary worktree of `commit`; the worktree is removed afterwards, also on Ctrl-C or SIGTERM. */
export async function withWorktree<T>(
  root: string,
  commit: string,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `rollback-${commit.slice(0, 7)}-`));
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    git(root, ['worktree', 'remove', '--force', dir]);
    rmSync(dir, { recursive: true, force: true });
    git(root, ['worktree', 'prune']);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    remove();
    process.stderr.write(`${signal}: stopped; the temporary worktree was removed\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const added = git(root, ['worktree', 'add', '--detach', '--force', dir, commit]);
    if (!added.ok)
      throw new ReleaseError(`git worktree add of ${commit} failed: ${added.err.split('\n')[0]}`);
    return await use(dir);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    remove();
  }
}
