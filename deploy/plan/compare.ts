// Field comparison with the semantics of the Management API: we compare only what the config says (the tenant adds
// defaults we never set), arrays listed as sets ignore order, nested objects are compared key by key.

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `live` already satisfies `desired` (every desired key equal; live may have more). */
export function satisfies(desired: unknown, live: unknown, asSet = false): boolean {
  if (isPlainObject(desired)) {
    if (!isPlainObject(live)) return false;
    return Object.entries(desired).every(
      ([key, value]) => value === undefined || satisfies(value, live[key]),
    );
  }
  if (Array.isArray(desired)) {
    // Auth0 omits a list that holds nothing (a client made without callbacks has no `callbacks`; a cleared
    // acr_values_supported is no longer returned): absent and empty are the same list.
    if (live === undefined || live === null) return desired.length === 0;
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    const [wanted, actual] = asSet
      ? [sortCanonical(desired), sortCanonical(live)]
      : [desired, live];
    return wanted.every((value, index) => satisfies(value, actual[index]));
  }
  return desired === live;
}

function sortCanonical(values: unknown[]): unknown[] {
  return [...values].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

function sortKey(value: unknown): string {
  if (isPlainObject(value) && typeof value.value === 'string') return value.value; // scopes: {value, description}
  // Both sides are sorted by the same key, and JSON.stringify is as injective on strings as the string itself:
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, see the line above
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface FieldDifference {
  path: string;
  before: unknown;
  after: unknown;
}

/** The differing paths of one top-level field; nested objects are expanded so the plan shows the exact key. */
export function differences(
  path: string,
  desired: unknown,
  live: unknown,
  asSet = false,
): FieldDifference[] {
  if (satisfies(desired, live, asSet)) return [];
  if (isPlainObject(desired) && isPlainObject(live)) {
    return Object.entries(desired).flatMap(([key, value]) =>
      value === undefined ? [] : differences(`${path}.${key}`, value, live[key]),
    );
  }
  return [{ path, before: live, after: desired }];
}
