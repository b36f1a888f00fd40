// Failures talking to the target tenant that a person can fix, as one message naming the cause and the fix
// (never a stack trace): the network (DNS, TLS, …), the token request refusing the deploy client, and the
// Management API refusing a request (401/403).
import { ManagementError } from 'auth0';
import { z } from 'zod';
import { RequestFailedError } from '../http/resilient-fetch.js';

/** The text fields of Auth0's error body; a field of another type is left out. */
const errorBodySchema = z.object({
  error: z.string().optional().catch(undefined),
  error_description: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  errorCode: z.string().optional().catch(undefined),
});
type ErrorBody = z.infer<typeof errorBodySchema>;

function bodyOf(error: ManagementError): ErrorBody {
  const body: unknown = error.body;
  if (typeof body === 'string') return { message: body };
  return errorBodySchema.safeParse(body).data ?? {};
}

function findInChain<T>(error: unknown, match: (value: unknown) => value is T): T | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (match(current)) return current;
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

const isRequestFailed = (value: unknown): value is RequestFailedError =>
  value instanceof RequestFailedError;
const isManagementError = (value: unknown): value is ManagementError =>
  value instanceof ManagementError;

/** A clear message for an anticipated failure against `domain`, or undefined for anything else (a bug). */
export function describeTargetFailure(error: unknown, domain?: string): string | undefined {
  const failed = findInChain(error, isRequestFailed);
  if (failed?.failure) return `Cannot reach the tenant: ${failed.message}`;
  if (failed) return `Request to the tenant failed: ${failed.message}`;

  const management = findInChain(error, isManagementError);
  if (!management) return undefined;
  const status = management.statusCode;
  const body = bodyOf(management);
  const detail = [body.error, body.error_description ?? body.message].filter(Boolean).join(': ');
  const tenant = domain ?? 'the tenant';
  if (management.message.includes('token request failed')) {
    if (status === 401)
      return (
        `${tenant} refused the deploy client's credentials (token request: 401${detail ? ` ${detail}` : ''}). ` +
        'Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_CLIENT_SIGNING_KEY_PATH) in .env or the CI ' +
        "secrets: they must be the Machine to Machine application's values from the Auth0 dashboard."
      );
    if (status === 403)
      return (
        `${tenant} did not give the deploy client a Management API token (token request: 403${detail ? ` ${detail}` : ''}). ` +
        'Authorize the application for the Auth0 Management API (dashboard → Applications → APIs → Auth0 ' +
        'Management API → Machine to Machine Applications) with the scopes listed in the README.'
      );
    if (status !== undefined)
      return `${tenant} refused the token request (${status}${detail ? ` ${detail}` : ''}). Check AUTH0_DOMAIN and the client credentials.`;
  }
  if (status === 401)
    return (
      `${tenant} rejected the deploy client's token (401${detail ? ` ${detail}` : ''}). ` +
      'Check that AUTH0_DOMAIN is the tenant the client belongs to.'
    );
  if (status === 403)
    return (
      `${tenant} refused a Management API request (403${detail ? ` ${detail}` : ''}). ` +
      "Grant the missing scope to the deploy client (the README's scope table lists every scope the deploy uses)."
    );
  return undefined;
}
