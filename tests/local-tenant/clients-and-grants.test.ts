// Clients (secrets, defaults, credentials) and client grants via the auth0 v7 SDK over HTTPS.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { captureFailure } from '../helpers/management-errors.js';

const lt = useLocalTenant();

async function createApi(identifier: string) {
  return lt.management.resourceServers.create({
    identifier,
    name: identifier.replace(/\W/g, ' ').trim(),
    scopes: [{ value: 'view:balance' }, { value: 'transfer:funds' }],
  });
}

describe('clients', () => {
  it('creates an M2M client (201) with a generated id and secret and M2M defaults', async () => {
    const created = await lt.management.clients
      .create({ name: 'Partner M2M', app_type: 'non_interactive' })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(created.data.client_secret?.length).toBeGreaterThanOrEqual(48);
    expect(created.data.grant_types).toEqual(['client_credentials']);
    // Auth0 does not echo an auth method or app type that was not sent (recorded client creates).
    expect(created.data.token_endpoint_auth_method).toBeUndefined();
    expect(created.data.app_type).toBe('non_interactive');
  });

  it('rotates a client secret; the old secret stops working at the token endpoint', async () => {
    const client = await lt.management.clients.create({
      name: 'Rotating',
      app_type: 'non_interactive',
    });
    await lt.management.clientGrants.create({
      client_id: client.client_id!,
      audience: `${lt.tenant.baseUrl}/api/v2/`,
      scope: ['read:clients'],
    });
    const rotated = await lt.management.clients.rotateSecret(client.client_id!);
    expect(rotated.client_secret).toBeDefined();
    expect(rotated.client_secret).not.toBe(client.client_secret);
    const tokenWith = (secret: string) =>
      fetch(`${lt.tenant.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: secret,
          audience: `${lt.tenant.baseUrl}/api/v2/`,
        }),
      });
    expect((await tokenWith(client.client_secret!)).status).toBe(401);
    expect((await tokenWith(rotated.client_secret!)).status).toBe(200);
  });

  it("enforces Auth0's client_metadata limits: 10 properties, 255-character values and names", async () => {
    const client = await lt.management.clients.create({ name: 'Metadata limits' });
    const ten = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`key_${i}`, 'x'.repeat(255)]),
    );
    const updated = await lt.management.clients.update(client.client_id!, { client_metadata: ten });
    expect(Object.keys(updated.client_metadata ?? {})).toHaveLength(10);
    const eleven = await captureFailure(
      lt.management.clients.update(client.client_id!, {
        client_metadata: { ...ten, key_10: 'x' },
      }),
    );
    expect(eleven.statusCode).toBe(400);
    expect(String(eleven.body.message)).toMatch(/only 10 allowed/);
    const long = await captureFailure(
      lt.management.clients.update(client.client_id!, { client_metadata: { a: 'x'.repeat(256) } }),
    );
    expect(long).toMatchObject({ statusCode: 400 });
    expect(String(long.body.message)).toMatch(/String is too long \(256 chars\), maximum 255/);
    const badName = await captureFailure(
      lt.management.clients.create({ name: 'Bad metadata', client_metadata: { 'a.b': 'x' } }),
    );
    expect(badName.statusCode).toBe(400);
  });

  it('applies fields/include_fields projections', async () => {
    const client = await lt.management.clients.create({ name: 'Projected' });
    const only = await lt.management.clients.get(client.client_id!, {
      fields: 'client_id,name',
      include_fields: true,
    });
    expect(only).toEqual({ client_id: client.client_id, name: 'Projected' });
    const without = await lt.management.clients.get(client.client_id!, {
      fields: 'client_secret',
      include_fields: false,
    });
    expect(without.client_secret).toBeUndefined();
    expect(without.name).toBe('Projected');
  });

  it('creates a SPA as a public client and refuses client_credentials for it', async () => {
    const spa = await lt.management.clients.create({
      name: 'Banking SPA',
      app_type: 'spa',
      callbacks: ['https://localhost:5173/cb'],
    });
    // Public (auth method none) without echoing it: Auth0 returns only what was sent (recorded creates).
    expect(spa.token_endpoint_auth_method).toBeUndefined();
    expect(spa.grant_types).toEqual(['implicit', 'authorization_code', 'refresh_token']);
    const refused = await captureFailure(
      lt.management.clients.update(spa.client_id!, { grant_types: ['client_credentials'] }),
    );
    expect(refused).toMatchObject({
      statusCode: 400,
      body: { message: 'Invalid grant types: client_credentials', errorCode: 'invalid_body' },
    });
  });

  it('updates (200), lists with totals, rejects unknown fields, deletes (204) and then 404s', async () => {
    const client = await lt.management.clients.create({ name: 'Temporary' });
    const updated = await lt.management.clients
      .update(client.client_id!, { callbacks: ['https://app.example/cb'], description: 'changed' })
      .withRawResponse();
    expect(updated.rawResponse.status).toBe(200);
    expect(updated.data.callbacks).toEqual(['https://app.example/cb']);

    const page = await lt.management.clients.list({
      include_totals: true,
      page: 0,
      per_page: 50,
      is_global: false,
    });
    expect(page.data.map((candidate) => candidate.name)).toContain('Temporary');

    const unknown = await captureFailure(
      lt.management.clients.update(client.client_id!, { client_id: 'x' } as never),
    );
    expect(unknown.body.message).toBe(
      "Payload validation error: 'Additional properties not allowed: client_id'.",
    );

    expect(
      (await lt.management.clients.delete(client.client_id!).withRawResponse()).rawResponse.status,
    ).toBe(204);
    const gone = await captureFailure(lt.management.clients.get(client.client_id!));
    expect(gone.statusCode).toBe(404);
  });

  it('manages private_key_jwt credentials and never echoes the PEM', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const client = await lt.management.clients.create({
      name: 'Key client',
      app_type: 'non_interactive',
      client_authentication_methods: {
        private_key_jwt: { credentials: [{ credential_type: 'public_key', name: 'k1', pem }] },
      },
    });
    expect(client.token_endpoint_auth_method).toBeUndefined();
    const credentials = await lt.management.clients.credentials.list(client.client_id!);
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({
      credential_type: 'public_key',
      name: 'k1',
      alg: 'RS256',
    });
    expect(JSON.stringify(credentials)).not.toContain('BEGIN PUBLIC KEY');

    const badPem = await captureFailure(
      lt.management.clients.credentials.create(client.client_id!, {
        credential_type: 'public_key',
        pem: 'not a key',
      }),
    );
    expect(badPem.statusCode).toBe(400);
  });
});

describe('client grants', () => {
  it('creates (201), filters, updates scope (200) and deletes (204) a grant', async () => {
    await createApi('https://grants-api.example');
    const client = await lt.management.clients.create({
      name: 'Grant client',
      app_type: 'non_interactive',
    });
    const created = await lt.management.clientGrants
      .create({
        client_id: client.client_id!,
        audience: 'https://grants-api.example',
        scope: ['view:balance'],
      })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data.id).toMatch(/^cgr_/);

    const listed = await lt.management.clientGrants.list({ client_id: client.client_id! });
    expect(listed.data.map((grant) => grant.id)).toEqual([created.data.id]);

    const updated = await lt.management.clientGrants
      .update(created.data.id!, { scope: ['view:balance', 'transfer:funds'] })
      .withRawResponse();
    expect(updated.rawResponse.status).toBe(200);
    expect(updated.data.scope).toEqual(['view:balance', 'transfer:funds']);

    const immutable = await captureFailure(
      lt.management.clientGrants.update(created.data.id!, { audience: 'https://other' } as never),
    );
    expect(immutable.body.message).toBe(
      "Payload validation error: 'Additional properties not allowed: audience'.",
    );

    expect(
      (await lt.management.clientGrants.delete(created.data.id!).withRawResponse()).rawResponse
        .status,
    ).toBe(204);
    // Deleting it again: Auth0 answers 204 (recorded TestClientGrantManager_Delete).
    expect(
      (await lt.management.clientGrants.delete(created.data.id!).withRawResponse()).rawResponse
        .status,
    ).toBe(204);
  });

  it('answers 409 for a second grant of the same client and audience, 404 for unknown client or API', async () => {
    await createApi('https://dup-grant.example');
    const client = await lt.management.clients.create({
      name: 'Dup grant client',
      app_type: 'non_interactive',
    });
    await lt.management.clientGrants.create({
      client_id: client.client_id!,
      audience: 'https://dup-grant.example',
      scope: [],
    });
    const duplicate = await captureFailure(
      lt.management.clientGrants.create({
        client_id: client.client_id!,
        audience: 'https://dup-grant.example',
        scope: [],
      }),
    );
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.body.error).toBe('Conflict');
    // A user-subject grant for the same pair is a different grant (docs/auth0-facts.md §6).
    await lt.management.clientGrants.create({
      client_id: client.client_id!,
      audience: 'https://dup-grant.example',
      scope: [],
      subject_type: 'user',
    });

    expect(
      (
        await captureFailure(
          lt.management.clientGrants.create({
            client_id: 'nope',
            audience: 'https://dup-grant.example',
          }),
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await captureFailure(
          lt.management.clientGrants.create({
            client_id: client.client_id!,
            audience: 'https://nope',
          }),
        )
      ).statusCode,
    ).toBe(404);
  });

  it('pages with from/take checkpoints the way the SDK follows them', async () => {
    await createApi('https://paging.example');
    for (let i = 0; i < 3; i++) {
      const client = await lt.management.clients.create({
        name: `Paging ${i}`,
        app_type: 'non_interactive',
      });
      await lt.management.clientGrants.create({
        client_id: client.client_id!,
        audience: 'https://paging.example',
        scope: ['view:balance'],
      });
    }
    const first = await lt.management.clientGrants.list({
      audience: 'https://paging.example',
      take: 2,
    });
    expect(first.data).toHaveLength(2);
    expect(first.hasNextPage()).toBe(true);
    // The SDK's Page advances in place, so collect ids before asking for the next page.
    const firstIds = first.data.map((grant) => grant.id);
    const second = await first.getNextPage();
    expect(second.data).toHaveLength(1);
    expect(second.hasNextPage()).toBe(false);
    const all = new Set([...firstIds, ...second.data.map((grant) => grant.id)]);
    expect(all.size).toBe(3);
  });
});
