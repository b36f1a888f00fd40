// Runs the Actions bound to a trigger without pauses (everything but post-login's MFA challenges): one at a time
// in binding order, each with its own secrets and cache, sharing the effects; deny or a validation error stop the
// flow, and so does an Action that throws or runs out of the trigger's 20 s.
import type { ActionTriggerId } from '../../actions/runtime/triggers.js';
import { isRecord } from '../../lib/guards.js';
import type { ActionCacheRegistry } from './action-cache.js';
import { inProcessExecutor, type ActionExecutor } from './executor.js';
import { AUTH0_TRIGGER_TIMEOUT_MS, newPipelineState } from './pipeline.js';
import type { DeployedPostLoginAction, PipelineEffects } from './types.js';

export type TriggerOutcome =
  | { status: 'completed'; effects: PipelineEffects }
  | { status: 'denied'; reason: string; userMessage: string }
  | { status: 'invalid'; code: string; message: string }
  | { status: 'failed'; reason: string };

export async function runTriggerActions(run: {
  trigger: ActionTriggerId;
  actions: readonly DeployedPostLoginAction[];
  /** The event without `secrets` (each Action gets its own). */
  event: Record<string, unknown>;
  cache: ActionCacheRegistry;
  timeoutMs?: number;
  executor?: ActionExecutor;
}): Promise<TriggerOutcome> {
  let effects = newPipelineState().effects;
  let elapsedMs = 0;
  const budgetMs = run.timeoutMs ?? AUTH0_TRIGGER_TIMEOUT_MS;
  for (const action of run.actions) {
    try {
      const result = await (run.executor ?? inProcessExecutor).run({
        trigger: run.trigger,
        code: action.code,
        dependencies: action.dependencies ?? [],
        event: { ...run.event, secrets: { ...action.secrets } },
        effects,
        cacheEntries: [...run.cache.entriesOf(action.actionId)],
        canRedirect: false,
        filename: `action:${action.name}`,
        timeoutMs: Math.max(1, Math.floor(budgetMs - elapsedMs)),
      });
      elapsedMs += result.durationMs;
      effects = result.effects;
      run.cache.replace(action.actionId, result.cacheEntries);
      const { control } = result;
      if (control.deniedReason !== undefined)
        return {
          status: 'denied',
          reason: control.deniedReason,
          userMessage: control.userMessage ?? '',
        };
      if (control.validationError) return { status: 'invalid', ...control.validationError };
    } catch (error) {
      return { status: 'failed', reason: thrownMessage(error) };
    }
  }
  return { status: 'completed', effects };
}

/** An Action's error comes from its own node:vm realm, where `instanceof Error` is false: read `message`. */
function thrownMessage(error: unknown): string {
  return isRecord(error) && typeof error['message'] === 'string' ? error['message'] : String(error);
}
