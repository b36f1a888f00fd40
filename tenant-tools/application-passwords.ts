// App Specific Passwords through the Management API, following the 2017 draft (docs/asp.md)
// (docs/auth0-facts.md §7): POST/GET /api/v2/users/{id}/application-passwords, DELETE …/{asp_id}.
// Auth0 never shipped these endpoints, so a 404 that is not about a missing user or password means
// the tenant lacks the feature.
import { z } from 'zod';
import { featureNotOffered, ToolError, UsageError } from './errors.js';
import { describeFailure, errorAnswer, parseErrorBody, sdkFailure } from './management-errors.js';
import type { ToolTenant } from './tenant.js';
import { errorMessage } from '../lib/guards.js';

export interface TenantUser {
  user_id: string;
  email?: string;
}

const userSchema = z.looseObject({ user_id: z.string().min(1), email: z.string().optional() });

const aspSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string(),
  audience: z.string(),
  scope: z.array(z.string()),
  created_at: z.string().optional(),
  last_accessed: z.string().optional(),
});
const createdAspSchema = aspSchema.extend({ value: z.string().min(1) });

/** What list shows. Deliberately has no `value`: the tenant never returns it, and we never print one. */
export interface ApplicationPasswordSummary {
  id: string;
  label: string;
  audience: string;
  scope: string[];
  created_at?: string;
  last_accessed?: string;
}

export interface CreatedApplicationPassword extends ApplicationPasswordSummary {
  /** Shown once, at creation; the tenant keeps only a hash. */
  value: string;
}

function summary(asp: z.infer<typeof aspSchema>): ApplicationPasswordSummary {
  return {
    id: asp.id,
    label: asp.label,
    audience: asp.audience,
    scope: asp.scope,
    ...(asp.created_at ? { created_at: asp.created_at } : {}),
    ...(asp.last_accessed ? { last_accessed: asp.last_accessed } : {}),
  };
}

/** A user id (auth0|…) or an email address. */
export async function resolveUser(tenant: ToolTenant, reference: string): Promise<TenantUser> {
  const domain = tenant.target.domain;
  const looksLikeEmail = reference.includes('@') && !reference.includes('|');
  if (looksLikeEmail) {
    let found: unknown;
    try {
      found = await tenant.mgmt.users.listUsersByEmail({ email: reference });
    } catch (error) {
      throw sdkFailure(domain, `GET /api/v2/users-by-email`, error);
    }
    const users = z.array(userSchema).parse(found);
    if (users.length === 0) throw new ToolError(`no user with email ${reference} in ${domain}`);
    if (users.length > 1) {
      throw new ToolError(
        `${users.length} users have the email ${reference} in ${domain} (${users.map((user) => user.user_id).join(', ')}); pass --user <user_id>`,
      );
    }
    return users[0]!;
  }
  try {
    return userSchema.parse(await tenant.mgmt.users.get(reference));
  } catch (error) {
    if (errorAnswer(error)?.status === 404)
      throw new ToolError(`no user ${reference} in ${domain}`);
    throw sdkFailure(domain, `GET /api/v2/users/${reference}`, error);
  }
}

/**
 * The API's defined scopes, so a typo is reported (with the valid choices) before anything is
 * created. Undefined when the client may not read resource servers: the resource server's minimal
 * grant has only the ASP scopes (+ read:users), and the tenant then checks the scopes itself on
 * create.
 */
async function definedScopes(tenant: ToolTenant, audience: string): Promise<string[] | undefined> {
  let server: unknown;
  try {
    server = await tenant.mgmt.resourceServers.get(audience);
  } catch (error) {
    const status = errorAnswer(error)?.status;
    if (status === 403) return undefined;
    if (status === 404)
      throw new ToolError(
        `no API with identifier ${audience} in ${tenant.target.domain} (deploy tenant/tenant.yaml first)`,
      );
    throw sdkFailure(tenant.target.domain, `GET /api/v2/resource-servers/${audience}`, error);
  }
  const parsed = z
    .looseObject({ scopes: z.array(z.looseObject({ value: z.string() })).optional() })
    .parse(server);
  return (parsed.scopes ?? []).map((scope) => scope.value);
}

