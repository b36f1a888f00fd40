// Validation of GET /authorize. Errors found before the redirect_uri is trusted (unknown client, callback
// mismatch) are shown on an error page; later ones go back to the redirect_uri as error/error_description,
// as Auth0 does (docs/auth0-facts.md §8).
import { z } from 'zod';
import type { TenantContext } from '../context.js';
import type { ClientRecord } from '../state/types.js';
import type { AuthorizeRequest } from './auth-records.js';
import { parseScope } from './scopes.js';
import { isOneOf, isRecord, stringList, stringOrUndefined } from '../../lib/guards.js';

const authorizeQuery = z.object({
  client_id: z.string().min(1).optional(),
  redirect_uri: z.string().min(1).optional(),
  response_type: z.string().optional(),
  response_mode: z.string().optional(),
  scope: z.string().optional(),
  audience: z.string().optional(),
  state: z.string().optional(),
  nonce: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
  prompt: z.string().optional(),
  acr_values: z.string().optional(),
  login_hint: z.string().optional(),
});

export type AuthorizeValidation =
  | { kind: 'ok'; client: ClientRecord; request: AuthorizeRequest }
  | { kind: 'page-error'; status: number; error: string; description: string }
  | {
      kind: 'redirect-error';
      request: Pick<AuthorizeRequest, 'redirectUri' | 'responseMode' | 'state'>;
      error: string;
      description: string;
    };

const SUPPORTED_RESPONSE_TYPES = new Set(['code', 'token', 'id_token', 'id_token token']);
/** web_message: auth0-spa-js's silent authentication in a hidden iframe (postMessage to the parent). */
const RESPONSE_MODES = ['query', 'fragment', 'form_post', 'web_message'] as const;

function errorResponseMode(requested: string, implicit: boolean): AuthorizeRequest['responseMode'] {
  if (isOneOf(RESPONSE_MODES, requested) && (requested !== 'query' || !implicit)) return requested;
  return implicit ? 'fragment' : 'query';
}

