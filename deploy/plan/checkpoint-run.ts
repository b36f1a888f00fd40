// The run's side of the checkpoint: whether this run can leave one, and leaving it after a verified apply.
import type { DesiredState } from '../config/load.js';
import type { ResourceContext } from '../resources/types.js';
import type { ApplyResult } from './apply.js';
import {
  checkpointMaxAgeMs,
  describeError,
  writeCheckpoint,
  type Checkpoint,
  type CheckpointState,
} from './checkpoint.js';
import { latestLogId } from './tenant-logs.js';

/** What the apply needs to leave a checkpoint after a verified run. */
export interface CheckpointPlan {
  hash: string;
  state: CheckpointState;
  /** Newest log id read before the plan's reads (used when the plan turns out to be a no-op). */
  logIdBeforeRead?: string;
  /** --refresh: a checkpoint that still holds is left as it is. */
  refresh: boolean;
  /** Why no checkpoint can be written by this run (read-only diff, unreadable logs, passthrough sections…). */
  notWritable?: string;
}

/** Whether this run could leave a checkpoint, and if so the log id to use should the plan be a no-op. */
export async function checkpointReadiness(
  context: ResourceContext,
  desired: DesiredState,
  state: CheckpointState,
  mayWrite: boolean,
): Promise<Pick<CheckpointPlan, 'logIdBeforeRead' | 'notWritable'>> {
  if (!mayWrite) return { notWritable: 'diff is read-only' };
  if (Object.keys(desired.passthrough).length > 0)
    return { notWritable: 'sections handed to auth0-deploy-cli are not verified here' };
  if (!state.deployClientMetadata) return { notWritable: 'the deploy client could not be read' };
  if (!state.check.usable && !state.check.logsReadable)
    return { notWritable: 'tenant logs are unreadable' };
  try {
    const logId = await latestLogId(context);
    // No entry yet (a fresh tenant): a no-op has no id to rest on, but an apply reads one again after its writes.
    return logId ? { logIdBeforeRead: logId } : {};
  } catch (error) {
    return { notWritable: `tenant logs unreadable (${describeError(error, 'read:logs')})` };
  }
}

/**
 * Writes the checkpoint after a verified run with nothing left over (no differences, no held-back deletes), when the
 * tenant has none for this desired state yet or it is stale. The only write a no-change deploy can make; it touches
 * the deploy client's client_metadata only, never a managed resource.
 */
export async function leaveCheckpoint(
  context: ResourceContext,
  checkpoint: CheckpointPlan,
  result: ApplyResult,
  blocker: string | undefined,
  logId: string | undefined,
  log?: (line: string) => void,
  /** Further client_metadata entries to write in the same request (the release history). */
  extra?: Record<string, string>,
): Promise<Checkpoint | undefined> {
  if (checkpoint.notWritable) return undefined;
  const skip =
    blocker ??
    (!result.verified
      ? 'the tenant still differs'
      : result.pendingDeletes.length > 0
        ? 'deletions are held back'
        : !logId
          ? 'no tenant log id'
          : undefined);
  if (skip || !logId) {
    log?.(`no checkpoint written: ${skip ?? 'no tenant log id'}`);
    return undefined;
  }
  const existing = checkpoint.state.check.usable ? undefined : checkpoint.state.check.existing;
  // --refresh of a tenant whose checkpoint still holds: leave it (the next run checks the logs since it anyway).
  const fresh =
    existing &&
    existing.hash === checkpoint.hash &&
    Date.now() - Date.parse(existing.verifiedAt) <= checkpointMaxAgeMs;
  if (checkpoint.refresh && fresh && result.applied === 0) return undefined;
  const written: Checkpoint = {
    hash: checkpoint.hash,
    logId,
    verifiedAt: new Date().toISOString(),
  };
  try {
    await writeCheckpoint(context, checkpoint.state.deployClientMetadata ?? {}, written, extra);
  } catch (error) {
    // Only an optimisation: a refused write (e.g. client_metadata already at Auth0's 10-key limit) must not fail a deploy.
    log?.(
      `no checkpoint written: PATCH of the deploy client failed (${describeError(error, 'update:clients')})`,
    );
    return undefined;
  }
  log?.(
    `checkpoint written on the deploy client (tenant logs since ${written.logId}): the next run without changes makes 3 requests`,
  );
  return written;
}
