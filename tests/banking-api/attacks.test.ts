// Attack suite: every way we could think of to get a forged, stolen, stale or confused token past the API.
// Each case is one `it`; all run against a real API instance and a real loopback JWKS issuer.
import { createHmac, createSign, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankingApi } from '../../banking-api/index.js';
import {
  AUDIENCE,
  call,
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
const attacker = rsaKeyPair();
/** An attacker-controlled JWKS server: any fetch from the API would show up here. */
let attackerServer: Server;
let attackerUrl: string;
let attackerFetches = 0;

beforeAll(async () => {
  issuer = await startTestIssuer();
  api = await startApi(issuer);
  const attackerJwk = {
    ...(await exportJWK(attacker.publicKey)),
    kid: issuer.kid,
    alg: 'RS256',
    use: 'sig',
  };
  attackerServer = createServer((_request, response) => {
    attackerFetches += 1;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [attackerJwk] }));
  });
  await new Promise<void>((resolve) => attackerServer.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attackerServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api?.close();
  await issuer?.close();
  await new Promise<void>((resolve) =>
    attackerServer ? attackerServer.close(() => resolve()) : resolve(),
  );
});

const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: issuer.url,
    sub: 'auth0|attacker',
    aud: AUDIENCE,
    scope: 'view:balance',
    iat: now(),
    exp: now() + 3600,
    ...extra,
  };
  for (const [name, value] of Object.entries(base)) if (value === undefined) delete base[name];
  return base;
}

