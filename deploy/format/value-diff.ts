// What changed inside one field, so a plan never hides a change: arrays are diffed by element (by identity key
// such as a scope's `value`, as a set for plain values, else by position), objects by key, and a long value is
// shortened only around the part that differs — never into two identical-looking strings.
import { createHash } from 'node:crypto';

export interface ValueChange {
  /** Field path with element selectors, e.g. scopes[transfer:funds].description or callbacks[2]. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** Keys that name an element of a list in the Management API (scopes, factors, bindings, secrets, …). */
const identityKeys = ['value', 'name', 'action_name', 'identifier', 'id', 'client_id'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** The key that names each element uniquely on both sides, if any. */
function identityKeyOf(before: unknown[], after: unknown[]): string | undefined {
  const sides = [before, after];
  if (sides.some((items) => items.length === 0 || !items.every(isPlainObject))) return undefined;
  return identityKeys.find((key) =>
    sides.every((items) => {
      const ids = items.map((item) => (isPlainObject(item) ? item[key] : undefined));
      return ids.every((id) => typeof id === 'string') && new Set(ids).size === ids.length;
    }),
  );
}

/** The changes inside `before → after`, down to the smallest differing value; [] when they are equal. */
export function valueChanges(path: string, before: unknown, after: unknown): ValueChange[] {
  if (same(before, after)) return [];
  if (before === undefined) return [{ path, kind: 'added', after }];
  if (after === undefined) return [{ path, kind: 'removed', before }];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => valueChanges(`${path}.${key}`, before[key], after[key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) return arrayChanges(path, before, after);
  return [{ path, kind: 'changed', before, after }];
}

function arrayChanges(path: string, before: unknown[], after: unknown[]): ValueChange[] {
  const key = identityKeyOf(before, after);
  if (key) {
    // identityKeyOf checked that every item has a string under key.
    const id = (item: unknown) => String(isPlainObject(item) ? item[key] : undefined);
    const beforeById = new Map(before.map((item) => [id(item), item]));
    const afterById = new Map(after.map((item) => [id(item), item]));
    const changes = [...new Set([...beforeById.keys(), ...afterById.keys()])].flatMap((name) =>
      valueChanges(`${path}[${name}]`, beforeById.get(name), afterById.get(name)),
    );
    return changes.length > 0 ? changes : orderChange(path, before.map(id), after.map(id));
  }
  if ([...before, ...after].every((item) => !isPlainObject(item) && !Array.isArray(item))) {
    const removed = before.filter((item) => !after.some((other) => same(item, other)));
    const added = after.filter((item) => !before.some((other) => same(item, other)));
    const changes: ValueChange[] = [
      ...removed.map((item) => ({ path: `${path}[]`, kind: 'removed' as const, before: item })),
      ...added.map((item) => ({ path: `${path}[]`, kind: 'added' as const, after: item })),
    ];
    return changes.length > 0 || before.length !== after.length
      ? changes
      : orderChange(path, before, after);
  }
  const length = Math.max(before.length, after.length);
  return Array.from({ length }, (_, index) =>
    valueChanges(`${path}[${index}]`, before[index], after[index]),
  ).flat();
}

function orderChange(path: string, before: unknown[], after: unknown[]): ValueChange[] {
  return [{ path: `${path} (order)`, kind: 'changed', before, after }];
}

/** Compact JSON of a value, a PEM as its fingerprint (what `npm run keys` prints), undefined as "(none)". */
export function renderFull(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string' && value.includes('-----BEGIN'))
    return `"PEM ${/-----BEGIN ([A-Z ]+)-----/.exec(value)?.[1]?.toLowerCase() ?? ''} sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}"`;
  return JSON.stringify(value) ?? String(value);
}

/**
 * Both sides of a change, each at most about maxLength long: a long pair is cut around the first and last
 * differing character with `context` characters either side, so the difference itself is always shown.
 */
export function renderPair(
  before: unknown,
  after: unknown,
  maxLength = 120,
  context = 24,
): [string, string] {
  const a = renderFull(before);
  const b = renderFull(after);
  if (a.length <= maxLength && b.length <= maxLength) return [a, b];
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const clip = (text: string): string => {
    const start = Math.max(0, prefix - context);
    const end = Math.min(text.length, text.length - suffix + context);
    return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  };
  return [clip(a), clip(b)];
}
