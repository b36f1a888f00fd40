// HTTP errors the API answers with. Auth failures follow RFC 6750 §3 (Bearer challenges) and RFC 9470
// (step-up); everything is a small JSON body — never a stack trace.
import type { FastifyReply } from 'fastify';

export const REALM = 'banking-api';
export { MFA_ACR_VALUE as MFA_ACR } from '../lib/banking-api-contract.js';

export type ApiErrorCode =
  | 'unauthorized'
  | 'invalid_request'
  | 'invalid_credentials'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'insufficient_user_authentication'
  | 'invalid_body'
  | 'insufficient_funds'
  | 'idempotency_key_reused'
  | 'not_found'
  | 'temporarily_unavailable'
  | 'too_many_requests';

export interface ChallengeParams {
  scope?: string;
  acr_values?: string;
  max_age?: string;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    readonly description: string,
    /** Extra auth-params for the Bearer challenge (RFC 6750 §3 scope, RFC 9470 acr_values / max_age). */
    readonly challenge?: ChallengeParams,
    /** Field-level problems for 400 invalid_body. */
    readonly details?: unknown,
  ) {
    super(description);
  }
}

/** 401: no credentials at all — RFC 6750 §3.1 says no error code in that case. */
export const missingCredentials = () => new ApiError(401, 'unauthorized', 'authorization required');
export const invalidToken = (description: string) =>
  new ApiError(401, 'invalid_token', description);
/**
 * Basic auth (docs/asp.md) failed: neither the password grant nor introspection of the password
 * accepted it.
 */
export const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', 'invalid username or password');
export const invalidRequest = (description: string) =>
  new ApiError(400, 'invalid_request', description);
export const insufficientScope = (scope: string) =>
  new ApiError(403, 'insufficient_scope', `this request needs scope ${scope}`, { scope });
export const tooManyRequests = (description: string) =>
  new ApiError(429, 'too_many_requests', description);
export const unavailable = (description: string) =>
  new ApiError(503, 'temporarily_unavailable', description);

/** Auth-param values are quoted-strings; keep them to printable ASCII without `"` or `\` (RFC 6750 §3). */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]|["\\]/g, '?')}"`;
}

function bearerChallenge(error: ApiError | undefined): string {
  const params = [`realm=${quoted(REALM)}`];
  if (error) {
    params.push(`error=${quoted(error.code)}`, `error_description=${quoted(error.description)}`);
    for (const [name, value] of Object.entries(error.challenge ?? {})) {
      if (value !== undefined) params.push(`${name}=${quoted(value)}`);
    }
  }
  return `Bearer ${params.join(', ')}`;
}

const CHALLENGED_CODES = new Set<ApiErrorCode>([
  'invalid_request',
  'invalid_token',
  'insufficient_scope',
  'insufficient_user_authentication',
]);

/** `challenge: false` for errors about the request body, which have nothing to do with authentication. */
export function sendApiError(
  reply: FastifyReply,
  error: ApiError,
  options: { challenge?: boolean } = {},
): FastifyReply {
  const basicChallenge = `Basic realm=${quoted(REALM)}, charset="UTF-8"`;
  if (error.code === 'unauthorized') {
    // No credentials at all: offer both accepted schemes, Bearer without an error code (RFC 6750 §3.1).
    reply.header('www-authenticate', `${bearerChallenge(undefined)}, ${basicChallenge}`);
  } else if (error.code === 'invalid_credentials') {
    reply.header('www-authenticate', basicChallenge); // RFC 7617
  } else if (options.challenge !== false && CHALLENGED_CODES.has(error.code)) {
    reply.header('www-authenticate', bearerChallenge(error));
  }
  if (error.statusCode === 503) reply.header('retry-after', '5');
  if (error.statusCode === 429) reply.header('retry-after', '1');
  const body: Record<string, unknown> = { error: error.code, error_description: error.description };
  if (error.challenge?.scope) body.scope = error.challenge.scope;
  if (error.challenge?.acr_values) body.acr_values = error.challenge.acr_values;
  if (error.challenge?.max_age) body.max_age = Number(error.challenge.max_age);
  if (error.details !== undefined) body.details = error.details;
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body);
}
