// /api/v2/actions/triggers and trigger bindings (docs/auth0-facts.md §2): PATCH replaces the whole
// ordered list; refs by action_name, action_id or binding_id; only deployed actions supporting the
// trigger can be bound.
import { z } from 'zod';
import { badRequest, notFound } from '../errors.js';
import { newIds } from '../ids.js';
import type { TenantContext } from '../context.js';
import type { TenantState, TriggerBindingRecord } from '../state/types.js';
import { paginateActionsStyle } from './pagination.js';
import { parseBody } from './validation.js';
import type { ManagementRoute } from './routes.js';
import { actionSummary, versionResponse } from './action-versions.js';
import { isOneOf } from '../../lib/guards.js';

export const triggerIds = [
  'post-login',
  'credentials-exchange',
  'pre-user-registration',
  'post-user-registration',
  'post-change-password',
  'send-phone-message',
  'custom-phone-provider',
  'custom-email-provider',
  'password-reset-post-challenge',
  'custom-token-exchange',
  'event-stream',
  'password-hash-migration',
  'login-post-identifier',
  'signup-post-identifier',
] as const;

// Current trigger versions (GO-REC TestActionManager_Triggers, runtimes updated to today's node18/node22).
const currentVersions: Record<string, string> = {
  'post-login': 'v3',
  'credentials-exchange': 'v2',
  'pre-user-registration': 'v2',
  'post-user-registration': 'v2',
  'post-change-password': 'v2',
  'send-phone-message': 'v2',
};

function triggerList() {
  return triggerIds.map((id) => ({
    id,
    version: currentVersions[id] ?? 'v1',
    status: 'CURRENT',
    runtimes: ['node18', 'node22'],
    default_runtime: 'node22',
    compatible_triggers: id === 'post-login' ? [{ id: 'post-login', version: 'v2' }] : [],
  }));
}

const bindingsSchema = z.strictObject({
  bindings: z.array(
    z.strictObject({
      ref: z.strictObject({
        type: z.enum(['action_name', 'action_id', 'binding_id']),
        value: z.string().min(1),
      }),
      display_name: z.string().optional(),
      secrets: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
    }),
  ),
});

function bindingResponse(
  binding: TriggerBindingRecord,
  state: Readonly<TenantState>,
): Record<string, unknown> {
  const action = state.actions.find((candidate) => candidate.id === binding.action_id);
  const deployed = state.action_versions.find(
    (version) => version.id === action?.deployed_version_id,
  );
  return {
    id: binding.id,
    trigger_id: binding.trigger_id,
    display_name: binding.display_name,
    action: action
      ? {
          ...actionSummary(action),
          ...(deployed ? { deployed_version: versionResponse(deployed, action, false) } : {}),
        }
      : null,
    created_at: binding.created_at,
    updated_at: binding.updated_at,
  };
}

export function registerTriggerRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;
  const knownTrigger = (id: string | undefined): string => {
    if (!id || !isOneOf(triggerIds, id)) throw notFound('That trigger does not exist.');
    return id;
  };

  route('GET', '/actions/triggers', 'read:actions', () => ({ triggers: triggerList() }));

  route('GET', '/actions/triggers/:triggerId/bindings', 'read:actions', ({ params, query }) => {
    const triggerId = knownTrigger(params.triggerId);
    const state = store.snapshot;
    const bindings = state.trigger_bindings
      .filter((binding) => binding.trigger_id === triggerId)
      .map((binding) => bindingResponse(binding, state));
    return paginateActionsStyle(bindings, query, 'bindings');
  });

  route('PATCH', '/actions/triggers/:triggerId/bindings', 'update:actions', ({ params, body }) => {
    const triggerId = knownTrigger(params.triggerId);
    const input = parseBody(bindingsSchema, body);
    return store.mutate((state) => {
      const previous = state.trigger_bindings.filter((binding) => binding.trigger_id === triggerId);
      const now = new Date().toISOString();
      const next: TriggerBindingRecord[] = input.bindings.map(({ ref, display_name }) => {
        const priorBinding =
          ref.type === 'binding_id'
            ? previous.find((binding) => binding.id === ref.value)
            : undefined;
        if (ref.type === 'binding_id' && !priorBinding)
          throw notFound(`That binding does not exist: ${ref.value}`);
        const action = state.actions.find((candidate) =>
          ref.type === 'action_id'
            ? candidate.id === ref.value
            : ref.type === 'action_name'
              ? candidate.name === ref.value
              : candidate.id === priorBinding?.action_id,
        );
        if (!action) throw notFound(`That action does not exist: ${ref.value}`);
        if (!action.supported_triggers.some((trigger) => trigger.id === triggerId)) {
          throw badRequest(
            `The action '${action.name}' does not support the trigger ${triggerId}.`,
            'invalid_binding',
          );
        }
        // Auth0 binds deployed versions only (UNCONFIRMED wording).
        if (!action.deployed_version_id)
          throw badRequest(
            `The action '${action.name}' must be deployed before it can be bound.`,
            'invalid_binding',
          );
        const reused = priorBinding ?? previous.find((binding) => binding.action_id === action.id);
        return {
          id: reused?.id ?? newIds.uuid(),
          trigger_id: triggerId,
          action_id: action.id,
          display_name: display_name ?? reused?.display_name ?? action.name,
          created_at: reused?.created_at ?? now,
          updated_at: now,
        };
      });
      state.trigger_bindings = [
        ...state.trigger_bindings.filter((binding) => binding.trigger_id !== triggerId),
        ...next,
      ];
      return { bindings: next.map((binding) => bindingResponse(binding, state)) };
    });
  });
}
