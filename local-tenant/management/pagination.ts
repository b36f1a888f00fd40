// Auth0's two list styles. Offset: page/per_page/include_totals → bare array or {total,start,limit,<key>}.
// Checkpoint: from/take → {<key>, next?} where next is an opaque cursor.
import { z } from 'zod';
import { badRequest } from '../errors.js';

type Query = Record<string, unknown>;

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

function single(query: Query, key: string): string | undefined {
  const value = query[key];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

export function queryBoolean(query: Query, key: string): boolean | undefined {
  const raw = single(query, key);
  if (raw === undefined) return undefined;
  const parsed = booleanQuery.safeParse(raw);
  if (!parsed.success)
    throw badRequest(
      `Query validation error: 'Invalid type: string (expected boolean)' on property ${key}.`,
      'invalid_query_string',
    );
  return parsed.data;
}

export function queryInteger(
  query: Query,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const raw = single(query, key);
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value))
    throw badRequest(
      `Query validation error: 'Expected type integer but found type string' on property ${key}.`,
      'invalid_query_string',
    );
  if (value < min || value > max)
    throw badRequest(
      `Query validation error: 'Value ${value} is out of range [${min}, ${max}]' on property ${key}.`,
      'invalid_query_string',
    );
  return value;
}

export function queryString(query: Query, key: string): string | undefined {
  return single(query, key);
}

export function queryStrings(query: Query, key: string): string[] {
  const value = query[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

const encodeCursor = (index: number) => Buffer.from(`i:${index}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^i:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw badRequest(
      "Query validation error: 'Invalid value for from' on property from.",
      'invalid_query_string',
    );
  return Number(match[1]);
}

export interface ListOptions {
  /** Supports from/take (client grants, connection clients). */
  checkpoint?: boolean;
  /** Default per_page / take. */
  defaultPageSize?: number;
  maxPageSize?: number;
  /** With include_totals, also report the page's size as `length` (the users search does). */
  withLength?: boolean;
}

/** Applies whichever pagination style the query asks for and shapes the response like Auth0. */
export function paginate<T>(
  items: T[],
  query: Query,
  key: string,
  options: ListOptions = {},
): unknown {
  const maxPageSize = options.maxPageSize ?? 100;
  if (options.checkpoint && (query.from !== undefined || query.take !== undefined)) {
    const take = queryInteger(query, 'take', 1, maxPageSize) ?? options.defaultPageSize ?? 50;
    const fromRaw = single(query, 'from');
    const start = fromRaw ? decodeCursor(fromRaw) : 0;
    const slice = items.slice(start, start + take);
    const end = start + slice.length;
    return { [key]: slice, ...(end < items.length ? { next: encodeCursor(end) } : {}) };
  }
  const includeTotals = queryBoolean(query, 'include_totals') ?? false;
  const page = queryInteger(query, 'page', 0, Number.MAX_SAFE_INTEGER);
  const perPage = queryInteger(query, 'per_page', 1, maxPageSize);
  let slice = items;
  let start = 0;
  let limit = items.length;
  if (page !== undefined || perPage !== undefined) {
    limit = perPage ?? options.defaultPageSize ?? 50;
    start = (page ?? 0) * limit;
    slice = items.slice(start, start + limit);
  }
  if (!includeTotals) return slice;
  return {
    total: items.length,
    start,
    limit,
    ...(options.withLength ? { length: slice.length } : {}),
    [key]: slice,
  };
}

/** Actions-API style: always {<key>, total, per_page} — no `page` echoed (recorded TestActionManager_List). */
export function paginateActionsStyle<T>(
  items: T[],
  query: Query,
  key: string,
): Record<string, unknown> {
  const page = queryInteger(query, 'page', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const perPage = queryInteger(query, 'per_page', 1, 100) ?? 50;
  return {
    [key]: items.slice(page * perPage, (page + 1) * perPage),
    total: items.length,
    per_page: perPage,
  };
}

/** `fields` (comma-separated) with `include_fields` (default true): keep only, or drop, those properties. */
export function projectFields(item: object, query: Query): Record<string, unknown> {
  const fields = single(query, 'fields')
    ?.split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  if (!fields || fields.length === 0) return { ...item };
  const include = queryBoolean(query, 'include_fields') ?? true;
  return Object.fromEntries(
    Object.entries(item).filter(([key]) => fields.includes(key) === include),
  );
}
