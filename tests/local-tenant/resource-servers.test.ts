// auth0 v7 ManagementClient against the local tenant over real HTTPS: resource servers.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { captureFailure } from '../helpers/management-errors.js';

const lt = useLocalTenant();

const failure = captureFailure;

describe('resource servers via the auth0 SDK', () => {
  it('lists the system Management API like a real tenant', async () => {
    const page = await lt.management.resourceServers.list();
    const system = page.data.find((server) => server.name === 'Auth0 Management API');
    expect(system?.identifier).toBe(`https://${lt.tenant.domain}/api/v2/`);
    expect(system?.is_system).toBe(true);
  });

  it('creates (201), reads by id and by identifier, updates (200) and deletes (204)', async () => {
    const created = await lt.management.resourceServers
      .create({
        identifier: 'https://my-banking-api',
        name: 'Banking API',
        scopes: [{ value: 'view:balance', description: 'View balance' }],
      })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data).toMatchObject({
      identifier: 'https://my-banking-api',
      signing_alg: 'RS256',
      token_lifetime: 86400,
    });
    const id = created.data.id!;

    const byIdentifier = await lt.management.resourceServers.get('https://my-banking-api');
    expect(byIdentifier.id).toBe(id);

    const updated = await lt.management.resourceServers
      .update(id, {
        token_lifetime: 600,
        scopes: [{ value: 'view:balance' }, { value: 'transfer:funds' }],
      })
      .withRawResponse();
    expect(updated.rawResponse.status).toBe(200);
    expect(updated.data.scopes?.map((scope) => scope.value)).toEqual([
      'view:balance',
      'transfer:funds',
    ]);
    expect((await lt.management.resourceServers.get(id)).token_lifetime).toBe(600);

    const deleted = await lt.management.resourceServers.delete(id).withRawResponse();
    expect(deleted.rawResponse.status).toBe(204);
    expect((await failure(lt.management.resourceServers.get(id))).statusCode).toBe(404);
  });

  it('rejects a duplicate identifier with 409', async () => {
    await lt.management.resourceServers.create({ identifier: 'https://dup.example', name: 'Dup' });
    const { statusCode, body } = await failure(
      lt.management.resourceServers.create({ identifier: 'https://dup.example', name: 'Dup 2' }),
    );
    expect(statusCode).toBe(409);
    expect(body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: 'A resource server with the same identifier already exists.',
    });
  });

  it('rejects read-only and unknown properties with Auth0 payload validation errors', async () => {
    const { id } = await lt.management.resourceServers.create({
      identifier: 'https://readonly.example',
      name: 'RO',
    });
    const patchIdentifier = await failure(
      lt.management.resourceServers.update(id!, { identifier: 'https://other' } as never),
    );
    expect(patchIdentifier).toEqual({
      statusCode: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: "Payload validation error: 'Additional properties not allowed: identifier'.",
        errorCode: 'invalid_body',
      },
    });
    const wrongType = await failure(
      lt.management.resourceServers.create({
        identifier: 'https://x.example',
        token_lifetime: 'long',
      } as never),
    );
    expect(wrongType.body.message).toBe(
      "Payload validation error: 'Expected type number but found type string' on property token_lifetime.",
    );
    const missing = await failure(
      lt.management.resourceServers.create({ name: 'no identifier' } as never),
    );
    expect(missing.body.message).toBe(
      "Payload validation error: 'Missing required property: identifier'.",
    );
  });

  it('accepts verificationKey as PEM or JWK and verificationLocation, refusing private keys', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const created = await lt.management.resourceServers.create({
      identifier: 'https://introspecting-api',
      name: 'Introspecting',
      verificationKey: pem,
    } as never);
    expect((created as Record<string, unknown>).verificationKey).toBe(pem);

    const jwk = publicKey.export({ format: 'jwk' });
    const updated = await lt.management.resourceServers.update(created.id!, {
      verificationKey: jwk,
      verificationLocation: 'https://api.example/.well-known/jwks.json',
    } as never);
    expect((updated as Record<string, unknown>).verificationKey).toEqual(jwk);
    expect((updated as Record<string, unknown>).verificationLocation).toBe(
      'https://api.example/.well-known/jwks.json',
    );

    const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const refused = await failure(
      lt.management.resourceServers.update(created.id!, { verificationKey: privatePem } as never),
    );
    expect(refused.statusCode).toBe(400);
    expect(String(refused.body.message)).toContain('public key');
    expect(JSON.stringify(lt.tenant.store.snapshot)).not.toContain(privatePem.split('\n')[1]);
  });

  it('refuses to delete or rename the system API', async () => {
    const system = (await lt.management.resourceServers.list()).data.find(
      (server) => server.is_system,
    )!;
    expect((await failure(lt.management.resourceServers.delete(system.id!))).statusCode).toBe(403);
    expect(
      (await failure(lt.management.resourceServers.update(system.id!, { name: 'Renamed' })))
        .statusCode,
    ).toBe(400);
  });

  it('paginates with page/per_page/include_totals', async () => {
    const response = await fetch(
      `${lt.tenant.baseUrl}/api/v2/resource-servers?page=0&per_page=2&include_totals=true`,
      {
        headers: { authorization: `Bearer ${await lt.token()}` },
      },
    );
    const body = (await response.json()) as {
      total: number;
      start: number;
      limit: number;
      resource_servers: unknown[];
    };
    expect(body.start).toBe(0);
    expect(body.limit).toBe(2);
    expect(body.resource_servers).toHaveLength(2);
    expect(body.total).toBeGreaterThan(2);
  });
});
