// The planner on plain objects: field-level changes, no-op detection, set semantics, masking, ownership, order.
import { describe, expect, it } from 'vitest';
import type { DesiredState } from '../../deploy/config/load.js';
import { satisfies } from '../../deploy/plan/compare.js';
import { createContext, masked, planFromLive } from '../../deploy/plan/plan.js';
import { clientGrants } from '../../deploy/resources/client-grants.js';
import { clients } from '../../deploy/resources/clients.js';
import { users } from '../../deploy/resources/users.js';
import type { LiveItem, ResourceType } from '../../deploy/resources/types.js';

const target = { domain: 'tenant.example', env: 'test', source: 'environment' };

function desiredState(
  overrides: Partial<DesiredState['sections']> = {},
  demoUsers: DesiredState['deploy']['users'] = [],
): DesiredState {
  return {
    sections: {
      clients: [
        {
          name: 'SPA',
          app_type: 'spa',
          callbacks: ['https://a', 'https://b'],
          token_endpoint_auth_method: 'none',
        },
        { name: 'M2M', app_type: 'non_interactive', grant_types: ['client_credentials'] },
      ],
      clientGrants: [{ client_id: 'M2M', audience: 'https://api', scope: ['read', 'write'] }],
      ...overrides,
    },
    passthrough: {},
    deploy: { users: demoUsers, verificationKeyRequired: false },
    actionCode: new Map(),
    files: { tenant: 'tenant.yaml', env: 'env.json' },
  };
}

function contextWith(desired: DesiredState, live: Partial<Record<ResourceType, LiveItem[]>>) {
  const context = createContext({
    mgmt: undefined as never,
    deployClientId: 'deploy-client',
    desired,
    warn: () => undefined,
    refuse: () => undefined,
    progress: () => undefined,
  });
  for (const [type, items] of Object.entries(live) as [ResourceType, LiveItem[]][]) {
    context.live.set(type, items);
    for (const item of items) context.registry.set(type, item.key, item.id);
  }
  return context;
}

const marker = { managed_by: 'tenant-as-code' };
const liveSpa: LiveItem = {
  key: 'SPA',
  id: 'spa-id',
  owned: true,
  body: {
    app_type: 'spa',
    callbacks: ['https://b', 'https://a'],
    token_endpoint_auth_method: 'none',
    client_metadata: { ...marker, extra: 'kept' },
    sso_disabled: false,
  },
};
const liveM2m: LiveItem = {
  key: 'M2M',
  id: 'm2m-id',
  owned: true,
  body: {
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    client_metadata: marker,
  },
};
const liveGrant: LiveItem = {
  key: 'M2M -> https://api',
  id: 'cgr_1',
  owned: true,
  body: { client_id: 'm2m-id', audience: 'https://api', scope: ['write', 'read'] },
};

describe('planner', () => {
  it('plans nothing when the tenant already matches (server extras and array order ignored)', () => {
    const plan = planFromLive(
      contextWith(desiredState(), { clients: [liveSpa, liveM2m], clientGrants: [liveGrant] }),
      target,
      [clients, clientGrants],
      {},
    );
    expect(plan.changes).toEqual([]);
    expect(plan.operations).toEqual([]);
  });

  it('plans one update with before → after for exactly the changed field', () => {
    const desired = desiredState();
    desired.sections.clients![0]!.callbacks = ['https://a', 'https://c'];
    const plan = planFromLive(
      contextWith(desired, { clients: [liveSpa, liveM2m], clientGrants: [liveGrant] }),
      target,
      [clients, clientGrants],
      {},
    );
    expect(plan.changes).toEqual([
      {
        type: 'clients',
        key: 'SPA',
        action: 'update',
        id: 'spa-id',
        fields: [
          {
            path: 'callbacks',
            before: ['https://b', 'https://a'],
            after: ['https://a', 'https://c'],
          },
        ],
      },
    ]);
    const [operation] = plan.operations;
    expect(operation?.kind === 'update' && operation.changedFields).toEqual(['callbacks']);
  });

  it('creates a missing client and its grant, the grant referring to the ID known after apply', () => {
    const plan = planFromLive(
      contextWith(desiredState(), { clients: [liveSpa], clientGrants: [] }),
      target,
      [clients, clientGrants],
      {},
    );
    expect(plan.changes.map((c) => `${c.action} ${c.type} ${c.key}`)).toEqual([
      'create clients M2M',
      'create clientGrants M2M -> https://api',
    ]);
    expect(plan.changes[1]?.fields.find((f) => f.path === 'client_id')?.after).toBe(
      '(id of clients "M2M", known after apply)',
    );
  });

  it('holds back deletes of owned resources without --allow-delete and never plans deleting unowned or protected ones', () => {
    const stray: LiveItem = { key: 'Old', id: 'old-id', owned: true, body: { app_type: 'spa' } };
    const handMade: LiveItem = {
      key: 'Hand made',
      id: 'hand-id',
      owned: false,
      body: { app_type: 'spa' },
    };
    const deployClient: LiveItem = {
      key: 'Deploy',
      id: 'deploy-client',
      owned: true,
      protected: 'belongs to the deploy client',
      body: {},
    };
    const live = {
      clients: [liveSpa, liveM2m, stray, handMade, deployClient],
      clientGrants: [liveGrant],
    };
    const held = planFromLive(
      contextWith(desiredState(), live),
      target,
      [clients, clientGrants],
      {},
    );
    expect(held.changes).toEqual([]);
    expect(held.pendingDeletes).toEqual([{ type: 'clients', key: 'Old', id: 'old-id' }]);
    const allowed = planFromLive(
      contextWith(desiredState(), live),
      target,
      [clients, clientGrants],
      { allowDelete: true },
    );
    expect(allowed.changes.map((c) => `${c.action} ${c.key}`)).toEqual(['delete Old']);
  });

  it('deletes dependants first (grant before its client)', () => {
    const desired = desiredState({
      clients: [
        {
          name: 'SPA',
          app_type: 'spa',
          callbacks: ['https://a', 'https://b'],
          token_endpoint_auth_method: 'none',
        },
      ],
      clientGrants: [],
    });
    const plan = planFromLive(
      contextWith(desired, { clients: [liveSpa, liveM2m], clientGrants: [liveGrant] }),
      target,
      [clients, clientGrants],
      { allowDelete: true },
    );
    expect(plan.changes.map((c) => `${c.action} ${c.type}`)).toEqual([
      'delete clientGrants',
      'delete clients',
    ]);
  });

  it('masks create-only secrets such as a demo user password', () => {
    const desired = desiredState({}, [
      {
        email: 'demo@example.com',
        connection: 'DB',
        password: 'super-secret-pw',
        email_verified: true,
      },
    ]);
    const plan = planFromLive(contextWith(desired, { users: [] }), target, [users], {});
    const password = plan.changes[0]?.fields.find((f) => f.path === 'password');
    expect(password).toEqual({
      path: 'password',
      before: undefined,
      after: masked,
      sensitive: true,
    });
    expect(JSON.stringify(plan.changes)).not.toContain('super-secret-pw');
  });

  it('orders changes stably by type, then key', () => {
    const desired = desiredState({
      clients: [
        { name: 'b', app_type: 'spa' },
        { name: 'a', app_type: 'spa' },
      ],
      clientGrants: [],
    });
    const plan = planFromLive(
      contextWith(desired, { clients: [], clientGrants: [] }),
      target,
      [clients, clientGrants],
      {},
    );
    expect(plan.changes.map((c) => c.key)).toEqual(['a', 'b']);
  });
});

