// One way to print a value in every format: compact JSON, long values shortened, undefined as "(none)".
export function renderValue(value: unknown, maxLength = 120): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

export const actionVerb = { create: 'create', update: 'update', delete: 'delete' } as const;
export const actionSymbol = { create: '+', update: '~', delete: '-' } as const;
