import type { FieldChange, Plan, PlannedChange } from '../plan/plan.js';
import { renderFull, renderPair, valueChanges, type ValueChange } from './value-diff.js';

/** One value for display: full (never shortened, a PEM as its fingerprint), undefined as "(none)". */
export function renderValue(value: unknown): string {
  return renderFull(value);
}

export const actionSymbol = { create: '+', update: '~', delete: '-' } as const;

/** One line of a change as every format shows it. */
export interface DisplayLine {
  path: string;
  kind: 'added' | 'removed' | 'changed' | 'set' | 'unset';
  before?: string;
  after?: string;
}

/**
 * The lines of one field of a change: a create or delete shows the whole value; an update shows each differing
 * element or key (by its identity, e.g. scopes[transfer:funds].description), a long pair cut only around the
 * difference. A masked (sensitive) field says that it changes, never how.
 */
export function displayLines(
  action: PlannedChange['action'],
  field: FieldChange,
  maxLength: number,
): DisplayLine[] {
  if (action === 'create')
    return [{ path: field.path, kind: 'set', after: renderFull(field.after) }];
  if (action === 'delete')
    return [{ path: field.path, kind: 'unset', before: renderFull(field.before) }];
  const changes = field.sensitive ? [] : valueChanges(field.path, field.before, field.after);
  const lines = changes.length > 0 ? changes : [wholeField(field)];
  return lines.map((change) => {
    if (change.kind === 'added')
      return { path: change.path, kind: 'added', after: renderFull(change.after) };
    if (change.kind === 'removed')
      return { path: change.path, kind: 'removed', before: renderFull(change.before) };
    const [before, after] = renderPair(change.before, change.after, maxLength);
    return { path: change.path, kind: 'changed', before, after };
  });
}

function wholeField(field: FieldChange): ValueChange {
  return { path: field.path, kind: 'changed', before: field.before, after: field.after };
}

/** The plan header's note when a plan rests on the checkpoint of a verified deploy rather than on a full read. */
export function basisNote(plan: Pick<Plan, 'basis'>): string | undefined {
  if (!plan.basis) return undefined;
  return `unchanged since verified deploy ${plan.basis.verifiedAt} (tenant logs since ${plan.basis.sinceLogId}); --refresh for a full read`;
}
