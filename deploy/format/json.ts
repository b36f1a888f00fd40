// `--format json`: a stable, documented document (schemaVersion 1; see deploy/README.md). Secrets are already
// masked in the plan; payloads are never included.
import { summarize, type Plan } from '../plan/plan.js';
import { valueChanges, type ValueChange } from './value-diff.js';

const isStructured = (...values: unknown[]): boolean =>
  values.some((value) => typeof value === 'object' && value !== null);

export interface JsonPlan {
  schemaVersion: 1;
  target: Plan['target'];
  summary: ReturnType<typeof summarize> & { changed: boolean };
  changes: {
    type: string;
    key: string;
    action: string;
    id: string | null;
    fields: {
      path: string;
      before: unknown;
      after: unknown;
      sensitive: boolean;
      /** Updates of arrays and objects: each differing element or key (additive to schemaVersion 1). */
      elements?: { path: string; kind: ValueChange['kind']; before: unknown; after: unknown }[];
    }[];
  }[];
  pendingDeletes: Plan['pendingDeletes'];
  warnings: string[];
  /** null after a full read; the checkpoint the plan rests on otherwise. */
  basis: Plan['basis'] | null;
}

export function toJsonPlan(
  plan: Pick<Plan, 'target' | 'changes' | 'pendingDeletes' | 'warnings' | 'basis'>,
): JsonPlan {
  const summary = summarize(plan);
  return {
    schemaVersion: 1,
    target: plan.target,
    summary: { ...summary, changed: plan.changes.length + plan.pendingDeletes.length > 0 },
    changes: plan.changes.map((change) => ({
      type: change.type,
      key: change.key,
      action: change.action,
      id: change.id ?? null,
      fields: change.fields.map((field) => {
        const elements =
          change.action === 'update' && !field.sensitive && isStructured(field.before, field.after)
            ? valueChanges(field.path, field.before, field.after)
            : [];
        return {
          path: field.path,
          before: field.before ?? null,
          after: field.after ?? null,
          sensitive: field.sensitive === true,
          ...(elements.length > 0
            ? {
                elements: elements.map((element) => ({
                  path: element.path,
                  kind: element.kind,
                  before: element.before ?? null,
                  after: element.after ?? null,
                })),
              }
            : {}),
        };
      }),
    })),
    pendingDeletes: plan.pendingDeletes,
    warnings: plan.warnings,
    basis: plan.basis ?? null,
  };
}

export function formatJson(
  plan: Pick<Plan, 'target' | 'changes' | 'pendingDeletes' | 'warnings' | 'basis'>,
): string {
  return `${JSON.stringify(toJsonPlan(plan), null, 2)}\n`;
}
