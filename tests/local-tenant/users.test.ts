// Users in a database connection (hashed passwords, policy, MFA enrollment state) and the
// application-specific passwords, via the auth0 v7 SDK and raw HTTPS for the non-SDK endpoints.
import { describe, expect, it } from 'vitest';
import { useLocalTenant } from '../helpers/local-tenant.js';
import { captureFailure } from '../helpers/management-errors.js';
import { checkUserPassword, findApplicationPassword } from '../../local-tenant/state/users.js';

const lt = useLocalTenant();
const connection = 'Username-Password-Authentication';

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${lt.tenant.baseUrl}/api/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await lt.token()}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('users', () => {
  it('creates a user (201) with a scrypt-hashed password, reads, lists, updates and deletes (204)', async () => {
    const created = await lt.management.users
      .create({
        connection,
        email: 'Alice@Example.com',
        password: 'Corr3ct-Horse',
        given_name: 'Alice',
      })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data).toMatchObject({
      email: 'alice@example.com',
      email_verified: false,
      given_name: 'Alice',
      identities: [{ connection, provider: 'auth0', isSocial: false }],
    });
    const userId = created.data.user_id!;
    expect(userId).toMatch(/^auth0\|[0-9a-f]{24}$/);

    const stored = lt.tenant.store.snapshot.users.find((user) => user.user_id === userId)!;
    expect(JSON.stringify(lt.tenant.store.snapshot)).not.toContain('Corr3ct-Horse');
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(checkUserPassword(stored, 'Corr3ct-Horse')).toBe(true);
    expect(checkUserPassword(stored, 'wrong')).toBe(false);

    expect((await lt.management.users.get(userId)).email).toBe('alice@example.com');
    const listed = await lt.management.users.list({
      q: 'email:"alice@example.com"',
      search_engine: 'v3',
    });
    expect(listed.data.map((user) => user.user_id)).toEqual([userId]);

    const updated = await lt.management.users.update(userId, {
      user_metadata: { plan: 'gold' },
      app_metadata: { tier: 1 },
    });
    expect(updated.user_metadata).toEqual({ plan: 'gold' });

    expect((await lt.management.users.delete(userId).withRawResponse()).rawResponse.status).toBe(
      204,
    );
    const gone = await captureFailure(lt.management.users.get(userId));
    expect(gone).toEqual({
      statusCode: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: 'The user does not exist.',
        errorCode: 'inexistent_user',
      },
    });
  });

  it('changes a password (hash replaced, policy enforced) and blocks a user', async () => {
    const user = await lt.management.users.create({
      connection,
      email: 'change@example.com',
      password: 'Old-Passw0rd',
    });
    await lt.management.users.update(user.user_id!, { password: 'New-Passw0rd', connection });
    const stored = () =>
      lt.tenant.store.snapshot.users.find((candidate) => candidate.user_id === user.user_id)!;
    expect(checkUserPassword(stored(), 'New-Passw0rd')).toBe(true);
    expect(checkUserPassword(stored(), 'Old-Passw0rd')).toBe(false);
    expect(
      (await captureFailure(lt.management.users.update(user.user_id!, { password: 'short' })))
        .statusCode,
    ).toBe(400);
    expect((await lt.management.users.update(user.user_id!, { blocked: true })).blocked).toBe(true);
  });

  it('rejects weak passwords, duplicates and unknown connections', async () => {
    const weak = await captureFailure(
      lt.management.users.create({ connection, email: 'weak@example.com', password: 'password' }),
    );
    expect(weak).toMatchObject({
      statusCode: 400,
      body: { message: 'PasswordStrengthError: Password is too weak' },
    });
    await lt.management.users.create({
      connection,
      email: 'dup@example.com',
      password: 'Str0ng-Pass',
    });
    const duplicate = await captureFailure(
      lt.management.users.create({ connection, email: 'DUP@example.com', password: 'Str0ng-Pass' }),
    );
    expect(duplicate).toMatchObject({
      statusCode: 409,
      body: { message: 'The user already exists.' },
    });
    const unknown = await captureFailure(
      lt.management.users.create({
        connection: 'nope',
        email: 'x@example.com',
        password: 'Str0ng-Pass',
      }),
    );
    expect(unknown.statusCode).toBe(400);
  });

  it('reports MFA enrollment state recorded in the store', async () => {
    const user = await lt.management.users.create({
      connection,
      email: 'mfa@example.com',
      password: 'Str0ng-Pass',
    });
    expect(await lt.management.users.enrollments.get(user.user_id!)).toEqual([]);
    lt.tenant.store.mutate((state) => {
      state.users
        .find((candidate) => candidate.user_id === user.user_id)!
        .mfa_enrollments.push({
          id: 'totp|dev_test',
          type: 'otp',
          status: 'confirmed',
          secret: 'JBSWY3DPEHPK3PXP',
          created_at: new Date().toISOString(),
        });
    });
    const enrollments = await lt.management.users.enrollments.get(user.user_id!);
    expect(enrollments).toEqual([
      expect.objectContaining({ id: 'totp|dev_test', status: 'confirmed', type: 'otp' }),
    ]);
    expect(JSON.stringify(enrollments)).not.toContain('JBSWY3DPEHPK3PXP');
    expect((await lt.management.users.get(user.user_id!)).multifactor).toEqual(['guardian']);
  });
});

describe('application-specific passwords', () => {
  it('returns the value once on create, never in lists, and deletes (204)', async () => {
    await lt.management.resourceServers.create({
      identifier: 'https://asp-api.example',
      name: 'ASP API',
      scopes: [{ value: 'view:balance' }],
    });
    const user = await lt.management.users.create({
      connection,
      email: 'asp@example.com',
      password: 'Str0ng-Pass',
    });
    const path = `/users/${encodeURIComponent(user.user_id!)}/application-passwords`;

    const created = await api('POST', path, {
      label: 'mail client',
      audience: 'https://asp-api.example',
      scope: ['view:balance'],
    });
    expect(created.status).toBe(201);
    const asp = created.body as { id: string; value: string; label: string };
    expect(asp.id).toMatch(/^asp_/);
    expect(asp.value).toMatch(/^[a-z]{16}$/);
    expect(JSON.stringify(lt.tenant.store.snapshot)).not.toContain(asp.value);
    expect(findApplicationPassword(lt.tenant.store.snapshot, asp.value)?.id).toBe(asp.id);

    const listed = await api('GET', path);
    expect(listed.body).toEqual([
      expect.objectContaining({ id: asp.id, label: 'mail client', scope: ['view:balance'] }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(asp.value);

    const badScope = await api('POST', path, {
      label: 'x',
      audience: 'https://asp-api.example',
      scope: ['transfer:funds'],
    });
    expect(badScope.status).toBe(400);
    const tooLong = await api('POST', path, {
      label: 'x'.repeat(101),
      audience: 'https://asp-api.example',
      scope: ['view:balance'],
    });
    expect(tooLong.status).toBe(400);

    expect((await api('DELETE', `${path}/${asp.id}`)).status).toBe(204);
    expect((await api('GET', path)).body).toEqual([]);
    expect((await api('DELETE', `${path}/${asp.id}`)).status).toBe(404);
  });

  it('requires the *:user_application_passwords scopes', async () => {
    const user = await lt.management.users.create({
      connection,
      email: 'asp-scope@example.com',
      password: 'Str0ng-Pass',
    });
    const token = await lt.token('read:users');
    const response = await fetch(
      `${lt.tenant.baseUrl}/api/v2/users/${encodeURIComponent(user.user_id!)}/application-passwords`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: read:user_application_passwords',
      errorCode: 'insufficient_scope',
    });
  });
});
