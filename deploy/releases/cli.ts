// What scripts/releases.ts and scripts/rollback.ts share: the target tenant and its connection, confirmation at a
// terminal, and the text of a release line.
import { createInterface } from 'node:readline/promises';
import { startLocalTenant } from '../cli.js';
import { freeTenantBudget } from '../http/budget.js';
import { connect, type ConnectedTenant } from '../target/management-client.js';
import { resolveTarget } from '../target/target.js';
import { shortCommit } from './choose.js';
import { ReleaseError } from './errors.js';
import { describeSummary, type Release } from './record.js';

/** The tenant `--env` names (the local tenant for local without AUTH0_*), connected as the deploy connects. */
export async function connectTarget(
  env: string,
  log: (line: string) => void,
): Promise<ConnectedTenant> {
  const target = await resolveTarget({ env, variables: process.env, startLocalTenant });
  return connect(target, { budget: freeTenantBudget, onRetry: (message) => log(`  … ${message}`) });
}

/** Asks at a terminal; refuses (exit 2) when stdin is not one, since nobody could answer. */
export async function confirm(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY)
    throw new ReleaseError(
      'stdin is not a terminal, so there is nobody to ask: pass --yes to roll back without asking. Nothing was changed.',
      2,
    );
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      prompt.on('SIGINT', () => reject(new ReleaseError('Interrupted. Nothing was changed.')));
      prompt.question(`${question} Type "yes" to apply: `).then(resolve, reject);
    });
    if (answer.trim() !== 'yes') throw new ReleaseError('Not confirmed. Nothing was changed.');
  } finally {
    prompt.close();
  }
}

export function describeRelease(release: Release, names: ReadonlyMap<string, string>): string {
  const kind =
    release.kind === 'deploy'
      ? 'deploy'
      : `${release.kind === 'rollback' ? 'rollback' : 'Actions-only rollback'} to #${release.rollbackTo ?? '?'}`;
  const actions = release.actions
    .map(({ tag, version }) => `${names.get(tag) ?? tag} v${version}`)
    .join(', ');
  return [
    `#${release.number}`,
    release.at.replace('T', ' ').replace(/\.000Z$/, 'Z'),
    release.env,
    kind,
    `commit ${shortCommit(release)}`,
    describeSummary(release.summary),
    actions ? `Actions: ${actions}` : 'no Actions',
  ].join('  ');
}
