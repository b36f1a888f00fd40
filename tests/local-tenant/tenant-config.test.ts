// Guardian factors and policies, tenant settings, connections with enabled clients — via the auth0 v7 SDK.
import { describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { captureFailure } from '../helpers/management-errors.js';

const lt = useLocalTenant();

describe('guardian', () => {
  it('lists every factor disabled on a fresh tenant and enables one with PUT', async () => {
    const factors = await lt.management.guardian.factors.list();
    expect(factors.map((factor) => factor.name)).toEqual([
      'sms',
      'push-notification',
      'otp',
      'email',
      'duo',
      'webauthn-roaming',
      'webauthn-platform',
      'recovery-code',
    ]);
    expect(factors.every((factor) => factor.enabled === false)).toBe(true);

    expect(await lt.management.guardian.factors.set('otp', { enabled: true })).toEqual({
      enabled: true,
    });
    const otp = (await lt.management.guardian.factors.list()).find(
      (factor) => factor.name === 'otp',
    );
    expect(otp?.enabled).toBe(true);
  });

  it('rejects extra factor properties and unknown factors', async () => {
    const extra = await captureFailure(
      lt.management.guardian.factors.set('otp', { enabled: true, name: 'otp' } as never),
    );
    expect(extra.body.message).toBe(
      "Payload validation error: 'Additional properties not allowed: name'.",
    );
    expect(
      (
        await captureFailure(
          lt.management.guardian.factors.set('carrier-pigeon' as never, { enabled: true }),
        )
      ).statusCode,
    ).toBe(404);
  });

  it('sets MFA policies (empty = Never)', async () => {
    expect(await lt.management.guardian.policies.set(['all-applications'])).toEqual([
      'all-applications',
    ]);
    expect(await lt.management.guardian.policies.list()).toEqual(['all-applications']);
    expect(await lt.management.guardian.policies.set([])).toEqual([]);
    expect(
      (await captureFailure(lt.management.guardian.policies.set(['sometimes' as never])))
        .statusCode,
    ).toBe(400);
  });
});

describe('tenant settings', () => {
  it('reads and patches settings, merging flags and converting *_in_minutes to hours', async () => {
    const before = await lt.management.tenants.settings.get();
    expect(before.friendly_name).toBe('Local Tenant');
    const updated = await lt.management.tenants.settings.update({
      friendly_name: 'Local Bank',
      flags: { enable_sso: false },
      session_lifetime_in_minutes: 4320,
    } as never);
    expect(updated).toMatchObject({
      friendly_name: 'Local Bank',
      session_lifetime: 72,
      flags: { enable_sso: false, universal_login: true },
    });
    expect(
      (
        await captureFailure(
          lt.management.tenants.settings.update({ favourite_colour: 'blue' } as never),
        )
      ).statusCode,
    ).toBe(400);
  });

  it('answers Auth0 defaults, reports read-only fields on GET only, and removes a setting set to null', async () => {
    const settings = lt.management.tenants.settings;
    expect(await settings.get()).toMatchObject({
      oidc_logout: { rp_logout_end_session_endpoint_discovery: true },
      phone_consolidated_experience: false,
      resource_parameter_profile: 'audience',
      client_id_metadata_document_supported: false,
      sandbox_versions_available: ['22', '18'],
    });
    const countryCodes = { list: ['US', 'GB'], mode: 'allow' };
    const patched = await settings.update({
      country_codes: countryCodes,
      acr_values_supported: ['foo'],
    } as never);
    expect(patched).toMatchObject({ country_codes: countryCodes, acr_values_supported: ['foo'] });
    expect(patched).not.toHaveProperty('sandbox_versions_available');
    expect(patched).not.toHaveProperty('resource_parameter_profile');
    const cleared = await settings.update({
      country_codes: null,
      acr_values_supported: null,
    } as never);
    expect(cleared).not.toHaveProperty('country_codes');
    expect(await settings.get()).not.toHaveProperty('acr_values_supported');
    const badCode = await captureFailure(
      settings.update({ country_codes: { list: ['usa'], mode: 'allow' } } as never),
    );
    expect(badCode.statusCode).toBe(400);
  });
});

describe('connections', () => {
  it('has the default database connection and creates, enables clients, updates and deletes another', async () => {
    const all = await lt.management.connections.list();
    expect(all.data.map((connection) => connection.name)).toContain(
      'Username-Password-Authentication',
    );

    const client = await lt.management.clients.create({ name: 'Conn client' });
    const created = await lt.management.connections
      .create({ name: 'bank-customers', strategy: 'auth0' })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data).toMatchObject({
      name: 'bank-customers',
      strategy: 'auth0',
      enabled_clients: [],
      realms: ['bank-customers'],
    });
    const id = created.data.id!;
    expect(id).toMatch(/^con_/);

    await lt.management.connections.clients.update(id, [
      { client_id: client.client_id!, status: true },
    ]);
    const enabled = await lt.management.connections.clients.get(id);
    expect(enabled.data.map((entry) => entry.client_id)).toEqual([client.client_id]);
    await lt.management.connections.clients.update(id, [
      { client_id: client.client_id!, status: false },
    ]);
    expect((await lt.management.connections.clients.get(id)).data).toEqual([]);

    const updated = await lt.management.connections.update(id, { display_name: 'Bank customers' });
    expect(updated.display_name).toBe('Bank customers');
    const renamed = await captureFailure(
      lt.management.connections.update(id, { name: 'x' } as never),
    );
    expect(renamed.body.message).toBe(
      "Payload validation error: 'Additional properties not allowed: name'.",
    );

    const duplicate = await captureFailure(
      lt.management.connections.create({ name: 'bank-customers', strategy: 'auth0' }),
    );
    expect(duplicate.statusCode).toBe(409);

    const deleted = await lt.management.connections.delete(id).withRawResponse();
    expect(deleted.rawResponse.status).toBe(202);
    const gone = await captureFailure(lt.management.connections.get(id));
    expect(gone).toEqual({
      statusCode: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: 'The connection does not exist',
        errorCode: 'inexistent_connection',
      },
    });
  });
});
