// The fast no-op path. After a deploy verified that the live tenant equals the desired state, it leaves a checkpoint
// on the tenant itself (CI has no disk that survives a run): `client_metadata.tenant_as_code_checkpoint` on the deploy
// client = a keyed hash of the desired state + the newest tenant log id read BEFORE the verifying reads + the time.
// The next run reads the deploy client and the tenant logs after that id (2 requests). Same hash and no entry that
// can change state → nothing changed since the verified state: the plan is "no changes" without reading the 9 types.
// Anything else → the full read, saying why. Every write through the Management API (dashboard included) is logged
// as `sapi` (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes).
import { createHash, createHmac } from 'node:crypto';
import type { DesiredState } from '../config/load.js';
import type { ResourceContext } from '../resources/types.js';
import type { Plan } from './plan.js';
import { logsAfter, logsTake, notStateChanging, type LogEntry } from './tenant-logs.js';

export const checkpointMetadataKey = 'tenant_as_code_checkpoint';
/** Bump when planning semantics change, so checkpoints written by an older planner are not trusted. */
export const plannerVersion = 1;
/** Older checkpoints are not trusted: tenant logs are kept 1–30 days depending on the plan (log data retention). */
export const checkpointMaxAgeMs = 24 * 60 * 60 * 1000;

export interface Checkpoint {
  hash: string;
  /** Newest log id read before the verifying reads. */
  logId: string;
  verifiedAt: string;
}

/** "v1 h=<hash> l=<log id> t=<ISO time>": well under client_metadata's 255-character value limit. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `v1 h=${checkpoint.hash} l=${checkpoint.logId} t=${checkpoint.verifiedAt}`;
}

const checkpointPattern = /^v1 h=([A-Za-z0-9_-]{43}) l=(\d{1,64}) t=(\S+)$/;

export function parseCheckpoint(value: unknown): Checkpoint | undefined {
  if (typeof value !== 'string') return undefined;
  const [, hash, logId, verifiedAt] = checkpointPattern.exec(value) ?? [];
  if (!hash || !logId || !verifiedAt || Number.isNaN(Date.parse(verifiedAt))) return undefined;
  return { hash, logId, verifiedAt };
}

/**
 * Hash of everything the plan is computed from before live-dependent resolution: the keyword-replaced YAML sections
 * and env-file deploy block, the Action bundles, the verification key and the planner version. It is an HMAC keyed by
 * the deploy credential: the state holds secrets (Action secret values, a demo password) and a plain hash of a
 * low-entropy secret could be brute-forced by anyone who can read clients and the repository.
 */
export function desiredStateHash(
  desired: DesiredState,
  verificationKeyPem: string,
  credential: string,
): string {
  const material = canonicalJson({
    plannerVersion,
    sections: desired.sections,
    deploy: desired.deploy,
    passthrough: desired.passthrough,
    actionBundles: [...desired.actionCode.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, code]) => [name, sha256Hex(code)]),
    verificationKey: sha256Hex(verificationKeyPem),
  });
  const key = createHash('sha256').update(`tenant-as-code checkpoint key\0${credential}`).digest();
  return createHmac('sha256', key).update(material).digest('base64url');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The deploy client PATCHing itself: the checkpoint write (the deploy client is never managed by the deploy). */
function isOwnCheckpointWrite(entry: LogEntry, deployClientId: string): boolean {
  const request = entry.details?.request;
  const path = (request?.path ?? '').replace(/^\/api\/v2/, '');
  return (
    entry.type === 'sapi' &&
    entry.client_id === deployClientId &&
    request?.method?.toLowerCase() === 'patch' &&
    path === `/clients/${deployClientId}`
  );
}

export type CheckpointCheck =
  | { usable: true; checkpoint: Checkpoint }
  | { usable: false; reason: string; existing?: Checkpoint; logsReadable: boolean };

export interface CheckpointState {
  check: CheckpointCheck;
  /** The deploy client's client_metadata as read (undefined: could not be read, so no checkpoint can be written). */
  deployClientMetadata?: Record<string, string>;
}