describe('satisfies', () => {
  it('compares objects as subsets, arrays by order unless they are sets', () => {
    expect(satisfies({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(satisfies({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(satisfies(['x', 'y'], ['y', 'x'])).toBe(false);
    expect(satisfies(['x', 'y'], ['y', 'x'], true)).toBe(true);
    expect(
      satisfies(
        [{ value: 's1' }, { value: 's2', description: 'd' }],
        [{ value: 's2', description: 'd' }, { value: 's1' }],
        true,
      ),
    ).toBe(true);
  });

  it('takes a list Auth0 left out for an empty list, and only for an empty one', () => {
    expect(satisfies([], undefined)).toBe(true);
    expect(satisfies([], null)).toBe(true);
    expect(satisfies({ callbacks: [] }, {})).toBe(true);
    expect(satisfies(['x'], undefined)).toBe(false);
    expect(satisfies([], 'x')).toBe(false);
  });
});

describe('partner clients (npm run partner)', () => {
  const partnerRaw = {
    client_id: 'partner-id',
    name: 'M2M',
    app_type: 'non_interactive' as const,
    grant_types: ['client_credentials'],
    client_metadata: { partner: 'true', partner_status: 'suspended' },
  };

  it('flatten marks a partner client and its grants protected, but not a partner tenant.yaml owns', () => {
    const context = contextWith(desiredState(), {});
    const client = clients.flatten(partnerRaw, context)!;
    expect(client.protected).toBe('is a partner client (managed with npm run partner)');
    context.live.set('clients', [client]);
    context.registry.set('clients', client.key, client.id);
    const grant = clientGrants.flatten(
      { id: 'cgr_p', client_id: 'partner-id', audience: 'https://api', scope: ['read'] },
      context,
    )!;
    expect(grant.protected).toBe('is a partner client (managed with npm run partner)');
    const owned = clients.flatten(
      { ...partnerRaw, client_metadata: { ...partnerRaw.client_metadata, ...marker } },
      context,
    )!;
    expect(owned.protected).toBeUndefined();
  });

  it('never plans an update or a delete of them, even when tenant.yaml names the same client', () => {
    const context = contextWith(desiredState(), {});
    const client = clients.flatten(partnerRaw, context)!;
    const grant: LiveItem = { ...liveGrant, owned: false, protected: client.protected! };
    const stray = { ...client, key: 'Stray partner', id: 'stray-id' };
    const live = { clients: [client, stray], clientGrants: [grant] };
    const plan = planFromLive(contextWith(desiredState(), live), target, [clients, clientGrants], {
      allowDelete: true,
    });
    expect(plan.changes.filter((change) => change.action !== 'create')).toEqual([]);
    expect(plan.pendingDeletes).toEqual([]);
    expect(plan.warnings).toContain(
      'clients "M2M" is a partner client (managed with npm run partner) and is never changed by the deploy',
    );
  });
});
