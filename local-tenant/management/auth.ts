// Bearer-token check for /api/v2: a token this tenant signed for the Management API audience, holding the
// route's scope (route config `scope`). Errors in Auth0's shape (docs/auth0-facts.md §5).
import type { FastifyRequest } from 'fastify';
import { ManagementApiError } from '../errors.js';
import type { TenantContext } from '../context.js';

export interface ManagementCaller {
  clientId: string;
  scopes: Set<string>;
}

const invalidToken = (message = 'Invalid token') =>
  new ManagementApiError(401, message, undefined, {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    extraBody: { attributes: { error: message } },
  });

export async function authenticateManagementCall(
  tenant: TenantContext,
  request: FastifyRequest,
): Promise<ManagementCaller> {
  const header = request.headers.authorization;
  if (!header) {
    throw new ManagementApiError(401, 'Missing authentication', undefined, {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1])
    throw new ManagementApiError(401, 'Bad HTTP authentication header format', undefined);
  let payload;
  try {
    payload = await tenant.keys.verify(match[1], {
      issuer: tenant.issuer,
      audience: tenant.managementAudience,
    });
  } catch (error) {
    // Expired tokens get their own message, like Auth0's "Expired token received for JSON Web Token validation" (UNCONFIRMED text).
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    throw invalidToken(
      code === 'ERR_JWT_EXPIRED'
        ? 'Expired token received for JSON Web Token validation'
        : 'Invalid token',
    );
  }
  const clientId = String(payload.azp ?? String(payload.sub ?? '').replace(/@clients$/, ''));
  request.clientIdForLog = clientId;
  const caller = {
    clientId,
    scopes: new Set(
      String(payload.scope ?? '')
        .split(' ')
        .filter(Boolean),
    ),
  };
  request.managementCaller = caller;
  return caller;
}

export function requireScope(caller: ManagementCaller, scope: string | string[]): void {
  const anyOf = Array.isArray(scope) ? scope : [scope];
  if (!anyOf.some((candidate) => caller.scopes.has(candidate))) {
    throw new ManagementApiError(
      403,
      `Insufficient scope, expected any of: ${anyOf.join(',')}`,
      'insufficient_scope',
    );
  }
}