/** Hand-built JWS, so headers and algorithms jose would refuse to produce can be forged. */
function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  sign: (input: string) => string,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign(input)}`;
}
const rs256With = (key: typeof attacker.privateKey) => (input: string) =>
  createSign('RSA-SHA256').update(input).sign(key).toString('base64url');

async function expectInvalidToken(token: string, description?: RegExp) {
  const response = await call(api.url, '/balance', { token });
  expect(response.status).toBe(401);
  expect(response.body.error).toBe('invalid_token');
  expect(response.wwwAuthenticate).toMatch(
    /^Bearer realm="banking-api", error="invalid_token", error_description="[^"]*"$/,
  );
  if (description) expect(response.body.error_description).toMatch(description);
  return response;
}

describe('algorithm attacks', () => {
  it('rejects alg none without a signature', async () => {
    await expectInvalidToken(
      `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`,
      /algorithm/,
    );
  });
  it('rejects alg none with a real signature appended', async () => {
    const real = (await issuer.sign()).split('.')[2];
    await expectInvalidToken(
      `${b64url({ alg: 'none', kid: issuer.kid })}.${b64url(claims())}.${real}`,
      /algorithm/,
    );
  });
  it('rejects "None"/"NONE" spellings', async () => {
    for (const alg of ['None', 'NONE', 'nOnE'])
      await expectInvalidToken(`${b64url({ alg })}.${b64url(claims())}.`, /algorithm/);
  });
  it('rejects HS256 signed with the RSA public key (PEM) as the HMAC secret', async () => {
    const pem = issuer.publicKey.export({ type: 'spki', format: 'pem' });
    const token = forge({ alg: 'HS256', typ: 'JWT', kid: issuer.kid }, claims(), (input) =>
      createHmac('sha256', pem).update(input).digest('base64url'),
    );
    await expectInvalidToken(token, /algorithm/);
  });
  it('rejects HS256 signed with the JWK modulus or the DER key as the secret', async () => {
    const jwk = await exportJWK(issuer.publicKey);
    const der = issuer.publicKey.export({ type: 'spki', format: 'der' });
    for (const secret of [jwk.n!, der]) {
      await expectInvalidToken(
        forge({ alg: 'HS256', kid: issuer.kid }, claims(), (input) =>
          createHmac('sha256', secret).update(input).digest('base64url'),
        ),
      );
    }
  });
  it('rejects other RSA algorithms even with our real key (RS512, PS256)', async () => {
    const rs512 = forge({ alg: 'RS512', kid: issuer.kid }, claims(), (input) =>
      createSign('RSA-SHA512').update(input).sign(issuer.privateKey).toString('base64url'),
    );
    await expectInvalidToken(rs512, /algorithm/);
    const ps256 = await issuer.sign({}, { alg: 'PS256' });
    await expectInvalidToken(ps256, /algorithm/);
  });
  it('rejects an alg header that is not a string', async () => {
    await expectInvalidToken(
      forge({ alg: ['RS256'], kid: issuer.kid }, claims(), rs256With(issuer.privateKey)),
      /algorithm/,
    );
  });
});

describe('key-selection attacks', () => {
  it('rejects a token signed by a foreign key that claims our kid', async () => {
    await expectInvalidToken(await issuer.sign({}, {}, attacker.privateKey), /signature/);
  });
  for (const header of ['jku', 'x5u'] as const) {
    it(`never fetches keys from a ${header} header`, async () => {
      const before = attackerFetches;
      const token = await issuer.sign(
        {},
        { [header]: `${attackerUrl}/jwks.json`, kid: 'attacker-kid' },
        attacker.privateKey,
      );
      await expectInvalidToken(token);
      const withOurKid = await issuer.sign(
        {},
        { [header]: `${attackerUrl}/jwks.json` },
        attacker.privateKey,
      );
      await expectInvalidToken(withOurKid, /signature/);
      expect(attackerFetches).toBe(before);
    });
  }
  it('ignores a key embedded in the jwk header', async () => {
    const jwk = { ...(await exportJWK(attacker.publicKey)), kid: issuer.kid };
    await expectInvalidToken(await issuer.sign({}, { jwk }, attacker.privateKey), /signature/);
  });
  it('ignores a certificate chain in the x5c header', async () => {
    const fakeChain = [randomBytes(600).toString('base64')];
    await expectInvalidToken(
      await issuer.sign({}, { x5c: fakeChain }, attacker.privateKey),
      /signature/,
    );
  });
  it('rejects a token without kid, or with a non-string kid', async () => {
    await expectInvalidToken(
      forge({ alg: 'RS256', typ: 'JWT' }, claims(), rs256With(issuer.privateKey)),
      /kid/,
    );
    await expectInvalidToken(
      forge({ alg: 'RS256', kid: 42 }, claims(), rs256With(issuer.privateKey)),
      /kid/,
    );
  });
  it('rejects path-traversal and oversized kids as unknown', async () => {
    await expectInvalidToken(await issuer.sign({}, { kid: '../../etc/passwd' }));
    await expectInvalidToken(await issuer.sign({}, { kid: 'k'.repeat(1000) }), /kid/);
  });
  it('survives a flood of unknown kids: all 401, no 5xx, at most one extra JWKS fetch', async () => {
    const fetchesBefore = issuer.jwksFetches;
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        issuer.sign(
          {},
          { kid: `junk-${index}-${randomBytes(4).toString('hex')}` },
          attacker.privateKey,
        ),
      ),
    );
    const statuses: number[] = [];
    for (let start = 0; start < tokens.length; start += 50) {
      const batch = await Promise.all(
        tokens.slice(start, start + 50).map((token) => call(api.url, '/balance', { token })),
      );
      statuses.push(...batch.map((response) => response.status));
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(issuer.jwksFetches - fetchesBefore).toBeLessThanOrEqual(1);
    expect(api.jwks.fetchCount).toBeLessThanOrEqual(2); // the warm-up fetch plus at most one refetch
    // Valid tokens keep working during and after the flood.
    expect((await call(api.url, '/balance', { token: await issuer.sign() })).status).toBe(200);
  });
});

describe('tampering', () => {
  it('rejects a verified-and-cached token whose payload was changed (cache is keyed by the whole token)', async () => {
    const token = await issuer.sign({ sub: 'auth0|tamper' });
    expect((await call(api.url, '/balance', { token })).status).toBe(200);
    const [header, , signature] = token.split('.');
    await expectInvalidToken(
      `${header}.${b64url(claims({ sub: 'auth0|tamper', scope: 'view:balance transfer:funds' }))}.${signature}`,
      /signature/,
    );
  });
  it('rejects a flipped signature bit', async () => {
    const token = await issuer.sign();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[10]! ^= 0x01;
    await expectInvalidToken(`${header}.${payload}.${bytes.toString('base64url')}`, /signature/);
  });
  it('rejects a truncated or empty signature', async () => {
    const token = await issuer.sign();
    await expectInvalidToken(token.slice(0, -20), /signature/);
    await expectInvalidToken(token.slice(0, token.lastIndexOf('.') + 1));
  });
  it('rejects a non-canonical base64url spelling of the same signature, so a spent transfer token cannot be re-spelled', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|respell' }));
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // 256 signature bytes take 342 characters; the last one carries 2 unused bits, so 4 spellings decode alike.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1)!);
    const respelled = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(200);
    const replay = await call(api.url, '/transfer', {
      token: `${header}.${payload}.${respelled}`,
      body: validTransfer,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error_description).toMatch(/non-canonical/);
  });
  it('rejects a re-spelled payload with the same bytes (the signature covers the exact characters)', async () => {
    // Pad the payload JSON until its encoding ends in a partial group, then flip an unused bit of the last character.
    let token = '';
    for (let padding = 0; padding < 3 && !token; padding += 1) {
      const candidate = await issuer.sign({ pad: 'x'.repeat(padding) });
      if (candidate.split('.')[1]!.length % 4 !== 0) token = candidate;
    }
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${payload.slice(0, -1)}${alphabet[alphabet.indexOf(payload.at(-1)!) ^ 1]}`;
    expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(payload, 'base64url'))).toBe(
      true,
    );
    await expectInvalidToken(`${header}.${respelled}.${signature}`);
  });
  it('rejects a header swapped in from another token', async () => {
    const [, payload, signature] = (await issuer.sign()).split('.');
    await expectInvalidToken(
      `${b64url({ alg: 'RS256', kid: issuer.kid, typ: 'at+jwt' })}.${payload}.${signature}`,
      /signature/,
    );
  });
});

