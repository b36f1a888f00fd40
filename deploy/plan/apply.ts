// The applier: executes exactly the operations of a plan, in order, then re-reads what it changed and verifies that
// the tenant now matches. A failure that may have happened after the server acted (5xx, dropped connection on a
// POST) is resolved by reading the resource again, never by blindly repeating a create.
import { ManagementError } from 'auth0';
import { RequestFailedError } from '../http/resilient-fetch.js';
import type { Body, LiveItem, Refusal, ResourceContext, ResourceType } from '../resources/types.js';
import { createPlan, type Operation, type Plan } from './plan.js';

export interface ApplyResult {
  applied: number;
  verified: boolean;
  /** Differences still present after the apply (empty when verified). */
  remaining: Plan['changes'];
  /** Our resources gone from the config that are still on the tenant (held back without --allow-delete). */
  pendingDeletes: Plan['pendingDeletes'];
  /** Fields the tenant refused and the apply went on without; not counted as differences by the verification. */
  refusals: Refusal[];
  /** The live state the verification read (the types it re-read); absent when nothing was applied. */
  live?: Map<ResourceType, LiveItem[]>;
}

export interface ApplyOptions {
  /**
   * Runs right before the verifying reads (a checkpoint's log id must be read before them) and says whether every
   * managed type must be re-read, not only the changed ones.
   */
  beforeVerify?: () => Promise<{ verifyAllTypes: boolean }>;
}

const maxAttempts = 3;

export async function applyPlan(
  plan: Plan,
  callerContext: ResourceContext,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const refusals: Refusal[] = [];
  const context: ResourceContext = {
    ...callerContext,
    refuse: (refusal) => {
      refusals.push(refusal);
      callerContext.refuse(refusal);
    },
  };
  let applied = 0;
  for (const [index, operation] of plan.operations.entries()) {
    const { change } = operation;
    context.progress(
      `[${index + 1}/${plan.operations.length}] ${change.action} ${change.type} "${change.key}"`,
    );
    await runWithRecovery(context, operation);
    applied++;
  }
  // Nothing applied: the plan's own reads are the verification.
  if (applied === 0)
    return {
      applied,
      verified: true,
      remaining: [],
      pendingDeletes: plan.pendingDeletes,
      refusals,
    };
  const touched = [...new Set(plan.operations.map((operation) => operation.change.type))];
  const { verifyAllTypes } = (await options.beforeVerify?.()) ?? { verifyAllTypes: false };
  context.progress(`verifying ${verifyAllTypes ? 'all managed types' : touched.join(', ')}`);
  const verifyContext: ResourceContext = {
    ...context,
    live: new Map(),
    registry: context.registry,
  };
  const after = await createPlan(verifyContext, plan.target, {
    ...(verifyAllTypes ? {} : { types: touched }),
    allowDelete: plan.changes.some((c) => c.action === 'delete'),
  });
  const remaining = withoutRefused(after.changes, refusals);
  return {
    applied,
    verified: remaining.length === 0,
    remaining,
    pendingDeletes: after.pendingDeletes,
    refusals,
    live: verifyContext.live,
  };
}

/** The differences that remain once the fields the tenant refused (known, warned about) are set aside. */
export function withoutRefused(
  changes: Plan['changes'],
  refusals: readonly Refusal[],
): Plan['changes'] {
  return changes.filter(
    (change) =>
      !refusals.some(
        (refusal) =>
          refusal.type === change.type &&
          refusal.key === change.key &&
          change.fields.every((field) => refusal.fields.includes(topLevel(field.path))),
      ),
  );
}

function topLevel(path: string): string {
  return path.split('.')[0] ?? path;
}

async function runWithRecovery(context: ResourceContext, planned: Operation): Promise<void> {
  let operation = planned;
  for (let attempt = 1; ; attempt++) {
    try {
      await execute(context, operation);
      return;
    } catch (error) {
      if (!isUncertainFailure(error) || attempt >= maxAttempts) throw error;
      context.progress(
        `  ${operation.change.type} "${operation.change.key}": ${shortMessage(error)} — reading it back to see whether it took effect`,
      );
      const still = await reconcile(context, operation);
      if (!still) return;
      operation = still;
    }
  }
}

/**
 * Runs one operation. The body is expanded again with the IDs known now (a grant's client was created by an earlier
 * operation); the fields to send are the ones the plan found changed.
 */
async function execute(context: ResourceContext, operation: Operation): Promise<void> {
  const { module, change } = operation;
  if (operation.kind === 'delete') {
    if (!module.delete) throw new Error(`${module.type} cannot be deleted`);
    await module.delete(context, operation.live);
    return;
  }
  const item = module
    .desired(context.desired, context.registry.idsForApply())
    .find((candidate) => candidate.key === change.key);
  if (!item) throw new Error(`${change.type} "${change.key}" is no longer in the desired state`);
  if (operation.kind === 'create') {
    if (!module.create) throw new Error(`${module.type} cannot be created`);
    context.registry.set(module.type, item.key, await module.create(context, item));
    return;
  }
  await module.update(
    context,
    operation.live,
    pickFields(item.body, operation.changedFields),
    item,
  );
}

function pickFields<T extends Body>(body: T, fields: readonly (keyof T)[]): Partial<T> {
  const picked: Partial<T> = {};
  for (const field of fields) picked[field] = body[field];
  return picked;
}

/**
 * After an uncertain failure, re-plan this one resource from fresh live state. Undefined when nothing is left to do
 * (the write took effect); otherwise what is still needed (a create that did happen becomes an update).
 */
async function reconcile(
  context: ResourceContext,
  operation: Operation,
): Promise<Operation | undefined> {
  const { change } = operation;
  const fresh: ResourceContext = { ...context, live: new Map(context.live) };
  const replan = await createPlan(
    fresh,
    { domain: '', env: '', source: '' },
    { types: [change.type], allowDelete: change.action === 'delete' },
  );
  const still = replan.operations.find(
    (candidate) => candidate.change.key === change.key && candidate.change.type === change.type,
  );
  if (!still) {
    const live = fresh.live.get(change.type)?.find((item) => item.key === change.key);
    if (live) context.registry.set(change.type, live.key, live.id);
  }
  return still;
}

function isUncertainFailure(error: unknown): boolean {
  if (error instanceof RequestFailedError) return true;
  if (error instanceof ManagementError) {
    const status = error.statusCode;
    return (
      status === undefined ||
      status >= 500 ||
      status === 408 ||
      status === 429 ||
      /fetch failed|network/i.test(error.message)
    );
  }
  return false;
}

function shortMessage(error: unknown): string {
  if (error instanceof ManagementError && error.statusCode) return `HTTP ${error.statusCode}`;
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
