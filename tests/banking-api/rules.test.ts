// Every rule of the banking API's README against a real API instance and a real loopback issuer
// (JWKS over HTTP, jose-signed tokens).
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankingApi } from '../../banking-api/index.js';
import {
  AUDIENCE,
  call,
  logCollector,
  MFA_CLAIM,
  rsaKeyPair,
  startApi,
  startTestIssuer,
  transferClaims,
  validTransfer,
  type TestIssuer,
} from './helpers.js';

let issuer: TestIssuer;
let api: BankingApi & { url: string };
const log = logCollector();
const logLines = log.lines;

beforeAll(async () => {
  issuer = await startTestIssuer();
  api = await startApi(issuer, { logLevel: 'info' }, { logStream: log.stream });
});
afterAll(async () => {
  await api?.close();
  await issuer?.close();
});

const now = () => Math.floor(Date.now() / 1000);

describe('GET /balance', () => {
  it('answers the demo balance of a user with view:balance', async () => {
    const response = await call(api.url, '/balance', {
      token: await issuer.sign({ sub: 'auth0|balance-user' }),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      caller: 'auth0|balance-user',
      callerType: 'user',
      currency: 'EUR',
      accounts: [
        { id: 'checking', balance: 250_000 },
        { id: 'savings', balance: 1_000_000 },
      ],
    });
  });

  it('answers 401 without WWW-Authenticate error code when no credentials are sent (RFC 6750 §3.1)', async () => {
    const response = await call(api.url, '/balance');
    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toBe(
      'Bearer realm="banking-api", Basic realm="banking-api", charset="UTF-8"',
    );
    expect(response.body.error).toBe('unauthorized');
  });

  it('answers 403 insufficient_scope naming the scope', async () => {
    const response = await call(api.url, '/balance', {
      token: await issuer.sign({ scope: 'transfer:funds' }),
    });
    expect(response.status).toBe(403);
    expect(response.wwwAuthenticate).toMatch(
      /^Bearer realm="banking-api", error="insufficient_scope", error_description="[^"]+", scope="view:balance"$/,
    );
    expect(response.body).toMatchObject({ error: 'insufficient_scope', scope: 'view:balance' });
  });

  it('reads the scheme case-insensitively', async () => {
    const token = await issuer.sign();
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      expect(
        (await call(api.url, '/balance', { authorization: `${scheme} ${token}` })).status,
      ).toBe(200);
    }
  });

  it('reads the token only from the Authorization header', async () => {
    const token = await issuer.sign();
    const response = await call(api.url, `/balance?access_token=${token}`);
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('unauthorized');
  });

  it('accepts aud as an array containing the API (openid + API audience)', async () => {
    const token = await issuer.sign({ aud: [AUDIENCE, `${issuer.url}userinfo`] });
    expect((await call(api.url, '/balance', { token })).status).toBe(200);
  });

  it('accepts typ at+jwt (RFC 9068 profile) and a token without typ', async () => {
    expect(
      (await call(api.url, '/balance', { token: await issuer.sign({}, { typ: 'at+jwt' }) })).status,
    ).toBe(200);
    expect(
      (await call(api.url, '/balance', { token: await issuer.sign({}, { typ: undefined }) }))
        .status,
    ).toBe(200);
  });

  it('tolerates a few seconds of clock skew, not more', async () => {
    expect(
      (await call(api.url, '/balance', { token: await issuer.sign({ exp: now() - 2 }) })).status,
    ).toBe(200);
    expect(
      (await call(api.url, '/balance', { token: await issuer.sign({ iat: now() + 3 }) })).status,
    ).toBe(200);
    expect(
      (await call(api.url, '/balance', { token: await issuer.sign({ exp: now() - 30 }) })).status,
    ).toBe(401);
  });

  it('answers unknown routes with JSON 404', async () => {
    const response = await call(api.url, '/nope?access_token=secret-in-query');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'not_found', error_description: 'no route GET /nope' });
  });
});

