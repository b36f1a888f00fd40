// The Authentication API as one Fastify plugin: /oauth/token and its grants, discovery and JWKS, the browser
// login with its MFA pages, /userinfo, /oauth/revoke, /oauth/introspect, /dbconnections/signup (with the
// pre- and post-user-registration Actions) and CORS for SPAs.
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { TenantContext } from '../context.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { corsRoutes } from './cors.js';
import { discoveryRoutes } from './discovery.js';
import { interactiveLoginRoutes } from './interactive-login.js';
import { LoginFlow } from './login-flow.js';
import { mfaRoutes } from './mfa-pages.js';
import { createAuthRuntime, type AuthRuntime, type AuthenticationSettings } from './runtime.js';
import { sessionEndpointRoutes } from './session-endpoints.js';
import { signupRoutes } from './signup.js';
import { tokenEndpointRoutes } from './token-endpoint.js';
import { userGrants } from './user-grants.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Authentication API's runtime state (see authentication/runtime.ts). */
    authentication: AuthRuntime;
  }
}

export interface AuthenticationPluginOptions {
  tenant: TenantContext;
  settings?: AuthenticationSettings;
}

async function routes(
  app: FastifyInstance,
  { tenant, runtime }: { tenant: TenantContext; runtime: AuthRuntime },
): Promise<void> {
  await app.register(formbody);
  runtime.grants.register('client_credentials', clientCredentialsGrant(runtime));
  for (const [grantType, handler] of Object.entries(userGrants(runtime)))
    runtime.grants.register(grantType, handler);
  corsRoutes(app, tenant);
  tokenEndpointRoutes(app, tenant, runtime.grants);
  discoveryRoutes(app, tenant, runtime.grants);
  const flow = new LoginFlow(tenant, runtime);
  interactiveLoginRoutes(app, tenant, runtime, flow);
  mfaRoutes(app, tenant, runtime, flow);
  sessionEndpointRoutes(app, tenant, runtime);
  signupRoutes(app, tenant, runtime);
}

/**
 * Decorates the server with `authentication` (the runtime) and registers the routes in a context of their own,
 * so form bodies and CORS stay the Authentication API's. `skip-override` is what fastify-plugin sets: the
 * decoration is visible to the whole server (and to LocalTenant), not just inside this plugin.
 */
async function authentication(
  app: FastifyInstance,
  { tenant, settings }: AuthenticationPluginOptions,
): Promise<void> {
  const runtime = createAuthRuntime(tenant, settings);
  app.decorate('authentication', runtime);
  app.addHook('onClose', async () => runtime.executor.close());
  await app.register(routes, { tenant, runtime });
}

export const authenticationPlugin = Object.assign(authentication, {
  [Symbol.for('skip-override')]: true,
});

export type { AuthRuntime, AuthenticationSettings } from './runtime.js';
