// The one deploy suite that runs auth0-deploy-cli (slow: it compiles its 8 MB schema — once, with
// a0deploy-schema-once): a tenant.yaml section we do not manage is handed to a0deploy's import, limited to that
// section, while our deploy handles the rest.
import { appendFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../helpers/a0deploy-schema-once.js';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { createWorkspace, deploy, type Workspace } from './helpers.js';

const fixture = useLocalTenant();
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
  appendFileSync(
    workspace.tenantFile,
    '\nconnections:\n  - name: partner-google\n    strategy: google-oauth2\n    enabled_clients: [Banking SPA]\n    options: { scope: [email, profile] }\n',
  );
});

describe('sections beyond the managed types', () => {
  it('go to auth0-deploy-cli import with AUTH0_INCLUDED_ONLY, after our own apply', async () => {
    const outcome = await deploy(fixture.tenant, workspace);
    expect(outcome.result.verified).toBe(true);
    const connections = fixture.tenant.store.snapshot.connections;
    const google = connections.find((connection) => connection.name === 'partner-google');
    const spa = fixture.tenant.store.snapshot.clients.find(
      (client) => client.name === 'Banking SPA',
    );
    expect(google?.strategy).toBe('google-oauth2');
    expect(google?.enabled_clients).toEqual([spa?.client_id]);
    // Limited to `connections`: after our last write (the MFA factor), a0deploy wrote only connections — without
    // AUTH0_INCLUDED_ONLY it would have PATCHed every client, API and Action again.
    const log = fixture.tenant.requestLog.entries('/api/v2/');
    const ourLastWrite = log.findLastIndex(
      (entry) => entry.method === 'PUT' && entry.path === '/api/v2/guardian/factors/otp',
    );
    expect(ourLastWrite).toBeGreaterThan(0);
    // Then, last, our release record on the deploy client: the release describes the whole deploy.
    const releaseRecord = log.findLastIndex(
      (entry) =>
        entry.method === 'PATCH' &&
        entry.path === `/api/v2/clients/${fixture.tenant.bootstrap.clientId}`,
    );
    expect(releaseRecord).toBe(log.findLastIndex((entry) => entry.method !== 'GET'));
    const a0deployWrites = log
      .slice(ourLastWrite + 1, releaseRecord)
      .filter((entry) => entry.method !== 'GET')
      .map((entry) => `${entry.method} ${entry.path}`);
    expect(a0deployWrites.length).toBeGreaterThan(0);
    expect(
      a0deployWrites.every(
        (write) =>
          write.startsWith('POST /api/v2/connections') ||
          write.startsWith('PATCH /api/v2/connections'),
      ),
    ).toBe(true);
  }, 240_000);
});