/** "a b", "a,b" → ["a","b"]; order kept, duplicates dropped. */
export function parseScopeList(raw: string): string[] {
  return [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
}

interface AspRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Calls an ASP endpoint; maps 404s to "no such user/password" or "this tenant has no ASPs". */
async function aspRequest(tenant: ToolTenant, request: AspRequest): Promise<unknown> {
  const domain = tenant.target.domain;
  const label = `${request.method} /api/v2${request.path}`;
  let response: Response;
  try {
    response = await tenant.mgmt.fetch(request.path, {
      method: request.method,
      ...(request.body === undefined
        ? {}
        : { body: JSON.stringify(request.body), headers: { 'content-type': 'application/json' } }),
    });
  } catch (error) {
    throw new ToolError(`cannot reach ${domain} for ${label}: ${errorMessage(error)}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body;
  const error = parseErrorBody(body);
  if (response.status === 404) {
    if (error.errorCode === 'inexistent_user')
      throw new ToolError(
        `no user ${decodeURIComponent(request.path.split('/')[2] ?? '')} in ${domain}`,
      );
    if (error.errorCode === 'inexistent_application_password')
      throw new ToolError(`${domain}: ${error.message ?? 'no such App Specific Password'}`);
    throw featureNotOffered('application-passwords', domain, label);
  }
  if (response.status === 400 && error.errorCode === 'invalid_scope')
    throw new ToolError(`bad --scope: ${error.message ?? 'a scope is not defined on the API'}`);
  if (response.status === 400 && error.errorCode === 'inexistent_resource_server')
    throw new ToolError(`bad --audience: ${error.message ?? 'no such API'}`);
  throw describeFailure(domain, label, response.status, error);
}

const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}/application-passwords`;

export interface CreateInput {
  user: string;
  label: string;
  scopes: string[];
  /** The API the password is for (resource server identifier). */
  audience: string;
}

/** The draft's limits (label ≤ 100, at least one scope), checked before any request. */
export function checkCreateArguments(label: string, scopes: string[]): void {
  if (label.trim().length === 0 || label.trim().length > 100)
    throw new UsageError('--label must be 1 to 100 characters');
  if (scopes.length === 0)
    throw new UsageError('--scope must name at least one scope, e.g. --scope "view:balance"');
}

export async function createApplicationPassword(
  tenant: ToolTenant,
  input: CreateInput,
): Promise<{ user: TenantUser; asp: CreatedApplicationPassword }> {
  checkCreateArguments(input.label, input.scopes);
  const label = input.label.trim();
  const user = await resolveUser(tenant, input.user);
  const defined = await definedScopes(tenant, input.audience);
  const unknown = defined ? input.scopes.filter((scope) => !defined.includes(scope)) : [];
  if (defined && unknown.length > 0) {
    throw new ToolError(
      `scope ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not defined on the API ${input.audience} ` +
        `(defined: ${defined.join(', ') || 'none'})`,
    );
  }
  const created = await aspRequest(tenant, {
    method: 'POST',
    path: userPath(user.user_id),
    body: { label, audience: input.audience, scope: input.scopes },
  });
  const parsed = createdAspSchema.safeParse(created);
  if (!parsed.success)
    throw new ToolError(
      `${tenant.target.domain} answered the create request with an unexpected body (no id/value)`,
    );
  return { user, asp: { ...summary(parsed.data), value: parsed.data.value } };
}

export async function listApplicationPasswords(
  tenant: ToolTenant,
  userReference: string,
): Promise<{ user: TenantUser; passwords: ApplicationPasswordSummary[] }> {
  const user = await resolveUser(tenant, userReference);
  const listed = z
    .array(aspSchema)
    .safeParse(await aspRequest(tenant, { method: 'GET', path: userPath(user.user_id) }));
  if (!listed.success)
    throw new ToolError(
      `${tenant.target.domain} answered the list request with an unexpected body`,
    );
  return { user, passwords: listed.data.map(summary) };
}

export async function deleteApplicationPassword(
  tenant: ToolTenant,
  userReference: string,
  id: string,
): Promise<TenantUser> {
  const user = await resolveUser(tenant, userReference);
  await aspRequest(tenant, {
    method: 'DELETE',
    path: `${userPath(user.user_id)}/${encodeURIComponent(id)}`,
  });
  return user;
}