describe('claim attacks', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['another issuer', { iss: 'https://evil.example/' }, /iss/],
    ['the issuer without trailing slash', { iss: 'ISSUER-NO-SLASH' }, /iss/],
    ['the issuer in other case', { iss: 'ISSUER-UPPER' }, /iss/],
    ['iss as an array', { iss: ['ISSUER'] }, /iss/],
    ['no iss', { iss: undefined }, /iss/],
    ['another audience', { aud: 'https://other-api' }, /aud/],
    ['an audience with our identifier as prefix', { aud: `${AUDIENCE}.evil.example` }, /aud/],
    ['an audience array without us', { aud: ['https://other-api', 'https://x/userinfo'] }, /aud/],
    ['an audience array with a non-string', { aud: [AUDIENCE, 42] }, /aud/],
    ['no aud', { aud: undefined }, /aud/],
    ['no exp', { exp: undefined }, /exp/],
    ['exp as a string', { exp: String(now() + 3600) }, /exp/],
    ['exp long past', { exp: now() - 3600 }, /exp/],
    ['exp just past the tolerance', { exp: now() - 10 }, /exp/],
    ['nbf in the future', { nbf: now() + 60 }, /nbf/],
    ['nbf as a string', { nbf: '0' }, /nbf/],
    ['iat in the future', { iat: now() + 60 }, /iat/],
    ['iat as a string', { iat: 'now' }, /iat/],
    ['no sub', { sub: undefined }, /sub/],
    ['an empty sub', { sub: '' }, /sub/],
    ['scope as an array', { scope: ['view:balance'] }, /scope/],
  ];
  for (const [name, overrides, description] of cases) {
    it(`rejects ${name}`, async () => {
      const resolved = Object.fromEntries(
        Object.entries(overrides).map(([key, value]) => [
          key,
          value === 'ISSUER-NO-SLASH'
            ? issuer.url.slice(0, -1)
            : value === 'ISSUER-UPPER'
              ? issuer.url.toUpperCase()
              : Array.isArray(value) && value[0] === 'ISSUER'
                ? [issuer.url]
                : value,
        ]),
      );
      await expectInvalidToken(await issuer.sign(resolved), description);
    });
  }
});