describe('signing keys (JWKS)', () => {
  it('answers 503 temporarily_unavailable, not 500, while the issuer JWKS is unreachable', async () => {
    const unreachable = await startTestIssuer();
    const token = await unreachable.sign();
    await unreachable.close();
    const orphan = await startApi(unreachable);
    try {
      const response = await call(orphan.url, '/balance', { token });
      expect(response.status).toBe(503);
      expect(response.body.error).toBe('temporarily_unavailable');
    } finally {
      await orphan.close();
    }
  });

  it('ignores JWKS keys that are too short for RS256 or meant for encryption', async () => {
    const weak = rsaKeyPair(1024);
    const encryption = rsaKeyPair();
    const rotating = await startApi(issuer, {}, { jwksCooldownMs: 0 });
    try {
      await issuer.publishKeys([
        { kid: issuer.kid, publicKey: issuer.publicKey },
        { kid: 'weak-key', publicKey: weak.publicKey },
      ]);
      // jose refuses to sign RS256 with a 1024-bit key, so sign by hand.
      const input = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'weak-key' })).toString('base64url')}.${(await issuer.sign()).split('.')[1]}`;
      const weakToken = `${input}.${createSign('RSA-SHA256').update(input).sign(weak.privateKey).toString('base64url')}`;
      const refused = await call(rotating.url, '/balance', { token: weakToken });
      expect(refused.status).toBe(401);
      expect(refused.body.error_description).toMatch(/unknown signing key/);
      const jwks = JSON.parse(await (await fetch(`${issuer.url}.well-known/jwks.json`)).text()) as {
        keys: Array<Record<string, unknown>>;
      };
      expect(jwks.keys.map((key) => key.kid)).toContain('weak-key'); // published, yet refused
      await issuer.publishKeys([{ kid: 'enc-key', publicKey: encryption.publicKey, use: 'enc' }]);
      expect(
        (
          await call(rotating.url, '/balance', {
            token: await issuer.sign({}, { kid: 'enc-key' }, encryption.privateKey),
          })
        ).status,
      ).toBe(401);
    } finally {
      await issuer.publishKeys([{ kid: issuer.kid, publicKey: issuer.publicKey }]);
      await rotating.close();
    }
  });
});

describe('M2M partners (client credentials)', () => {
  it('accepts a client-credentials token by scope and names the client as caller', async () => {
    const token = await issuer.sign({
      sub: 'partner-abc@clients',
      azp: 'partner-abc',
      gty: 'client-credentials',
    });
    const response = await call(api.url, '/balance', { token });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ caller: 'partner-abc', callerType: 'client' });
  });

  it('names a partner by the partner-id claim, logs it, and believes the claim only for the client itself', async () => {
    const claim = `${AUDIENCE.replace(/\/+$/, '')}/partner_id`;
    const token = await issuer.sign({
      sub: 'partner-acme@clients',
      azp: 'partner-acme',
      gty: 'client-credentials',
      [claim]: 'partner-acme',
    });
    const response = await call(api.url, '/balance', { token });
    expect(response.body).toMatchObject({ caller: 'partner-acme', callerType: 'partner' });
    await call(api.url, '/transfer', { token, body: validTransfer });
    const refused = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.path === '/transfer' && entry.caller === 'partner-acme');
    expect(refused).toMatchObject({ partner: 'partner-acme', status: 403 });
    api.flushAccessLog();
    expect(logLines.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        msg: 'balance reads',
        caller: 'partner-acme',
        partner: 'partner-acme',
      }),
    );

    const borrowed = await issuer.sign({
      sub: 'partner-other@clients',
      gty: 'client-credentials',
      [claim]: 'partner-acme',
    });
    expect((await call(api.url, '/balance', { token: borrowed })).body).toMatchObject({
      caller: 'partner-other',
      callerType: 'client',
    });
  });

  it('recognises the RFC 9068 profile (client_id, no gty, typ at+jwt)', async () => {
    const token = await issuer.sign(
      { sub: 'partner-xyz@clients', client_id: 'partner-xyz', azp: undefined, jti: 'j-1' },
      { typ: 'at+jwt' },
    );
    const response = await call(api.url, '/balance', { token });
    expect(response.body).toMatchObject({ caller: 'partner-xyz', callerType: 'client' });
  });

  it('does not treat a user token whose sub merely ends in @clients (password grant) as a client', async () => {
    const token = await issuer.sign({ sub: 'auth0|bob@clients', gty: 'password' });
    expect((await call(api.url, '/balance', { token })).body).toMatchObject({
      caller: 'auth0|bob@clients',
      callerType: 'user',
    });
  });

  it('still needs the scope', async () => {
    const token = await issuer.sign({
      sub: 'partner-abc@clients',
      gty: 'client-credentials',
      scope: 'read:partners',
    });
    expect((await call(api.url, '/balance', { token })).status).toBe(403);
  });

  it('cannot transfer without MFA evidence (no user stepped up)', async () => {
    const token = await issuer.sign({
      sub: 'partner-abc@clients',
      gty: 'client-credentials',
      scope: 'transfer:funds',
    });
    const response = await call(api.url, '/transfer', { token, body: validTransfer });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('insufficient_user_authentication');
  });
});

describe('POST /transfer step-up rules', () => {
  it('answers 403 insufficient_scope for an ordinary login token', async () => {
    const response = await call(api.url, '/transfer', {
      token: await issuer.sign(),
      body: validTransfer,
    });
    expect(response.status).toBe(403);
    expect(response.wwwAuthenticate).toContain('scope="transfer:funds"');
  });

  it('answers 401 insufficient_user_authentication (RFC 9470) without MFA evidence', async () => {
    const token = await issuer.sign({ scope: 'transfer:funds', [MFA_CLAIM]: ['pwd'] });
    const response = await call(api.url, '/transfer', { token, body: validTransfer });
    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toContain('error="insufficient_user_authentication"');
    expect(response.wwwAuthenticate).toContain(
      'acr_values="http://schemas.openid.net/pape/policies/2007/06/multi-factor"',
    );
  });

  it('accepts MFA evidence only in the namespaced claim (array or string), never in a plain amr', async () => {
    const plain = await issuer.sign({
      sub: 'auth0|plain-amr',
      scope: 'transfer:funds',
      amr: ['mfa'],
    });
    expect((await call(api.url, '/transfer', { token: plain, body: validTransfer })).status).toBe(
      401,
    );
    for (const [index, evidence] of [{ [MFA_CLAIM]: ['mfa'] }, { [MFA_CLAIM]: 'mfa' }].entries()) {
      const token = await issuer.sign({
        sub: `auth0|mfa-${index}`,
        scope: 'transfer:funds',
        ...evidence,
      });
      expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(200);
    }
  });

  it('does not take MFA evidence from another namespace', async () => {
    const token = await issuer.sign({ scope: 'transfer:funds', 'https://other-api/amr': ['mfa'] });
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(401);
  });

  it('needs a token issued within the last 5 minutes (max_age=300)', async () => {
    const stale = await issuer.sign(transferClaims({ iat: now() - 301 }));
    const response = await call(api.url, '/transfer', { token: stale, body: validTransfer });
    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toContain('max_age="300"');
    const noIat = await issuer.sign(transferClaims({ iat: undefined }));
    expect((await call(api.url, '/transfer', { token: noIat, body: validTransfer })).status).toBe(
      401,
    );
    const fresh = await issuer.sign(transferClaims({ sub: 'auth0|fresh', iat: now() - 290 }));
    expect((await call(api.url, '/transfer', { token: fresh, body: validTransfer })).status).toBe(
      200,
    );
  });

  it('applies an accepted transfer and answers the receipt', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|bob' }));
    const response = await call(api.url, '/transfer', {
      token,
      body: { from: 'checking', to: 'savings', amount: 12_345 },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      caller: 'auth0|bob',
      from: 'checking',
      to: 'savings',
      amount: 12_345,
      currency: 'EUR',
      balances: [
        { id: 'checking', balance: 250_000 - 12_345 },
        { id: 'savings', balance: 1_000_000 + 12_345 },
      ],
    });
    expect(response.body.transferId).toMatch(/^tr_/);
    const balance = await call(api.url, '/balance', {
      token: await issuer.sign({ sub: 'auth0|bob' }),
    });
    expect(balance.body.accounts).toEqual(response.body.balances);
  });

  it('debits only the source when sending to an external account', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|carol' }));
    const response = await call(api.url, '/transfer', {
      token,
      body: { from: 'savings', to: 'DE89370400440532013000', amount: 100 },
    });
    expect(response.status).toBe(200);
    expect(response.body.balances).toEqual([
      { id: 'checking', balance: 250_000 },
      { id: 'savings', balance: 999_900 },
    ]);
  });

  it('treats the transfer token as single-use: replay answers 401 invalid_token', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|dave' }));
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(200);
    const replay = await call(api.url, '/transfer', { token, body: validTransfer });
    expect(replay.status).toBe(401);
    expect(replay.wwwAuthenticate).toContain('error="invalid_token"');
    expect(replay.body.error_description).toBe('transfer token already used');
    const balance = await call(api.url, '/balance', {
      token: await issuer.sign({ sub: 'auth0|dave' }),
    });
    expect(balance.body.accounts).toEqual([
      { id: 'checking', balance: 250_000 - validTransfer.amount },
      { id: 'savings', balance: 1_000_000 + validTransfer.amount },
    ]);
  });

  it('applies concurrent submissions of one token exactly once', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|erin' }));
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(api.url, '/transfer', { token, body: { from: 'checking', to: 'x-1', amount: 1_000 } }),
      ),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 401)).toHaveLength(19);
    expect((await api.ledger.balances('auth0|erin'))[0]).toEqual({
      id: 'checking',
      balance: 249_000,
    });
  });

  it('still lets GET /balance use a token that has been spent on a transfer', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|frank' }));
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(200);
    expect((await call(api.url, '/balance', { token })).status).toBe(200);
  });
});

describe('POST /transfer body and ledger', () => {
  const badBodies: Array<[string, unknown, string]> = [
    ['missing amount', { from: 'checking', to: 'savings' }, 'amount'],
    ['fractional amount', { ...validTransfer, amount: 10.5 }, 'amount'],
    ['amount as string', { ...validTransfer, amount: '100' }, 'amount'],
    ['zero amount', { ...validTransfer, amount: 0 }, 'amount'],
    ['negative amount', { ...validTransfer, amount: -100 }, 'amount'],
    ['huge amount', { ...validTransfer, amount: 1e15 }, 'amount'],
    ['unknown source account', { ...validTransfer, from: 'brokerage' }, 'from'],
    ['same source and target', { ...validTransfer, to: 'checking' }, 'to'],
    ['target with bad characters', { ...validTransfer, to: 'DE89 3704; DROP' }, 'to'],
    ['other currency', { ...validTransfer, currency: 'USD' }, 'currency'],
    ['unknown field', { ...validTransfer, callerOverride: 'auth0|mallory' }, '(body)'],
    ['array body', [validTransfer], '(body)'],
  ];
  for (const [name, body, field] of badBodies) {
    it(`answers 400 invalid_body for ${name} and does not spend the token`, async () => {
      const token = await issuer.sign(transferClaims({ sub: `auth0|validation-${name}` }));
      const response = await call(api.url, '/transfer', { token, body });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_body');
      expect(
        (response.body.details as Array<{ field: string }>).map((detail) => detail.field),
      ).toContain(field);
      expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(200);
    });
  }

  it('answers 400 for malformed JSON and 415 for a non-JSON content type, as JSON without stack traces', async () => {
    const token = await issuer.sign(transferClaims());
    const malformed = await call(api.url, '/transfer', { token, body: '{"from": "checking",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('invalid_request');
    expect(malformed.wwwAuthenticate).toBeNull(); // a body problem, not an authentication one
    expect(malformed.text).not.toMatch(/at .*\.(js|ts):\d+/);
    const wrongType = await call(api.url, '/transfer', {
      token,
      body: 'from=checking',
      headers: { 'content-type': 'application/xml' },
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error).toBe('invalid_request');
  });

  it('answers 413 for an oversized body', async () => {
    const token = await issuer.sign(transferClaims());
    const response = await call(api.url, '/transfer', {
      token,
      body: { ...validTransfer, reference: 'x'.repeat(20_000) },
    });
    expect(response.status).toBe(413);
  });

  it('refuses an overdraw with 422, changes nothing and keeps the token usable', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|grace' }));
    const response = await call(api.url, '/transfer', {
      token,
      body: { from: 'checking', to: 'savings', amount: 250_001 },
    });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('insufficient_funds');
    expect(await api.ledger.balances('auth0|grace')).toEqual([
      { id: 'checking', balance: 250_000 },
      { id: 'savings', balance: 1_000_000 },
    ]);
    const exact = await call(api.url, '/transfer', {
      token,
      body: { from: 'checking', to: 'savings', amount: 250_000 },
    });
    expect(exact.status).toBe(200);
    expect(exact.body.balances).toEqual([
      { id: 'checking', balance: 0 },
      { id: 'savings', balance: 1_250_000 },
    ]);
  });

  it('keeps ledgers per caller', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|heidi' }));
    await call(api.url, '/transfer', {
      token,
      body: { from: 'checking', to: 'ext-1', amount: 5_000 },
    });
    expect((await api.ledger.balances('auth0|heidi'))[0]!.balance).toBe(245_000);
    expect((await api.ledger.balances('auth0|ivan'))[0]!.balance).toBe(250_000);
  });
});

describe('structured logs', () => {
  it('logs JSON lines with the caller id (client id for M2M) and never a token', async () => {
    const token = await issuer.sign({ sub: 'partner-log@clients', gty: 'client-credentials' });
    await call(api.url, '/balance?access_token=leaked-in-query', { token });
    const transferToken = await issuer.sign(transferClaims({ sub: 'auth0|logged' }));
    await call(api.url, '/transfer', { token: transferToken, body: validTransfer });
    await call(api.url, '/balance', { token });
    api.flushAccessLog();
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // Successful balance reads are summarised per caller; refusals and transfers get a line each.
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'balance reads',
        caller: 'partner-log',
        status: 200,
        reads: 2,
      }),
    );
    expect(
      entries.some(
        (entry) =>
          entry.msg === 'request' &&
          entry.path === '/transfer' &&
          entry.caller === 'auth0|logged' &&
          entry.status === 200,
      ),
    ).toBe(true);
    expect(
      entries.some((entry) => entry.msg === 'transfer applied' && entry.caller === 'auth0|logged'),
    ).toBe(true);
    const allLogs = logLines.join('\n');
    expect(allLogs).not.toContain(token);
    expect(allLogs).not.toContain(transferToken.split('.')[2]);
    expect(allLogs).not.toContain('leaked-in-query');
    expect(allLogs).not.toMatch(/bearer /i);
  });

  it('logs every request, balance reads included, at debug level', async () => {
    const verboseLog = logCollector();
    const verbose = await startApi(issuer, { logLevel: 'debug' }, { logStream: verboseLog.stream });
    try {
      await call(verbose.url, '/balance', { token: await issuer.sign({ sub: 'auth0|verbose' }) });
      expect(verboseLog.entries()).toContainEqual(
        expect.objectContaining({
          msg: 'request',
          path: '/balance',
          status: 200,
          caller: 'auth0|verbose',
        }),
      );
    } finally {
      await verbose.close();
    }
  });

  it('logs why a request was refused, without the credential', async () => {
    const token = await issuer.sign({ aud: 'https://other-api' });
    await call(api.url, '/balance', { token });
    const entry = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.status === 401 && String(line.failure).includes('aud'));
    expect(entry?.failure).toBe('invalid_token: token not issued for this API (aud)');
    expect(logLines.join('\n')).not.toContain(token.split('.')[2]);
  });
});