/** 1 request (the deploy client) + 1 (the logs since the checkpoint), or fewer when there is nothing to check. */
export async function checkCheckpoint(
  context: Pick<ResourceContext, 'mgmt' | 'deployClientId'>,
  hash: string,
  options: { refresh: boolean; now?: number },
): Promise<CheckpointState> {
  let metadata: Record<string, string>;
  try {
    const client = await context.mgmt.clients.get(context.deployClientId, {
      fields: 'client_id,client_metadata',
      include_fields: true,
    });
    metadata = stringValues(client.client_metadata ?? {});
  } catch (error) {
    return {
      check: {
        usable: false,
        reason: `the deploy client could not be read (${describeError(error)})`,
        logsReadable: true,
      },
    };
  }
  const existing = parseCheckpoint(metadata[checkpointMetadataKey]);
  const state = (reason: string, logsReadable = true): CheckpointState => ({
    check: { usable: false, reason, ...(existing ? { existing } : {}), logsReadable },
    deployClientMetadata: metadata,
  });
  if (options.refresh) return state('--refresh');
  if (!existing) return state('no checkpoint of a verified deploy on this tenant yet');
  if (existing.hash !== hash) return state('the configuration changed since the verified deploy');
  const age = (options.now ?? Date.now()) - Date.parse(existing.verifiedAt);
  if (!(age >= 0 && age <= checkpointMaxAgeMs))
    return state(`the checkpoint of ${existing.verifiedAt} is older than 24 h`);
  let entries: LogEntry[];
  try {
    entries = await logsAfter(context, existing.logId);
  } catch (error) {
    return state(`tenant logs unreadable (${describeError(error, 'read:logs')})`, false);
  }
  if (entries.length >= logsTake)
    return state(`${logsTake} or more tenant log entries since ${existing.logId}`);
  const changes = entries.filter(
    (entry) =>
      !notStateChanging.has(entry.type) && !isOwnCheckpointWrite(entry, context.deployClientId),
  );
  const [first] = changes;
  if (first) {
    const what = first.details?.request
      ? `${first.details.request.method?.toUpperCase() ?? ''} ${first.details.request.path ?? ''}`.trim()
      : first.type;
    return state(
      `${changes.length} tenant log entr${changes.length === 1 ? 'y' : 'ies'} since the verified deploy may have changed it (first: ${first.type} ${what})`,
    );
  }
  return { check: { usable: true, checkpoint: existing }, deployClientMetadata: metadata };
}

/** The plan when the checkpoint holds: no changes, nothing read, and a header saying what it rests on. */
export function unchangedPlan(
  target: Plan['target'],
  checkpoint: Checkpoint,
  context: Pick<ResourceContext, 'live' | 'registry'>,
): Plan {
  return {
    target,
    changes: [],
    pendingDeletes: [],
    warnings: [],
    operations: [],
    live: context.live,
    registry: context.registry,
    basis: { kind: 'checkpoint', verifiedAt: checkpoint.verifiedAt, sinceLogId: checkpoint.logId },
  };
}

/** Merges the checkpoint into the deploy client's client_metadata (PATCH replaces the whole object). */
export async function writeCheckpoint(
  context: Pick<ResourceContext, 'mgmt' | 'deployClientId'>,
  metadata: Record<string, string>,
  checkpoint: Checkpoint,
  /** Further entries written in the same request (the release history). */
  extra: Record<string, string> = {},
): Promise<void> {
  await context.mgmt.clients.update(context.deployClientId, {
    client_metadata: {
      ...metadata,
      [checkpointMetadataKey]: formatCheckpoint(checkpoint),
      ...extra,
    },
  });
}

/** client_metadata values are strings in Auth0 (up to 255 characters); anything else is left out. */
function stringValues(metadata: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).flatMap(([key, value]) =>
      typeof value === 'string' ? [[key, value]] : [],
    ),
  );
}

export function describeError(error: unknown, scope?: string): string {
  const status =
    typeof error === 'object' && error !== null && 'statusCode' in error
      ? error.statusCode
      : undefined;
  if (status === 403)
    return `HTTP 403${scope ? `: the deploy client needs the ${scope} scope` : ''}`;
  if (status === 404) return 'HTTP 404';
  if (status) return `HTTP ${status}`;
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
