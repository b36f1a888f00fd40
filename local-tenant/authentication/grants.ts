// /oauth/token dispatches on grant_type through this registry (AuthRuntime.grants): client_credentials, the
// user-token grants and refresh_token register here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

export interface GrantRequest {
  /** Form or JSON body, string values only (arrays collapsed to their first value). */
  params: Record<string, string>;
  request: FastifyRequest;
  reply: FastifyReply;
  tenant: TenantContext;
}

/** Returns the token response, or throws OAuthError. */
export type GrantHandler = (
  grant: GrantRequest,
) => Promise<TokenResponse | Record<string, unknown>>;

export class GrantRegistry {
  private readonly handlers = new Map<string, GrantHandler>();

  register(grantType: string, handler: GrantHandler): void {
    this.handlers.set(grantType, handler);
  }

  get(grantType: string): GrantHandler | undefined {
    return this.handlers.get(grantType);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }
}
