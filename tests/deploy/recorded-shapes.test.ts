// The deploy engine against Auth0's real response shapes: every managed type is read from bodies Auth0 really
// returned (fixtures/auth0-responses/, with all their server defaults), through the SDK and the planner the CLI uses.
// A tenant.yaml describing the same values must plan nothing; one changed value must plan exactly that field.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../deploy/config/load.js';
import { createContext, createPlan, type Plan } from '../../deploy/plan/plan.js';
import { connect } from '../../deploy/target/management-client.js';
import {
  actionCode,
  envFile,
  marker,
  recordedState,
  tenantYaml,
} from './recorded-shapes-config.js';
import { startRecordedTenant, type RecordedTenant } from './recorded-tenant.js';
import { testBudget } from './helpers.js';

let tenant: RecordedTenant;
const dir = mkdtempSync(join(tmpdir(), 'recorded-shapes-'));

beforeAll(async () => {
  mkdirSync(join(dir, 'env'));
  mkdirSync(join(dir, 'code'));
  writeFileSync(join(dir, 'env', 'local.json'), JSON.stringify(envFile));
  writeFileSync(join(dir, 'code', 'deployed.js'), actionCode.deployed);
  writeFileSync(join(dir, 'code', 'bound.js'), actionCode.bound);
  tenant = await startRecordedTenant(recordedState());
});

afterAll(async () => {
  await tenant?.close();
});

/** Plans `yaml` against the recorded tenant exactly as `npm run diff --refresh` does after its target checks. */
async function planFor(yaml: string): Promise<Plan> {
  const tenantFile = join(dir, 'tenant.yaml');
  writeFileSync(tenantFile, yaml);
  const desired = loadDesiredState({ tenantFile, env: 'local', variables: {} });
  const connected = connect(tenant.target, { budget: testBudget });
  try {
    const context = createContext({
      mgmt: connected.mgmt,
      deployClientId: tenant.target.clientId,
      desired,
      warn: () => undefined,
      refuse: () => undefined,
      progress: () => undefined,
    });
    const { domain, env, source } = tenant.target;
    return await createPlan(context, { domain, env, source });
  } finally {
    await connected.close();
  }
}

function edit(yaml: string, from: string, to: string): string {
  if (!yaml.includes(from)) throw new Error(`the tenant.yaml of this test has no "${from}"`);
  return yaml.replace(from, to);
}

