// /api/v2/logs (scope read:logs): the tenant logs, in Auth0's two ways of reading them.
// - By checkpoint, `from` (a log_id) + `take` (≤ 100): the entries after `from`, oldest first, ordered by log_id; any
//   other parameter is ignored; a Link header rel="next" continues from the last entry (the same URL when empty).
// - By search: page / per_page (≤ 100, default 50) / include_totals / sort / fields / include_fields.
// https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api
import { badRequest, notFound } from '../errors.js';
import type { TenantContext } from '../context.js';
import type { LogEventRecord } from '../state/types.js';
import {
  projectFields,
  queryBoolean,
  queryInteger,
  queryString,
  type ListOptions,
} from './pagination.js';
import type { ManagementRoute, Query } from './routes.js';

const maxTake = 100;
const defaultPageSize = 50;

export function registerLogRoutes(route: ManagementRoute, tenant: TenantContext): void {
  route('GET', '/logs', 'read:logs', ({ query, reply }) => {
    const logs = tenant.store.snapshot.logs;
    if (query.from !== undefined || query.take !== undefined) {
      const { entries, next } = afterCheckpoint(logs, query);
      reply.header(
        'link',
        `<${tenant.baseUrl}/api/v2/logs?${new URLSearchParams({ from: next, take: String(entries.length || maxTake) })}>; rel="next"`,
      );
      return entries;
    }
    return search(logs, query, { maxPageSize: maxTake, defaultPageSize });
  });

  route('GET', '/logs/:id', 'read:logs', ({ params }) => {
    const found = tenant.store.snapshot.logs.find((log) => log.log_id === params.id);
    // UNCONFIRMED: Auth0's exact 404 text for an unknown or expired log id.
    if (!found) throw notFound('log not found', 'inexistent_log');
    return found;
  });
}

function afterCheckpoint(
  logs: readonly LogEventRecord[],
  query: Query,
): { entries: LogEventRecord[]; next: string } {
  const take = queryInteger(query, 'take', 1, maxTake) ?? defaultPageSize;
  const from = queryString(query, 'from');
  if (from !== undefined && !/^\d{1,64}$/.test(from))
    throw badRequest(
      "Query validation error: 'Invalid value for from' on property from.",
      'invalid_query_string',
    );
  // Compared as numbers, so a checkpoint older than the retained logs still means "everything after it".
  // UNCONFIRMED: without `from`, we start at the oldest retained entry.
  const start = from === undefined ? 0 : logs.findIndex((log) => BigInt(log.log_id) > BigInt(from));
  const entries = start < 0 ? [] : logs.slice(start, start + take);
  return { entries, next: entries.at(-1)?.log_id ?? from ?? '' };
}

function search(
  logs: readonly LogEventRecord[],
  query: Query,
  options: Required<Pick<ListOptions, 'maxPageSize' | 'defaultPageSize'>>,
): unknown {
  const q = queryString(query, 'q') ?? queryString(query, 'search');
  if (q)
    throw badRequest(
      'The local tenant does not implement log search queries (q); use from/take or page/per_page',
      'invalid_query_string',
    );
  const [field, direction] = parseSort(queryString(query, 'sort'));
  const sorted = [...logs].sort((a, b) => direction * compareField(a, b, field));
  const perPage =
    queryInteger(query, 'per_page', 1, options.maxPageSize) ?? options.defaultPageSize;
  const page = queryInteger(query, 'page', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const slice = sorted
    .slice(page * perPage, (page + 1) * perPage)
    .map((log) => projectFields(log, query));
  if (!(queryBoolean(query, 'include_totals') ?? false)) return slice;
  return {
    start: page * perPage,
    limit: perPage,
    length: slice.length,
    total: sorted.length,
    logs: slice,
  };
}

/** `date:-1` (newest first) unless asked otherwise. UNCONFIRMED: Auth0's default order for a search without sort. */
const sortFields = [
  'date',
  'log_id',
  'type',
  'client_id',
  'client_name',
  'ip',
  'description',
] as const satisfies readonly (keyof LogEventRecord)[];

function parseSort(sort: string | undefined): [keyof LogEventRecord, 1 | -1] {
  if (sort === undefined || sort === '') return ['date', -1];
  const match = /^(\w+):(1|-1)$/.exec(sort);
  const field = sortFields.find((name) => name === match?.[1]);
  if (!match || !field)
    throw badRequest(
      `Query validation error: 'String does not match pattern' on property sort (got "${sort}"; use e.g. date:-1).`,
      'invalid_query_string',
    );
  return [field, match[2] === '1' ? 1 : -1];
}

function compareField(a: LogEventRecord, b: LogEventRecord, field: keyof LogEventRecord): number {
  const order = String(a[field] ?? '').localeCompare(String(b[field] ?? ''));
  // Same date (or field) → log_id order, so paging is stable.
  return order !== 0 ? order : a.log_id.localeCompare(b.log_id);
}
