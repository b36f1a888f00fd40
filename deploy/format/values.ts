import { createHash } from 'node:crypto';
import type { Plan } from '../plan/plan.js';

// One way to print a value in every format: compact JSON, long values shortened, undefined as "(none)".
export function renderValue(value: unknown, maxLength = 120): string {
  if (value === undefined) return '(none)';
  // A PEM is unreadable in a plan; its fingerprint is what a reviewer can compare with `npm run keys` output.
  if (typeof value === 'string' && value.includes('-----BEGIN'))
    return `"PEM ${/-----BEGIN ([A-Z ]+)-----/.exec(value)?.[1]?.toLowerCase() ?? ''} sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}"`;
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

export const actionSymbol = { create: '+', update: '~', delete: '-' } as const;

/** The plan header's note when a plan rests on the checkpoint of a verified deploy rather than on a full read. */
export function basisNote(plan: Pick<Plan, 'basis'>): string | undefined {
  if (!plan.basis) return undefined;
  return `unchanged since verified deploy ${plan.basis.verifiedAt} (tenant logs since ${plan.basis.sinceLogId}); --refresh for a full read`;
}