describe("the deploy engine against Auth0's recorded responses", () => {
  it('a tenant.yaml describing the recorded values plans no change, for every managed type', async () => {
    const plan = await planFor(tenantYaml);
    expect(plan.changes).toEqual([]);
    expect(plan.pendingDeletes).toEqual([]);
    expect(plan.warnings).toEqual([]);
    // Every managed type was really read from the recorded bodies, and nothing was written.
    expect(tenant.unanswered).toEqual([]);
    for (const path of [
      '/resource-servers',
      '/clients',
      '/client-grants',
      '/connections',
      '/users-by-email',
      '/actions/actions',
      '/actions/triggers/post-login/bindings',
      '/guardian/factors',
      '/guardian/policies',
      '/tenants/settings',
    ])
      expect(tenant.requests.some((line) => line.startsWith(`GET /api/v2${path}`))).toBe(true);
  });

  const cases: [string, string, string, Plan['changes'][number]][] = [
    [
      'resourceServers',
      'token_lifetime: 7200',
      'token_lifetime: 3600',
      {
        type: 'resourceServers',
        key: 'https://api.example.com/',
        action: 'update',
        id: '6894aa57b783a191fa65e6e1',
        fields: [{ path: 'token_lifetime', before: 7200, after: 3600 }],
      },
    ],
    [
      'clients (nested field)',
      'infinite_idle_token_lifetime: false',
      'infinite_idle_token_lifetime: true',
      {
        type: 'clients',
        key: 'client.dev',
        action: 'update',
        id: 'tpc_rhQfCQohbSxytKPKF987fE',
        fields: [
          { path: 'refresh_token.infinite_idle_token_lifetime', before: false, after: true },
        ],
      },
    ],
    [
      'clients (set field)',
      'callbacks: [https://client.dev/oauth/callback]',
      'callbacks: [https://client.dev/oauth/callback, https://client.dev/cb2]',
      {
        type: 'clients',
        key: 'client.dev',
        action: 'update',
        id: 'tpc_rhQfCQohbSxytKPKF987fE',
        fields: [
          {
            path: 'callbacks',
            before: ['https://client.dev/oauth/callback'],
            after: ['https://client.dev/oauth/callback', 'https://client.dev/cb2'],
          },
        ],
      },
    ],
    [
      'clientGrants',
      'scope: [create:resource]',
      'scope: [create:resource, create:organization_client_grants]',
      {
        type: 'clientGrants',
        key: 'Test Client (Jan 20 13:02:53.414) -> https://api.example.com/ (user)',
        action: 'update',
        id: 'cgr_1knWIGy7bcAfm7DZ',
        fields: [
          {
            path: 'scope',
            before: ['create:resource'],
            after: ['create:resource', 'create:organization_client_grants'],
          },
        ],
      },
    ],
    [
      'databases',
      'passwordPolicy: good',
      'passwordPolicy: excellent',
      {
        type: 'databases',
        key: 'Test-Auth0-Connection-1757344549',
        action: 'update',
        id: 'con_0AjkvDzYmclvswGe',
        fields: [{ path: 'options.passwordPolicy', before: 'good', after: 'excellent' }],
      },
    ],
    [
      'actions',
      'runtime: node18',
      'runtime: node22',
      {
        type: 'actions',
        key: 'Test Action (Jan 13 11:50:54.438)',
        action: 'update',
        id: '295d7c28-06dc-4d72-93a6-da8a6d947fbe',
        fields: [{ path: 'runtime', before: 'node18', after: 'node22' }],
      },
    ],
    [
      'triggers',
      'display_name: My test action Binding',
      'display_name: Renamed binding',
      {
        type: 'triggers',
        key: 'post-login',
        action: 'update',
        id: 'post-login',
        fields: [
          {
            path: 'bindings',
            before: [
              {
                action_name: 'Test Action (Jan 25 18:42:12.107)',
                display_name: 'My test action Binding',
              },
            ],
            after: [
              { action_name: 'Test Action (Jan 25 18:42:12.107)', display_name: 'Renamed binding' },
            ],
          },
        ],
      },
    ],
    [
      'guardianFactors',
      '{ name: sms, enabled: false }',
      '{ name: sms, enabled: true }',
      {
        type: 'guardianFactors',
        key: 'sms',
        action: 'update',
        id: 'sms',
        fields: [{ path: 'enabled', before: false, after: true }],
      },
    ],
    [
      'guardianPolicies',
      'policies: []',
      'policies: [all-applications]',
      {
        type: 'guardianPolicies',
        key: 'mfa-policy',
        action: 'update',
        id: 'mfa-policy',
        fields: [{ path: 'policies', before: [], after: ['all-applications'] }],
      },
    ],
    [
      'tenant',
      'friendly_name: My Example Tenant',
      'friendly_name: My Bank',
      {
        type: 'tenant',
        key: 'settings',
        action: 'update',
        id: 'settings',
        fields: [{ path: 'friendly_name', before: 'My Example Tenant', after: 'My Bank' }],
      },
    ],
  ];

  it.each(cases)(
    '%s: one changed value plans exactly that field',
    async (_type, from, to, change) => {
      const plan = await planFor(edit(tenantYaml, from, to));
      expect(plan.changes).toEqual([change]);
      expect(tenant.unanswered).toEqual([]);
    },
  );

  it('a client of ours that tenant.yaml no longer has is held back for deletion, its system grant never', async () => {
    const express = tenant.state.clients[2] as Record<string, unknown>;
    express.client_metadata = marker;
    try {
      const plan = await planFor(tenantYaml);
      expect(plan.changes).toEqual([]);
      expect(plan.pendingDeletes).toEqual([
        {
          type: 'clients',
          key: 'Express Config Client (Nov 14 12:15:14.650)',
          id: '0v4ARY1WxQi9ICbbSUMZPYimMarvlo5Y',
        },
      ]);
    } finally {
      delete express.client_metadata;
    }
  });

  it('users: one changed value plans exactly that field', async () => {
    const user = envFile.deploy.users[0] as (typeof envFile.deploy.users)[number];
    writeFileSync(
      join(dir, 'env', 'local.json'),
      JSON.stringify({ deploy: { users: [{ ...user, name: 'Chuck Sanchez' }] } }),
    );
    try {
      const plan = await planFor(tenantYaml);
      expect(plan.changes).toEqual([
        {
          type: 'users',
          key: 'chuck878@example.com',
          action: 'update',
          id: 'auth0|63d17c4a9d503d76c056c160',
          fields: [{ path: 'name', before: 'chuck878@example.com', after: 'Chuck Sanchez' }],
        },
      ]);
    } finally {
      writeFileSync(join(dir, 'env', 'local.json'), JSON.stringify(envFile));
    }
  });
});
