// Reading the tenant logs for the fast no-op path: which entries can have changed what a deploy manages, the entries
// since a log id, and the newest log id. Every write through the Management API (dashboard included) is logged as
// `sapi` (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes).
import { z } from 'zod';
import type { ResourceContext } from '../resources/types.js';

/** One page of logs. A full page means there may be more: fall back rather than page through. */
export const logsTake = 100;
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
export type LogEntry = z.infer<typeof logEntrySchema>;

/**
 * Log types that cannot change what a deploy manages: token exchanges, logins, failed operations, rate-limit notices,
 * reads that returned secrets. Anything else — including types this list does not know — forces the full read.
 */
export const notStateChanging = new Set([
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

export async function logsAfter(
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
