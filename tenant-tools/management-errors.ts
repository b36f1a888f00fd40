// Management API failures as sentences: which request, what the tenant said, and what to do about it.
import { ManagementError } from 'auth0';
import { z } from 'zod';
import { ToolError } from './errors.js';
import { errorMessage } from '../lib/guards.js';

/** Auth0's Management API error body (docs/auth0-facts.md §5). */
export const managementErrorBodySchema = z.looseObject({
  statusCode: z.number().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  errorCode: z.string().optional(),
});
export type ManagementErrorBody = z.infer<typeof managementErrorBodySchema>;

export function parseErrorBody(body: unknown): ManagementErrorBody {
  const parsed = managementErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data : {};
}

/** Status and body of an SDK error, or undefined when the request never got an answer. */
export function errorAnswer(
  error: unknown,
): { status: number; body: ManagementErrorBody } | undefined {
  if (error instanceof ManagementError && error.statusCode !== undefined)
    return { status: error.statusCode, body: parseErrorBody(error.body) };
  return undefined;
}

export function describeFailure(
  domain: string,
  request: string,
  status: number,
  body: ManagementErrorBody,
): ToolError {
  const said = [body.errorCode, body.message ?? body.error].filter(Boolean).join(': ');
  const detail = said ? ` (${said})` : '';
  if (status === 401) {
    return new ToolError(
      `${domain} refused ${request}: HTTP 401${detail}. Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or the signing key).`,
    );
  }
  if (status === 403) {
    return new ToolError(
      `${domain} refused ${request}: HTTP ${status}${detail}. The client in AUTH0_CLIENT_ID needs read:users and ` +
        'read:/create:/delete:user_application_passwords on the Management API (see clientGrants in tenant/tenant.yaml).',
    );
  }
  if (status === 429)
    return new ToolError(
      `${domain} rate-limited ${request} (HTTP 429)${detail}; try again in a moment.`,
    );
  return new ToolError(`${domain} answered ${request} with HTTP ${status}${detail}.`);
}

/** For SDK calls: a known answer becomes a ToolError; a network failure too; anything else is rethrown as is. */
export function sdkFailure(domain: string, request: string, error: unknown): ToolError {
  const answer = errorAnswer(error);
  if (answer) return describeFailure(domain, request, answer.status, answer.body);
  return new ToolError(`cannot reach ${domain} for ${request}: ${errorMessage(error)}`);
}
