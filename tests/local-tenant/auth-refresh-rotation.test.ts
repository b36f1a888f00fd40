// Refresh-token rotation, the reuse leeway, absolute and idle lifetimes, rotation-type migration and revocation
// rules, over real HTTPS. Time passes by moving the stored tokens' timestamps back (no sleeping, no timing).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BANKING_API,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

let fx: AuthFixture;

beforeAll(async () => {
  fx = await startAuthFixture();
});

afterAll(async () => {
  await fx?.close();
});

async function configure(refreshToken: Record<string, unknown>): Promise<void> {
  await fx.mgmt('PATCH', `/clients/${fx.trusted.clientId}`, { refresh_token: refreshToken });
}

const rotating = (extra: Record<string, unknown> = {}) =>
  configure({
    rotation_type: 'rotating',
    expiration_type: 'expiring',
    token_lifetime: 86_400,
    idle_token_lifetime: 3_600,
    leeway: 0,
    ...extra,
  });

async function login(): Promise<string> {
  const answer = await fx.token({
    grant_type: 'password',
    client_id: fx.trusted.clientId,
    client_secret: fx.trusted.clientSecret,
    username: fx.user.email,
    password: USER_PASSWORD,
    audience: BANKING_API,
    scope: 'openid offline_access view:balance',
  });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return String(answer.json.refresh_token);
}

const refresh = (token: string) =>
  fx.token({
    grant_type: 'refresh_token',
    client_id: fx.trusted.clientId,
    client_secret: fx.trusted.clientSecret,
    refresh_token: token,
  });