describe('scope and step-up confusion', () => {
  const scopeCases: Array<[string, string]> = [
    ['transfer:funds:all', 'transfer:funds'],
    ['transfer:fund', 'transfer:funds'],
    ['TRANSFER:FUNDS', 'transfer:funds'],
    ['view:balance2 transfer:funds', 'view:balance'],
    ['view:balances', 'view:balance'],
    ['view:balance,transfer:funds', 'view:balance'],
    ['xview:balance', 'view:balance'],
  ];
  for (const [scope, needed] of scopeCases) {
    it(`does not read scope "${scope}" as ${needed}`, async () => {
      const token = await issuer.sign({
        ...transferClaims({ sub: `auth0|scope-${scope}` }),
        scope,
      });
      const response =
        needed === 'view:balance'
          ? await call(api.url, '/balance', { token })
          : await call(api.url, '/transfer', { token, body: validTransfer });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: 'insufficient_scope', scope: needed });
    });
  }
  it('does not take scopes from a permissions claim or a scp array', async () => {
    const token = await issuer.sign({
      scope: 'openid',
      permissions: ['view:balance'],
      scp: ['view:balance'],
    });
    expect((await call(api.url, '/balance', { token })).status).toBe(403);
  });
  it('does not accept look-alike MFA evidence', async () => {
    for (const evidence of [
      { amr: 'mfa-skipped' },
      { amr: ['MFA'] },
      { [MFA_CLAIM]: ['pwd', 'nomfa'] },
      { [MFA_CLAIM]: { mfa: true } },
      { [`${MFA_CLAIM}/`]: ['mfa'] },
    ]) {
      const token = await issuer.sign({
        sub: 'auth0|lookalike',
        scope: 'transfer:funds',
        ...evidence,
      });
      expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(401);
    }
  });
  it('rejects a replayed transfer token even with a different body', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|replayer' }));
    expect((await call(api.url, '/transfer', { token, body: validTransfer })).status).toBe(200);
    const replay = await call(api.url, '/transfer', {
      token,
      body: { from: 'savings', to: 'EVIL-IBAN-1', amount: 1 },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error_description).toBe('transfer token already used');
  });
  it('rejects a replay with the scheme spelled differently', async () => {
    const token = await issuer.sign(transferClaims({ sub: 'auth0|replayer-2' }));
    expect(
      (await call(api.url, '/transfer', { authorization: `Bearer ${token}`, body: validTransfer }))
        .status,
    ).toBe(200);
    expect(
      (await call(api.url, '/transfer', { authorization: `bearer ${token}`, body: validTransfer }))
        .status,
    ).toBe(401);
  });
});

