// Runs the credentials-exchange Actions for a client-credentials token request and turns their verdict into the
// token's extra claims or the /oauth/token refusal.
import type { FastifyRequest } from 'fastify';
import { stringRecord } from '../../lib/guards.js';
import type { TenantContext } from '../context.js';
import { OAuthError } from '../errors.js';
import { runCredentialsExchangeTrigger } from '../actions-runtime/credentials-exchange.js';
import type { ClientRecord } from '../state/types.js';
import { boundActions, eventRequest } from './login-pipeline.js';
import type { AuthRuntime } from './runtime.js';

/** The custom claims the bound Actions set; throws the OAuth refusal when one of them denied the token. */
export async function credentialsExchangeClaims(
  tenant: TenantContext,
  runtime: AuthRuntime,
  input: {
    client: ClientRecord;
    request: FastifyRequest;
    audience: string;
    scopes: string[];
    requestedScopes: string[];
  },
): Promise<Record<string, unknown>> {
  const actions = boundActions(tenant, 'credentials-exchange');
  if (actions.length === 0) return {};
  const { request: httpRequest, client } = input;
  const request = eventRequest(httpRequest);
  const outcome = await runCredentialsExchangeTrigger({
    actions,
    event: {
      accessToken: { scope: input.scopes },
      client: {
        client_id: client.client_id,
        name: client.name,
        metadata: stringRecord(client.client_metadata),
      },
      request: {
        ip: request.ip,
        method: request.method,
        hostname: request.hostname,
        ...(request.user_agent ? { user_agent: request.user_agent } : {}),
        ...(request.language ? { language: request.language } : {}),
        body: request.body,
        geoip: request.geoip,
      },
      resource_server: { identifier: input.audience },
      tenant: { id: 'local' },
      transaction: { requested_scopes: input.requestedScopes },
    },
    cache: runtime.actionCache,
    timeoutMs: runtime.actionTimeoutMs,
    executor: runtime.executor,
  });
  // The Action's code becomes the OAuth error, its reason the description; the status is UNCONFIRMED for Auth0
  // (403, as Auth0 answers its other token-endpoint refusals; a failed Action is refused like post-login's).
  if (outcome.status === 'denied') throw new OAuthError(403, outcome.code, outcome.reason);
  if (outcome.status === 'failed') throw new OAuthError(403, 'access_denied', outcome.reason);
  return outcome.claims;
}
