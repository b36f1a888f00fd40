// A throwaway git repository holding what a deploy reads (tenant/, the Actions' sources and the lib/ they import),
// so release tests commit, deploy and roll back real commits without touching this repository. Removed by remove().
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleActions } from '../../actions/bundle.js';
import { createKeys } from '../../deploy/keys.js';

const repo = join(import.meta.dirname, '..', '..');

export interface GitRepository {
  dir: string;
  tenantFile: string;
  keysDir: string;
  git(...args: string[]): string;
  /** Replaces text in a file (relative path); fails when nothing changed. */
  edit(path: string, from: string, to: string): void;
  commit(message: string): string;
  /** Bundles the checked-out Actions into dist/actions, as `npm run build` does. */
  build(): Promise<void>;
  remove(): void;
}

export function createGitRepository(): GitRepository {
  const dir = mkdtempSync(join(tmpdir(), 'releases-repo-'));
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
      },
    }).trim();
  for (const folder of ['tenant', 'lib', join('actions', 'src'), join('actions', 'types')])
    cpSync(join(repo, folder), join(dir, folder), { recursive: true });
  // The CLI child reads the env file's budget: the tests' pace, not the Free plan's 2 requests per second.
  const envFile = join(dir, 'tenant', 'env', 'local.json');
  const env = JSON.parse(readFileSync(envFile, 'utf8')) as { deploy: Record<string, unknown> };
  env.deploy.rateLimit = { perSecond: 500, burst: 50 };
  writeFileSync(envFile, `${JSON.stringify(env, null, 2)}\n`);
  // The CLI's `node --import tsx` resolves from the working directory.
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules\ndist/\nkeys/\n');
  const keysDir = join(dir, 'keys');
  createKeys(keysDir);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'release A');
  return {
    dir,
    tenantFile: join(dir, 'tenant', 'tenant.yaml'),
    keysDir,
    git,
    edit(path, from, to) {
      const file = join(dir, path);
      const before = readFileSync(file, 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`edit of ${path} changed nothing`);
      writeFileSync(file, after);
    },
    commit(message) {
      git('commit', '-q', '-am', message);
      return git('rev-parse', 'HEAD');
    },
    build: async () => {
      await bundleActions({ rootDir: dir, outDir: join(dir, 'dist', 'actions') });
    },
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
