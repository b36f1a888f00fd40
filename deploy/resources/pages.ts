// Collects every page of an SDK list call (Page objects follow `next` / page numbers themselves).
export interface PageLike<T> {
  data: T[];
  hasNextPage(): boolean;
  getNextPage(): Promise<PageLike<T>>;
}

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
export function pick(source: object, fields: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const field of fields) if (record[field] !== undefined) result[field] = record[field];
  return result;
}
