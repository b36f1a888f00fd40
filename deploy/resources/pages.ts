// Small helpers every resource module uses: all pages of an SDK list call, and copying the compared fields.

export interface PageLike<T> {
  data: T[];
  hasNextPage(): boolean;
  getNextPage(): Promise<PageLike<T>>;
}

/** Every item of an SDK list call (Page objects follow `next` / page numbers themselves). */
export async function collectPages<T>(first: Promise<PageLike<T>>): Promise<T[]> {
  let page = await first;
  const items = [...page.data];
  while (page.hasNextPage()) {
    page = await page.getNextPage();
    items.push(...page.data);
  }
  return items;
}

/** Copies only the listed fields that are present, so comparisons ignore server-side extras. */
export function pick<T extends object, K extends keyof T>(
  source: T,
  fields: readonly K[],
): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}

/** True when the value is an object (not null, not an array): JSON from the tenant, checked before use. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ID in a create's answer (optional in the SDK's types, always present in Auth0's answers). */
export function createdId(id: string | undefined, what: string): string {
  if (!id) throw new Error(`the tenant created ${what} but its answer carries no ID`);
  return id;
}

/** The member of an SDK enum object (`Management.GuardianFactorNameEnum`) that equals `value`, if any. */
export function enumValue<T extends string>(
  values: Record<string, T>,
  value: string,
): T | undefined {
  return Object.values(values).find((candidate) => candidate === value);
}