export function validateAuthorizeRequest(
  tenant: TenantContext,
  rawQuery: unknown,
): AuthorizeValidation {
  const parsed = authorizeQuery.safeParse(firstValues(rawQuery));
  if (!parsed.success)
    return {
      kind: 'page-error',
      status: 400,
      error: 'invalid_request',
      description: 'Malformed authorization request',
    };
  const query = parsed.data;
  if (!query.client_id)
    return {
      kind: 'page-error',
      status: 400,
      error: 'invalid_request',
      description: 'Missing required parameter: client_id',
    };
  const client = tenant.store.snapshot.clients.find(
    (candidate) => candidate.client_id === query.client_id,
  );
  if (!client)
    return {
      kind: 'page-error',
      status: 400,
      error: 'invalid_request',
      description: `Unknown client: ${query.client_id}`,
    };
  const callbacks = stringList(client.callbacks);
  if (!query.redirect_uri || !callbacks.includes(query.redirect_uri)) {
    return {
      kind: 'page-error',
      status: 400,
      error: 'unauthorized_client',
      description: `Callback URL mismatch. ${query.redirect_uri ?? '(none)'} is not in the list of allowed callback URLs`,
    };
  }
  const responseType = (query.response_type ?? '').split(/\s+/).filter(Boolean).sort();
  const responseTypeKey = responseType.join(' ');
  const implicit = responseType.includes('token') || responseType.includes('id_token');
  const responseMode = query.response_mode ?? (implicit ? 'fragment' : 'query');
  const back = (error: string, description: string): AuthorizeValidation => ({
    kind: 'redirect-error',
    error,
    description,
    request: {
      redirectUri: query.redirect_uri!,
      responseMode: errorResponseMode(responseMode, implicit),
      ...(query.state !== undefined ? { state: query.state } : {}),
    },
  });
  if (!isOneOf(RESPONSE_MODES, responseMode)) {
    return back('invalid_request', `Unsupported response_mode: ${responseMode}`);
  }
  if (!SUPPORTED_RESPONSE_TYPES.has(responseTypeKey))
    return back(
      'unsupported_response_type',
      `Unsupported response type: ${query.response_type ?? ''}`,
    );
  const grantType = implicit ? 'implicit' : 'authorization_code';
  if (!client.grant_types.includes(grantType))
    return back('unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
  if (implicit && responseMode === 'query')
    return back(
      'invalid_request',
      'response_mode=query is not allowed with an implicit response_type',
    );
  if (responseType.includes('id_token') && !query.nonce)
    return back('invalid_request', 'Missing required parameter: nonce');
  if (query.code_challenge !== undefined || query.code_challenge_method !== undefined) {
    if (implicit)
      return back('invalid_request', 'code_challenge is only allowed with response_type=code');
    if (query.code_challenge_method !== 'S256')
      return back('invalid_request', 'Unsupported code_challenge_method; use S256');
    if (!query.code_challenge || !/^[A-Za-z0-9_-]{43}$/.test(query.code_challenge))
      return back('invalid_request', 'Invalid code_challenge');
  }
  const requestedAudience =
    query.audience ??
    stringOrUndefined(tenant.store.snapshot.tenant_settings.default_audience) ??
    undefined;
  // Auth0 accepts its own /userinfo as an audience: a token for /userinfo only.
  const audience = requestedAudience === `${tenant.issuer}userinfo` ? undefined : requestedAudience;
  if (
    audience &&
    !tenant.store.snapshot.resource_servers.some((api) => api.identifier === audience)
  ) {
    return back('access_denied', `Service not found: ${audience}`);
  }
  return {
    kind: 'ok',
    client,
    request: {
      clientId: client.client_id,
      redirectUri: query.redirect_uri,
      responseType,
      responseMode,
      scope: parseScope(query.scope),
      ...(audience ? { audience } : {}),
      ...(query.state !== undefined ? { state: query.state } : {}),
      ...(query.nonce !== undefined ? { nonce: query.nonce } : {}),
      ...(query.code_challenge ? { codeChallenge: query.code_challenge } : {}),
      prompt: (query.prompt ?? '').split(/\s+/).filter(Boolean),
      acrValues: (query.acr_values ?? '').split(/\s+/).filter(Boolean),
      ...(query.login_hint ? { loginHint: query.login_hint } : {}),
    },
  };
}

function firstValues(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) return {};
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
}

/** The 302 (query/fragment) or auto-submitting form_post answer to the redirect_uri. */
export function callbackResponse(
  target: { redirectUri: string; responseMode: AuthorizeRequest['responseMode']; state?: string },
  params: Record<string, string>,
): { kind: 'redirect'; location: string } | { kind: 'form'; html: string } {
  const all = { ...params, ...(target.state !== undefined ? { state: target.state } : {}) };
  if (target.responseMode === 'web_message') {
    // Auth0's web_message answer: the iframe posts {type:'authorization_response', response} to the app's origin.
    const message = JSON.stringify({ type: 'authorization_response', response: all }).replace(
      /</g,
      '\\u003c',
    );
    const targetOrigin = JSON.stringify(new URL(target.redirectUri).origin);
    return {
      kind: 'form',
      html: `<!doctype html><html><body><script>window.parent.postMessage(${message}, ${targetOrigin});</script></body></html>`,
    };
  }
  if (target.responseMode === 'form_post') {
    const inputs = Object.entries(all)
      .map(
        ([name, value]) =>
          `<input type="hidden" name="${escapeAttribute(name)}" value="${escapeAttribute(value)}">`,
      )
      .join('');
    // The only script in the local tenant's pages: the standard form_post auto-submit (OIDC Form Post Response Mode).
    return {
      kind: 'form',
      html: `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeAttribute(target.redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`,
    };
  }
  const url = new URL(target.redirectUri);
  const encoded = new URLSearchParams(all).toString();
  if (target.responseMode === 'fragment') url.hash = encoded;
  else for (const [key, value] of Object.entries(all)) url.searchParams.set(key, value);
  return { kind: 'redirect', location: url.toString() };
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