describe('header-level attacks', () => {
  it('rejects a crit header (even one naming a standard claim) and an empty crit', async () => {
    await expectInvalidToken(
      forge(
        { alg: 'RS256', kid: issuer.kid, crit: ['exp'], exp: now() + 60 },
        claims(),
        rs256With(issuer.privateKey),
      ),
      /crit/,
    );
    await expectInvalidToken(
      forge({ alg: 'RS256', kid: issuer.kid, crit: [] }, claims(), rs256With(issuer.privateKey)),
      /crit/,
    );
    await expectInvalidToken(
      forge(
        { alg: 'RS256', kid: issuer.kid, b64: false, crit: ['b64'] },
        claims(),
        rs256With(issuer.privateKey),
      ),
      /crit/,
    );
  });
  it('rejects a typ that is not an access token (explicit typing, RFC 8725 §3.11)', async () => {
    for (const typ of ['JWE', 'dpop+jwt', 'logout+jwt', 'secevent+jwt'])
      await expectInvalidToken(await issuer.sign({}, { typ }), /typ/);
  });
  it('rejects a token longer than the size limit before any crypto', async () => {
    await expectInvalidToken(await issuer.sign({ padding: 'x'.repeat(9000) }), /longer than 8192/);
  });
  it('answers a huge Authorization header with 431, not a 5xx', async () => {
    const response = await call(api.url, '/balance', {
      authorization: `Bearer ${'a'.repeat(20_000)}`,
    });
    expect(response.status).toBe(431);
  });
  const malformed: Array<[string, string]> = [
    ['invalid base64url characters', 'eyJhbGciOiJSUzI1NiJ9!.e30.c2ln'],
    ['standard base64 padding inside the token', 'eyJhbGciOiJSUzI1NiJ9=.e30.c2ln'],
    ['a header that is not JSON', `${b64url('not json')}.e30.c2ln`],
    ['a header that is a JSON array', `${b64url([1, 2])}.e30.c2ln`],
    ['a header that is JSON null', `${b64url('null')}.e30.c2ln`],
    ['two parts', 'eyJhbGciOiJSUzI1NiJ9.e30'],
    ['four parts', 'a.b.c.d'],
    ['five parts (JWE)', 'a.b.c.d.e'],
    ['empty header', '.e30.c2ln'],
    ['only dots', '..'],
  ];
  for (const [name, token] of malformed) {
    it(`rejects a token with ${name} as invalid_token`, async () => {
      const response = await call(api.url, '/balance', { token });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_token');
    });
  }
  it('rejects a payload that is not JSON even with a valid signature', async () => {
    const header = b64url({ alg: 'RS256', kid: issuer.kid });
    const input = `${header}.${b64url('{"sub": "x",')}`;
    await expectInvalidToken(
      `${input}.${rs256With(issuer.privateKey)(input)}`,
      /payload is not JSON/,
    );
  });
  it('answers 400 invalid_request for two Authorization headers', async () => {
    const token = await issuer.sign();
    const port = new URL(api.url).port;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.end(
          `GET /balance HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
        );
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toMatch(/www-authenticate: Bearer realm="banking-api", error="invalid_request"/i);
  });
  it('answers 400 for the Bearer scheme without a token, 401 for a token with spaces', async () => {
    expect((await call(api.url, '/balance', { authorization: 'Bearer' })).status).toBe(400);
    expect((await call(api.url, '/balance', { authorization: 'Bearer   ' })).status).toBe(400);
    expect(
      (await call(api.url, '/balance', { authorization: `Bearer ${await issuer.sign()} extra` }))
        .status,
    ).toBe(401);
  });
  it('treats unknown schemes as no credentials', async () => {
    const token = await issuer.sign();
    for (const scheme of ['Token', 'JWT', 'DPoP', 'Bearer:']) {
      const response = await call(api.url, '/balance', { authorization: `${scheme} ${token}` });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('unauthorized');
    }
  });
  it('ignores tokens in cookies, query string and body', async () => {
    const token = await issuer.sign(transferClaims());
    expect(
      (
        await call(api.url, `/balance?access_token=${token}`, {
          headers: { cookie: `access_token=${token}` },
        })
      ).status,
    ).toBe(401);
    const response = await new Promise<number>((resolve, reject) => {
      const body = new URLSearchParams({ access_token: token }).toString();
      const req = httpRequest(
        new URL('/transfer', api.url),
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(response).toBe(401);
  });
});

describe('cache attacks', () => {
  it('does not serve a cached token past its exp', async () => {
    const strict = await startApi(issuer, { clockToleranceSeconds: 0 });
    try {
      const token = await issuer.sign({ exp: now() + 2 });
      expect((await call(strict.url, '/balance', { token })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const response = await call(strict.url, '/balance', { token });
      expect(response.status).toBe(401);
      expect(response.body.error_description).toMatch(/expired/);
    } finally {
      await strict.close();
    }
  });
  it('does not cache a failure: a token whose key appears later is accepted after rotation', async () => {
    const rotating = await startApi(issuer, {}, { jwksCooldownMs: 0 });
    try {
      const next = rsaKeyPair();
      const token = await issuer.sign({}, { kid: 'rotated-key' }, next.privateKey);
      expect((await call(rotating.url, '/balance', { token })).status).toBe(401);
      await issuer.publishKeys([
        { kid: issuer.kid, publicKey: issuer.publicKey },
        { kid: 'rotated-key', publicKey: next.publicKey },
      ]);
      expect((await call(rotating.url, '/balance', { token })).status).toBe(200);
    } finally {
      await issuer.publishKeys([{ kid: issuer.kid, publicKey: issuer.publicKey }]);
      await rotating.close();
    }
  });
});