/** Moves every stored refresh token `seconds` into the past (issue, last use, rotation and expiry times). */
function elapse(seconds: number): void {
  const shift = seconds * 1000;
  fx.tenant.store.mutate((state) => {
    for (const record of Object.values(state.refresh_tokens)) {
      record.created_at -= shift;
      record.last_used_at -= shift;
      if (record.expires_at !== undefined) record.expires_at -= shift;
      if (record.rotated_at !== undefined) record.rotated_at -= shift;
    }
  });
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

const invalid = { status: 403, json: { error: 'invalid_grant' } };

describe('rotating refresh tokens', () => {
  it('keeps today’s behaviour for non-rotating clients: the same token works again, no new one is returned', async () => {
    await configure({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const token = await login();
    for (let round = 0; round < 2; round += 1) {
      const answer = await refresh(token);
      expect(answer.status).toBe(200);
      expect(answer.json).not.toHaveProperty('refresh_token');
    }
    elapse(400 * 86_400);
    expect((await refresh(token)).status).toBe(200);
  });

  it('accepts the previous token again inside the leeway, and treats it as reuse once the leeway is over', async () => {
    await rotating({ leeway: 30 });
    const first = await login();
    const second = String((await refresh(first)).json.refresh_token);
    // A retry with the token just spent (a lost response) inside the leeway gets a token too.
    const retried = await refresh(first);
    expect(retried.status).toBe(200);
    expect(retried.json.refresh_token).toEqual(expect.any(String));
    expect((await refresh(second)).status).toBe(200);
    // `second` is now spent and `first` is the second-to-last token: breach detection, family revoked.
    expect(await refresh(first)).toMatchObject(invalid);
    expect(await refresh(String(retried.json.refresh_token))).toMatchObject(invalid);

    const next = await login();
    await refresh(next);
    elapse(31);
    expect(await refresh(next)).toMatchObject(invalid);
  });

  it('enforces the idle lifetime from the last exchange and the absolute lifetime of the family', async () => {
    await rotating({ token_lifetime: 7_200, idle_token_lifetime: 3_600 });
    let token = await login();
    elapse(3_000);
    token = String((await refresh(token)).json.refresh_token);
    elapse(3_000);
    // 6,000 s after login, 3,000 s idle: still inside both lifetimes.
    const renewed = await refresh(token);
    expect(renewed.status).toBe(200);
    token = String(renewed.json.refresh_token);
    elapse(1_300);
    // 7,300 s after login: the family's absolute lifetime (which rotation does not extend) is over.
    expect(await refresh(token)).toMatchObject(invalid);

    const idle = await login();
    elapse(3_601);
    expect(await refresh(idle)).toMatchObject(invalid);
  });

  it('honours the infinite_* flags over the lifetimes', async () => {
    await rotating({
      token_lifetime: 60,
      idle_token_lifetime: 60,
      infinite_token_lifetime: true,
      infinite_idle_token_lifetime: true,
    });
    const token = await login();
    elapse(10 * 86_400);
    expect((await refresh(token)).status).toBe(200);
  });

  it('migrates tokens when the rotation type changes, as Auth0 documents', async () => {
    await configure({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const nonRotating = await login();
    await rotating();
    const migrated = await refresh(nonRotating);
    expect(migrated.status).toBe(200);
    expect(migrated.json.refresh_token).toEqual(expect.any(String));
    // The non-rotating token is gone; the new one rotates.
    expect(await refresh(nonRotating)).toMatchObject(invalid);
    const rotated = await refresh(String(migrated.json.refresh_token));
    expect(rotated.json.refresh_token).toEqual(expect.any(String));

    await configure({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const back = await refresh(String(rotated.json.refresh_token));
    expect(back.json.refresh_token).toEqual(expect.any(String));
    expect(await refresh(String(rotated.json.refresh_token))).toMatchObject(invalid);
    expect((await refresh(String(back.json.refresh_token))).json).not.toHaveProperty(
      'refresh_token',
    );
  });

  it('refuses to revoke another client’s token, and revokes the whole family for its owner', async () => {
    await rotating();
    const token = await login();
    const successor = String((await refresh(token)).json.refresh_token);
    const foreign = await fx.post('/oauth/revoke', { client_id: fx.spaClientId, token: successor });
    expect(foreign).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await refresh(successor)).status).toBe(200);

    const latest = await login();
    const spent = latest;
    const live = String((await refresh(spent)).json.refresh_token);
    const revoked = await fx.post('/oauth/revoke', {
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      token: spent,
    });
    expect(revoked.status).toBe(200);
    expect(await refresh(live)).toMatchObject(invalid);
  });

  it('revokes every token of the user, app and API when revocation deletes the grant (tenant flag)', async () => {
    await rotating();
    const [phone, laptop] = [await login(), await login()];
    await fx.mgmt('PATCH', '/tenants/settings', { flags: { revoke_refresh_token_grant: true } });
    try {
      const revoked = await fx.post('/oauth/revoke', {
        client_id: fx.trusted.clientId,
        client_secret: fx.trusted.clientSecret,
        token: phone,
      });
      expect(revoked.status).toBe(200);
      expect(await refresh(laptop)).toMatchObject(invalid);
    } finally {
      await fx.mgmt('PATCH', '/tenants/settings', { flags: { revoke_refresh_token_grant: false } });
    }
    // Without the flag only the family goes.
    const [kept, dropped] = [await login(), await login()];
    await fx.post('/oauth/revoke', {
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      token: dropped,
    });
    expect((await refresh(kept)).status).toBe(200);
  });

  it('keeps only live families in the tenant state, keyed by hash, never the tokens themselves', async () => {
    await rotating();
    const revokedToken = await login();
    await fx.post('/oauth/revoke', {
      client_id: fx.trusted.clientId,
      client_secret: fx.trusted.clientSecret,
      token: revokedToken,
    });
    const live = await login();
    const stored = fx.tenant.store.snapshot.refresh_tokens;
    expect(stored[hashOf(revokedToken)]).toBeUndefined();
    expect(stored[hashOf(live)]).toMatchObject({ status: 'active', rotating: true });
    expect(JSON.stringify(stored)).not.toContain(live);
  });
});
