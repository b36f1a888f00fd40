// Actions: asynchronous build, deploy → numbered versions, triggers and bindings, via the auth0 v7 SDK.
import { describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { captureFailure } from '../helpers/management-errors.js';

// Slow builds so "deploy before built" is observed deterministically, not by racing a timer.
const lt = useLocalTenant({ actionBuildTimings: { pendingMs: 150, buildingMs: 150 } });

async function waitUntilBuilt(id: string): Promise<string[]> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = (await lt.management.actions.get(id)).status ?? 'unknown';
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 'built') return seen;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`action ${id} never built; saw ${seen.join(' → ')}`);
}

async function createBuiltAction(
  name: string,
  code = 'exports.onExecutePostLogin = async () => {};',
) {
  const action = await lt.management.actions.create({
    name,
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code,
  });
  await waitUntilBuilt(action.id!);
  return action;
}

describe('actions', () => {
  it('creates a pending action (201) that builds asynchronously; deploy is refused until built', async () => {
    const created = await lt.management.actions
      .create({
        name: 'step-up',
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
        code: 'exports.onExecutePostLogin = async () => {};',
        secrets: [{ name: 'KEY', value: 's3cret' }],
      })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data).toMatchObject({
      status: 'pending',
      runtime: 'node22',
      all_changes_deployed: false,
    });
    expect(created.data.secrets).toEqual([{ name: 'KEY', updated_at: expect.any(String) }]);

    const early = await captureFailure(lt.management.actions.deploy(created.data.id!));
    expect(early.statusCode).toBe(400);
    expect(String(early.body.message)).toContain("must be in the 'built' state");

    const statuses = await waitUntilBuilt(created.data.id!);
    expect(statuses.at(-1)).toBe('built');
    expect(statuses).not.toContain('failed');
  });

  it('deploys (200) numbered versions and lists them newest first', async () => {
    const action = await createBuiltAction('versioned');
    const first = await lt.management.actions.deploy(action.id!).withRawResponse();
    expect(first.rawResponse.status).toBe(200);
    expect(first.data).toMatchObject({
      number: 1,
      status: 'built',
      action: { id: action.id, name: 'versioned' },
    });

    await lt.management.actions.update(action.id!, {
      code: 'exports.onExecutePostLogin = async (e, api) => { api.access.deny("x"); };',
    });
    expect((await lt.management.actions.get(action.id!)).all_changes_deployed).toBe(false);
    await waitUntilBuilt(action.id!);
    const second = await lt.management.actions.deploy(action.id!);
    expect(second.number).toBe(2);

    const versions = await lt.management.actions.versions.list(action.id!);
    expect(versions.data.map((version) => version.number)).toEqual([2, 1]);
    expect(versions.data[0]?.deployed).toBe(true);
    expect(versions.data[1]?.deployed).toBe(false);
    const current = await lt.management.actions.get(action.id!);
    expect(current.deployed_version?.number).toBe(2);
    expect(current.all_changes_deployed).toBe(true);
  });

  it('rolls back by deploying an earlier version, optionally copying it into the draft', async () => {
    const action = await createBuiltAction(
      'rollback',
      'exports.onExecutePostLogin = async () => { /* v1 */ };',
    );
    const v1 = await lt.management.actions.deploy(action.id!);
    await lt.management.actions.update(action.id!, {
      code: 'exports.onExecutePostLogin = async () => { /* v2 */ };',
    });
    await waitUntilBuilt(action.id!);
    await lt.management.actions.deploy(action.id!);

    const rolledBack = await lt.management.actions.versions.deploy(action.id!, v1.id!, {
      update_draft: true,
    });
    // As a real tenant does (recorded TestActionManager_DeployVersion): a new version 3, identical to version 1.
    expect(rolledBack).toMatchObject({ number: 3, code: v1.code, deployed: false });
    expect(rolledBack.id).not.toBe(v1.id);
    const current = await lt.management.actions.get(action.id!);
    expect(current.deployed_version).toMatchObject({ id: rolledBack.id, number: 3 });
    expect(current.code).toContain('v1');
    expect(current.all_changes_deployed).toBe(true);
    const versions = await lt.management.actions.versions.list(action.id!);
    expect(versions.data.map((version) => version.number)).toEqual([3, 2, 1]);
  });

  it('lists the available triggers', async () => {
    const { triggers } = await lt.management.actions.triggers.list();
    expect(triggers?.find((trigger) => trigger.id === 'post-login')).toMatchObject({
      version: 'v3',
      status: 'CURRENT',
    });
  });

  it('replaces the binding list on PATCH (by action_name and action_id) and clears it with []', async () => {
    const first = await createBuiltAction('bind-one');
    const second = await createBuiltAction('bind-two');
    await lt.management.actions.deploy(first.id!);
    await lt.management.actions.deploy(second.id!);

    const bound = await lt.management.actions.triggers.bindings.updateMany('post-login', {
      bindings: [
        { ref: { type: 'action_name', value: 'bind-one' }, display_name: 'One' },
        { ref: { type: 'action_id', value: second.id! }, display_name: 'Two' },
      ],
    });
    expect(bound.bindings?.map((binding) => binding.display_name)).toEqual(['One', 'Two']);
    expect(bound.bindings?.[0]?.action?.deployed_version?.number).toBe(1);

    await lt.management.actions.triggers.bindings.updateMany('post-login', {
      bindings: [{ ref: { type: 'action_name', value: 'bind-two' } }],
    });
    const listed = await lt.management.actions.triggers.bindings.list('post-login');
    expect(listed.data.map((binding) => binding.action?.name)).toEqual(['bind-two']);

    await lt.management.actions.triggers.bindings.updateMany('post-login', { bindings: [] });
    expect((await lt.management.actions.triggers.bindings.list('post-login')).data).toEqual([]);
  });

  it('refuses to bind an undeployed action or an unknown one', async () => {
    await createBuiltAction('never-deployed');
    const undeployed = await captureFailure(
      lt.management.actions.triggers.bindings.updateMany('post-login', {
        bindings: [{ ref: { type: 'action_name', value: 'never-deployed' } }],
      }),
    );
    expect(undeployed.statusCode).toBe(400);
    const unknown = await captureFailure(
      lt.management.actions.triggers.bindings.updateMany('post-login', {
        bindings: [{ ref: { type: 'action_name', value: 'no-such-action' } }],
      }),
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses to delete a bound action unless force=true, which also removes the binding', async () => {
    const action = await createBuiltAction('bound-delete');
    await lt.management.actions.deploy(action.id!);
    await lt.management.actions.triggers.bindings.updateMany('post-login', {
      bindings: [{ ref: { type: 'action_id', value: action.id! } }],
    });

    const refused = await captureFailure(lt.management.actions.delete(action.id!));
    expect(refused.statusCode).toBe(409);
    expect(String(refused.body.message)).toContain('bound');
    expect((await lt.management.actions.get(action.id!)).id).toBe(action.id);

    expect(
      (await lt.management.actions.delete(action.id!, { force: true }).withRawResponse())
        .rawResponse.status,
    ).toBe(204);
    expect((await captureFailure(lt.management.actions.get(action.id!))).body.message).toBe(
      'That action does not exist.',
    );
    expect((await lt.management.actions.triggers.bindings.list('post-login')).data).toEqual([]);
  });

  it('validates action payloads like Auth0 (one trigger, known trigger ids, unique names)', async () => {
    const twoTriggers = await captureFailure(
      lt.management.actions.create({
        name: 'two',
        supported_triggers: [{ id: 'post-login' }, { id: 'credentials-exchange' }],
      }),
    );
    expect(twoTriggers.statusCode).toBe(400);
    const badTrigger = await captureFailure(
      lt.management.actions.create({
        name: 'bad',
        supported_triggers: [{ id: 'pre-login' as never }],
      }),
    );
    expect(badTrigger.body.errorCode).toBe('invalid_body');
    await lt.management.actions.create({
      name: 'unique',
      supported_triggers: [{ id: 'post-login' }],
    });
    expect(
      (
        await captureFailure(
          lt.management.actions.create({
            name: 'unique',
            supported_triggers: [{ id: 'post-login' }],
          }),
        )
      ).statusCode,
    ).toBe(409);
  });
});
