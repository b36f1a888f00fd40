// Recording a release as part of a deploy: which commit, which Action versions, and the metadata entries to send in
// the deploy's own write of the deploy client (the checkpoint's PATCH), so recording costs no extra request.
import { spawnSync } from 'node:child_process';
import { isRecord } from '../../lib/guards.js';
import type { ApplyResult } from '../plan/apply.js';
import type { CheckpointPlan } from '../plan/checkpoint-run.js';
import { describeError } from '../plan/checkpoint.js';
import { summarize, type Plan } from '../plan/plan.js';
import { actions as actionsModule } from '../resources/actions.js';
import type { LiveItem, ResourceContext } from '../resources/types.js';
import { actionTag, sameState, stateHashLength, type Release, type ReleaseKind } from './record.js';
import { nextReleaseNumber, packReleases, readReleases } from './store.js';

/** What the release records about where the deployed configuration came from. */
export interface ReleaseOrigin {
  commit?: string;
  dirty: boolean;
  kind: ReleaseKind;
  rollbackTo?: number;
}

/** HEAD of the git checkout holding `dir` and whether its tree has uncommitted changes; none outside git. */
export function gitOrigin(dir: string): Pick<ReleaseOrigin, 'commit' | 'dirty'> {
  const run = (args: string[]): string | undefined => {
    const result = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : undefined;
  };
  const commit = run(['rev-parse', '--verify', '-q', 'HEAD']);
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return { dirty: false };
  return { commit, dirty: (run(['status', '--porcelain']) ?? '') !== '' };
}

/** The deployed version of each managed Action, tagged by name. */
export function deployedVersions(
  items: readonly LiveItem[],
  names: readonly string[],
): Release['actions'] {
  return items.flatMap((item) => {
    const deployed = isRecord(item.raw) ? item.raw['deployed_version'] : undefined;
    const version = isRecord(deployed) ? deployed['number'] : undefined;
    return names.includes(item.key) && typeof version === 'number'
      ? [{ tag: actionTag(item.key), version }]
      : [];
  });
}

export interface PendingRelease {
  release: Release;
  /** client_metadata entries to send with the checkpoint (or on their own). */
  entries: Record<string, string>;
}

/**
 * The release a verified deploy records, or undefined when there is nothing new to record: a run that changed nothing
 * for a configuration the newest release already has (or that holds back deletions, so the tenant is not that state). Reads the Actions only when neither the plan nor the
 * verification did (a no-op on the checkpoint's fast path, once per new configuration).
 */
export async function releaseToRecord(input: {
  context: ResourceContext;
  plan: Plan;
  checkpoint: CheckpointPlan;
  result: ApplyResult;
  /** Called only when a release is recorded (it asks git). */
  origin: () => ReleaseOrigin;
  env: string;
  log?: (line: string) => void;
}): Promise<PendingRelease | undefined> {
  const { context, plan, checkpoint, result } = input;
  const metadata = checkpoint.state.deployClientMetadata;
  if (!result.verified) return undefined;
  if (!metadata) {
    input.log?.('no release recorded: the deploy client could not be read');
    return undefined;
  }
  const history = readReleases(metadata);
  const newest = history[0];
  // A run that changed nothing records only a configuration the tenant fully matches that has no release yet.
  if (
    result.applied === 0 &&
    ((newest && sameState(newest, checkpoint.hash)) || result.pendingDeletes.length > 0)
  )
    return undefined;
  const names = (context.desired.sections.actions ?? []).map((action) => action.name);
  let live = result.live?.get('actions') ?? plan.live.get('actions');
  if (!live && names.length > 0)
    live = (await actionsModule.list(context)).flatMap(
      (raw) => actionsModule.flatten(raw, context) ?? [],
    );
  const counts = summarize(plan);
  const origin = input.origin();
  const release: Release = {
    number: nextReleaseNumber(history),
    at: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    env: input.env,
    ...(origin.commit ? { commit: origin.commit } : {}),
    dirty: origin.dirty,
    stateHash: checkpoint.hash.slice(0, stateHashLength),
    summary: {
      create: counts.create,
      update: counts.update,
      delete: counts.delete,
      heldBack: result.pendingDeletes.length,
    },
    actions: deployedVersions(live ?? [], names),
    kind: origin.kind,
    ...(origin.rollbackTo !== undefined ? { rollbackTo: origin.rollbackTo } : {}),
  };
  const write = packReleases(metadata, [release, ...history]);
  if (!write) {
    input.log?.(
      'no release recorded: the deploy client already holds 9 or more other client_metadata properties (Auth0 allows 10)',
    );
    return undefined;
  }
  if (write.dropped > 0 && write.kept < 10)
    input.log?.(
      `warning: only the newest ${write.kept} releases fit in the deploy client's client_metadata`,
    );
  return { release, entries: write.entries };
}

/** The release's own PATCH, for runs that leave no checkpoint (a refused field, unreadable logs, --refresh). */
export async function writeReleaseEntries(
  context: Pick<ResourceContext, 'mgmt' | 'deployClientId'>,
  metadata: Record<string, string> | undefined,
  pending: PendingRelease,
  log?: (line: string) => void,
): Promise<boolean> {
  try {
    await context.mgmt.clients.update(context.deployClientId, {
      client_metadata: { ...metadata, ...pending.entries },
    });
    return true;
  } catch (error) {
    log?.(
      `no release recorded: PATCH of the deploy client failed (${describeError(error, 'update:clients')})`,
    );
    return false;
  }
}

/**
 * Completes recording: the entries went out with the checkpoint (`written`), or go out now in their own PATCH.
 * Returns the release once it is on the tenant.
 */
export async function finishRelease(
  context: Pick<ResourceContext, 'mgmt' | 'deployClientId'>,
  checkpoint: CheckpointPlan,
  pending: PendingRelease | undefined,
  written: boolean,
  log?: (line: string) => void,
): Promise<Release | undefined> {
  if (!pending) return undefined;
  const metadata = checkpoint.state.deployClientMetadata;
  if (!written && !(await writeReleaseEntries(context, metadata, pending, log))) return undefined;
  const { release } = pending;
  const commit = release.commit
    ? `commit ${release.commit.slice(0, 12)}${release.dirty ? ' (dirty)' : ''}`
    : 'no git commit';
  log?.(`recorded release #${release.number} on the deploy client (${commit}; npm run releases)`);
  return release;
}
