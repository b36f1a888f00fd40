// `npm run rollback` as functions: the plan of going back to a release, computed by the deploy's own code from that
// release's commit (its tenant/ and its Actions, in a temporary worktree), with the Actions whose code matches the
// recorded version sent back through the versions API; then the same apply as a deploy, recorded as a release.
import { join } from 'node:path';
import { bundleActions } from '../../actions/bundle.js';
import {
  applyPrepared,
  prepare,
  type DeployOutcome,
  type Prepared,
  type RunOptions,
} from '../run.js';
import { ReleaseError } from './errors.js';
import { findVersion, throughVersion, versionDifferences } from './action-versions.js';
import { recordedVersion, sameState, type Release } from './record.js';

/** How one Action changed by the plan gets back to the release. */
export interface ActionReturn {
  name: string;
  recordedVersion?: number;
  /** "version": redeployed through the versions API; "rebuild": uploaded and built from the release's commit. */
  how: 'version' | 'rebuild';
  reason?: string;
  /** After the apply: the number of the new version the versions API made. */
  deployedAs?: number;
}

export interface RollbackPlan {
  release: Release;
  prepared: Prepared;
  actions: ActionReturn[];
  /** Notes for the reader of the plan (a dirty release, a configuration that no longer hashes the same). */
  notes: string[];
}

/** Plans the rollback from a checkout of the release's commit at `checkoutDir`. */
export async function planRollback(
  run: Omit<RunOptions, 'tenantFile' | 'build'>,
  release: Release,
  checkoutDir: string,
): Promise<RollbackPlan> {
  await bundleActions({ rootDir: checkoutDir, outDir: join(checkoutDir, 'dist', 'actions') }).catch(
    (error: unknown) => {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ReleaseError(
        `building the Actions of release #${release.number} failed: ${reason}`,
      );
    },
  );
  const prepared = await prepare({
    ...run,
    tenantFile: join(checkoutDir, 'tenant', 'tenant.yaml'),
    build: false,
  });
  try {
    const notes: string[] = [];
    if (release.dirty)
      notes.push(
        `release #${release.number} was deployed from a working tree with uncommitted changes: its commit may not reproduce it`,
      );
    if (release.stateHash && !sameState(release, prepared.checkpoint.hash))
      notes.push(
        `the configuration at ${release.commit?.slice(0, 12) ?? 'that commit'} with today's keys and environment differs from what release #${release.number} deployed; the plan shows what the rollback does`,
      );
    const actions = await chooseActionPaths(prepared, release);
    return { release, prepared, actions, notes };
  } catch (error) {
    await prepared.close();
    throw error;
  }
}

const versionFields = new Set([
  'code',
  'secret_values',
  'secret_names',
  'runtime',
  'dependencies',
  'deployed',
]);

async function chooseActionPaths(prepared: Prepared, release: Release): Promise<ActionReturn[]> {
  const returns: ActionReturn[] = [];
  const { operations } = prepared.plan;
  for (const [index, operation] of operations.entries()) {
    if (operation.change.type !== 'actions' || operation.kind !== 'update') continue;
    const name = operation.change.key;
    const number = recordedVersion(release, name);
    const entry: ActionReturn = { name, how: 'rebuild' };
    returns.push(entry);
    if (number === undefined) {
      entry.reason = `release #${release.number} recorded no deployed version of it`;
      continue;
    }
    entry.recordedVersion = number;
    const version = await findVersion(prepared.context, operation.live.id, number);
    if (!version?.id) {
      entry.reason = `version ${number} is gone (Auth0 keeps the newest 50)`;
      continue;
    }
    // A version holds code, secrets, runtime and dependencies; anything else (the trigger) needs the draft path.
    const beyondVersion = operation.changedFields.filter((field) => !versionFields.has(field));
    const differs = [
      ...versionDifferences(version, operation.item.body),
      ...beyondVersion.map((field) => `${field} (not part of a version)`),
    ];
    if (differs.length > 0) {
      entry.reason = `version ${number} differs from the commit's build in ${differs.join(', ')}`;
      continue;
    }
    entry.how = 'version';
    operations[index] = throughVersion(operation, version.id, (deployedAs) => {
      if (deployedAs !== undefined) entry.deployedAs = deployedAs;
    });
  }
  return returns;
}

export function describeActionReturn(entry: ActionReturn): string {
  if (entry.how === 'version')
    return `actions "${entry.name}": back to version ${entry.recordedVersion} through the versions API (no upload, no build${entry.deployedAs ? `; Auth0 numbers the copy ${entry.deployedAs}` : ''})`;
  return `actions "${entry.name}": rebuilt from the release's commit (${entry.reason ?? 'code differs'})`;
}

/** Applies the rollback plan as a deploy does, recording it as a release. */
export async function applyRollback(
  plan: RollbackPlan,
  options: Pick<RunOptions, 'allowDelete' | 'log'>,
): Promise<DeployOutcome> {
  return applyPrepared(plan.prepared, {
    ...options,
    origin: {
      ...(plan.release.commit ? { commit: plan.release.commit } : {}),
      dirty: false,
      kind: 'rollback',
      rollbackTo: plan.release.number,
    },
  });
}
