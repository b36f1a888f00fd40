// The local tenant's runtime for triggers without pauses (runTriggerActions), in process: binding order, deny and
// validation errors stop the flow, metadata aggregates across Actions, each Action sees only its own secrets.
import { describe, expect, it } from 'vitest';
import type { ActionTriggerId } from '../../actions/runtime/triggers.js';
import { ActionCacheRegistry } from '../../local-tenant/actions-runtime/action-cache.js';
import { runTriggerActions } from '../../local-tenant/actions-runtime/trigger-pipeline.js';
import type { DeployedPostLoginAction } from '../../local-tenant/actions-runtime/types.js';

function action(
  name: string,
  body: string,
  secrets: Record<string, string> = {},
): DeployedPostLoginAction {
  return {
    actionId: `id-${name}`,
    name,
    versionId: `v-${name}`,
    secrets,
    code: `exports.onExecutePreUserRegistration = async (event, api) => {\n${body}\n};`,
  };
}

const run = (
  actions: DeployedPostLoginAction[],
  trigger: ActionTriggerId = 'pre-user-registration',
) =>
  runTriggerActions({
    trigger,
    actions,
    event: { user: { email: 'ann@example.com', user_metadata: {}, app_metadata: {} } },
    cache: new ActionCacheRegistry(),
    timeoutMs: 2000,
  });

describe('pre-user-registration in the local tenant runtime', () => {
  it('aggregates metadata from every Action, in binding order', async () => {
    const outcome = await run([
      action(
        'a',
        "api.user.setAppMetadata('tier', 'basic'); api.user.setUserMetadata('lang', 'en');",
      ),
      action('b', "api.user.setAppMetadata('tier', event.secrets.TIER ?? 'none');", {
        TIER: 'gold',
      }),
    ]);
    expect(outcome).toMatchObject({
      status: 'completed',
      effects: { appMetadata: { tier: 'gold' }, userMetadata: { lang: 'en' } },
    });
  });

  it('stops at a deny (with its user message) or a validation error: later Actions do not run', async () => {
    const later = action('later', "throw new Error('must not run');");
    expect(await run([action('deny', "api.access.deny('blocked', 'Not here');"), later])).toEqual({
      status: 'denied',
      reason: 'blocked',
      userMessage: 'Not here',
    });
    expect(
      await run([action('invalid', "api.validation.error('invalid_email', 'Bad email');"), later]),
    ).toEqual({ status: 'invalid', code: 'invalid_email', message: 'Bad email' });
  });

  it('fails the flow when an Action throws, or exports the wrong handler', async () => {
    expect(await run([action('boom', "throw new Error('exploded');")])).toEqual({
      status: 'failed',
      reason: 'exploded',
    });
    const wrong = { ...action('wrong', ''), code: 'exports.onExecutePostLogin = async () => {};' };
    expect(await run([wrong])).toEqual({
      status: 'failed',
      reason: 'action:wrong does not export onExecutePreUserRegistration',
    });
  });

  it('refuses a trigger the local tenant does not execute', async () => {
    expect(await run([action('a', '')], 'send-phone-message')).toEqual({
      status: 'failed',
      reason: 'the local tenant does not run send-phone-message Actions',
    });
  });
});
