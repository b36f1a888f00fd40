// `{{clientIds: Banking SPA, Partner}}` in an Action secret value: replaced at deploy time by the comma-separated IDs
// the target tenant gave those clients, so nobody copies client IDs between environments by hand.
const pattern = /^\{\{\s*clientIds\s*:(.*)\}\}$/;

export function parseClientIdsReference(value: string): string[] | undefined {
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  return (match[1] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
