// The fast no-op path. After a deploy verified that the live tenant equals the desired state, it leaves a checkpoint
// on the tenant itself (CI has no disk that survives a run): `client_metadata.tenant_as_code_checkpoint` on the deploy
// client = a keyed hash of the desired state + the newest tenant log id read BEFORE the verifying reads + the time.
// The next run reads the deploy client and the tenant logs after that id (2 requests). Same hash and no entry that
// can change state → nothing changed since the verified state: the plan is "no changes" without reading the 9 types.
// Anything else → the full read, saying why. Every write through the Management API (dashboard included) is logged
// as `sapi` (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes).
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import type { DesiredState } from '../config/load.js';
import type { ResourceContext } from '../resources/types.js';
import type { Plan } from './plan.js';

export const checkpointMetadataKey = 'tenant_as_code_checkpoint';
/** Bump when planning semantics change, so checkpoints written by an older planner are not trusted. */
export const plannerVersion = 1;
/** Older checkpoints are not trusted: tenant logs are kept 1–30 days depending on the plan (log data retention). */
export const checkpointMaxAgeMs = 24 * 60 * 60 * 1000;
/** One page of logs. A full page means there may be more: fall back rather than page through. */
export const logsTake = 100;

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

const logEntrySchema = z.looseObject({
  log_id: z.string(),
  type: z.string(),
  client_id: z.string().nullish(),
  details: z
    .looseObject({
      request: z
        .looseObject({ method: z.string().optional(), path: z.string().optional() })
        .optional(),
    })
    .nullish(),
});
type LogEntry = z.infer<typeof logEntrySchema>;

/**
 * Log types that cannot change what a deploy manages: token exchanges, logins, failed operations, rate-limit notices,
 * reads that returned secrets. Anything else — including types this list does not know — forces the full read.
 */
const notStateChanging = new Set([
  'seccft',
  'feccft',
  'seacft',
  'feacft',
  'sertft',
  'fertft',
  'seoobft',
  'feoobft',
  'seotpft',
  'feotpft',
  's',
  'f',
  'fp',
  'fu',
  'w',
  'slo',
  'flo',
  'ssa',
  'fsa',
  'fapi',
  'mgmt_api_read',
  'api_limit',
  'api_limit_warning',
  'depnote',
]);

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

async function logsAfter(
  context: Pick<ResourceContext, 'mgmt'>,
  logId: string,
): Promise<LogEntry[]> {
  // The SDK has no from/take parameters; Auth0 ignores the others it sends when they are present.
  const page = await context.mgmt.logs.list({}, { queryParams: { from: logId, take: logsTake } });
  const parsed = z.array(logEntrySchema).safeParse(page.response);
  if (!parsed.success)
    throw new Error(
      `unexpected GET /logs?from answer: ${parsed.error.issues[0]?.message ?? 'not an array of log entries'}`,
    );
  return parsed.data;
}

/**
 * Relies on Auth0's documented checkpoint semantics: logs are ordered by log_id "rather than log generation time, to
 * prevent skipping past records due to Auth0 system delays" — an entry not yet visible when `to` was read gets a
 * later id, so it shows up in the next run's check instead of being lost.
 *
 * True when every state-changing log entry in (from, to] is one of this run's own writes (method + path, each used
 * once, by the deploy client). Then the types the apply did not touch are as the plan read them, and re-reading the
 * touched types is enough to verify the whole tenant. False (re-read everything) when unsure.
 */
export async function onlyOwnWritesBetween(
  context: Pick<ResourceContext, 'mgmt' | 'deployClientId'>,
  from: string,
  to: string,
  ownWrites: readonly { method: string; path: string }[],
): Promise<boolean> {
  let entries: LogEntry[];
  try {
    entries = await logsAfter(context, from);
  } catch {
    return false;
  }
  if (entries.length >= logsTake || !entries.every((entry) => /^\d{1,64}$/.test(entry.log_id)))
    return false;
  const unmatched = ownWrites.map(
    (write) => `${write.method.toUpperCase()} ${write.path.replace(/^\/api\/v2/, '')}`,
  );
  for (const entry of entries) {
    if (BigInt(entry.log_id) > BigInt(to) || notStateChanging.has(entry.type)) continue;
    const request = entry.details?.request;
    const key = `${request?.method?.toUpperCase() ?? ''} ${(request?.path ?? '').replace(/^\/api\/v2/, '')}`;
    const index = entry.client_id === context.deployClientId ? unmatched.indexOf(key) : -1;
    if (index < 0) return false;
    unmatched.splice(index, 1);
  }
  return true;
}

/**
 * The newest log id now. Search order is by date, which may trail log_id order by a little: an id slightly older than
 * the true newest only makes the next check see more entries (a full read), never fewer. UNCONFIRMED: that a
 * checkpoint read from an id answers everything logged after it even when that id itself has expired.
 */
export async function latestLogId(
  context: Pick<ResourceContext, 'mgmt'>,
): Promise<string | undefined> {
  const page = await context.mgmt.logs.list({
    page: 0,
    per_page: 1,
    sort: 'date:-1',
    fields: 'log_id,date',
    include_fields: true,
  });
  const id = page.data[0]?.log_id;
  return typeof id === 'string' && /^\d{1,64}$/.test(id) ? id : undefined;
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
): Promise<void> {
  await context.mgmt.clients.update(context.deployClientId, {
    client_metadata: { ...metadata, [checkpointMetadataKey]: formatCheckpoint(checkpoint) },
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
