// RFC 7662 token introspection at the tenant, authenticated as the resource server (docs/asp.md):
// any token — a JWT access token, a refresh token or an App Specific Password — in, its claims out.
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  CLIENT_ASSERTION_TYPE,
  signClientAssertion,
  type ClientAssertionInput,
} from '../lib/client-assertion.js';
import { featureNotOffered, ToolError, UsageError } from './errors.js';
import type { ToolTenant } from './tenant.js';
import { errorMessage } from '../lib/guards.js';

const introspectionAnswerSchema = z.looseObject({
  active: z.boolean(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  sub: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  iss: z.string().optional(),
  iat: z.number().optional(),
  exp: z.number().optional(),
  client_id: z.string().optional(),
  username: z.string().optional(),
});
export type IntrospectionAnswer = z.infer<typeof introspectionAnswerSchema>;

const oauthErrorSchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

export interface IntrospectInput {
  token: string;
  /** The resource server's identifier; the assertion's iss/sub. */
  resourceServer: string;
  privateKey: KeyObject;
  /** Where the key came from, for the "check your verificationKey" hint. */
  keyOrigin?: string;
  /** Assertion overrides (tests: expired or replayed assertions go through the same path). */
  assertion?: Pick<ClientAssertionInput, 'issuedAt' | 'jti' | 'lifetimeSeconds'>;
}

export async function introspectToken(
  tenant: ToolTenant,
  input: IntrospectInput,
): Promise<IntrospectionAnswer> {
  const token = input.token.trim();
  if (!token) throw new UsageError('no token given: npm run introspect -- <token>');
  const domain = tenant.target.domain;
  const endpoint = `${tenant.issuer}oauth/introspect`;
  const clientAssertion = await signClientAssertion({
    privateKey: input.privateKey,
    resourceServer: input.resourceServer,
    tenantIssuer: tenant.issuer,
    ...input.assertion,
  });
  let response: Response;
  try {
    response = await tenant.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        token,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: clientAssertion,
      }).toString(),
      redirect: 'error',
    });
  } catch (error) {
    throw new ToolError(
      `cannot reach ${domain} for POST /oauth/introspect: ${errorMessage(error)}`,
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 404)
    throw featureNotOffered('introspection', domain, 'POST /oauth/introspect');
  if (!response.ok) {
    const parsed = oauthErrorSchema.safeParse(body);
    const said = parsed.success
      ? [parsed.data.error, parsed.data.error_description].filter(Boolean).join(': ')
      : '';
    if (response.status === 401) {
      throw new ToolError(
        `${domain} refused the resource server's client assertion (HTTP 401${said ? `, ${said}` : ''}). ` +
          `Is the public key of ${input.keyOrigin ?? 'the private key used'} the verificationKey of ${input.resourceServer}? ` +
          '`npm run deploy` publishes it.',
      );
    }
    throw new ToolError(
      `${domain} answered POST /oauth/introspect with HTTP ${response.status}${said ? ` (${said})` : ''}`,
    );
  }
  const answer = introspectionAnswerSchema.safeParse(body);
  if (!answer.success)
    throw new ToolError(
      `${domain} answered POST /oauth/introspect with an unexpected body (no boolean "active")`,
    );
  return answer.data;
}

const timeClaims = new Set(['iat', 'exp', 'nbf', 'auth_time']);

/** One claim per line; times also as ISO dates. The order puts what people look for first. */
export function formatIntrospection(answer: IntrospectionAnswer): string {
  if (!answer.active) {
    return 'active: false — the tenant does not know this token for this API, or it expired or was revoked/deleted.\n';
  }
  const first = [
    'active',
    'token_type',
    'sub',
    'username',
    'scope',
    'aud',
    'client_id',
    'iss',
    'iat',
    'exp',
  ];
  const names = [
    ...first.filter((name) => name in answer),
    ...Object.keys(answer)
      .filter((name) => !first.includes(name))
      .sort(),
  ];
  const width = Math.max(...names.map((name) => name.length));
  return names
    .map((name) => {
      const value = answer[name];
      const shown = Array.isArray(value)
        ? value.join(' ')
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value);
      const when =
        timeClaims.has(name) && typeof value === 'number'
          ? ` (${new Date(value * 1000).toISOString()})`
          : '';
      return `${name.padEnd(width)}  ${shown}${when}\n`;
    })
    .join('');
}
