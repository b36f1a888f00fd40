// Failures talking to the target tenant that a person can fix, as one message naming the cause and the fix
// (never a stack trace): the network (DNS, TLS, …), the token request refusing the deploy client, and the
// Management API refusing a request (401/403).
import { ManagementError } from 'auth0';
import { RequestFailedError } from '../http/resilient-fetch.js';

interface ErrorBody {
  error?: string;
  error_description?: string;
  message?: string;
  errorCode?: string;
}

function bodyOf(error: ManagementError): ErrorBody {
  const body: unknown = error.body;
  if (typeof body === 'object' && body !== null) return body as ErrorBody;
  return typeof body === 'string' ? { message: body } : {};
}

function findInChain<T>(error: unknown, match: (value: unknown) => value is T): T | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (match(current)) return current;
    current = (current as { cause?: unknown }).cause;
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
