// How a client's refresh tokens behave, read from its `refresh_token` settings (the Management API client field):
// rotation, the reuse leeway, and the absolute and idle lifetimes.
//   https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation
//   https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration
import { z } from 'zod';
import type { ClientRecord } from '../state/types.js';

/** Auth0's defaults for the lifetimes (what its Management API returns for a client that never set them). */
const DEFAULT_ABSOLUTE_LIFETIME_SECONDS = 2_592_000;
const DEFAULT_IDLE_LIFETIME_SECONDS = 1_296_000;

export interface RefreshTokenPolicy {
  /** `rotation_type: rotating`: every exchange spends the token and returns a new one. */
  rotating: boolean;
  /** `leeway`: seconds during which the token just spent may be exchanged again without counting as reuse. */
  leewaySeconds: number;
  /** `token_lifetime` unless `infinite_token_lifetime`; fixed for a family when it is issued. */
  absoluteLifetimeSeconds?: number;
  /** `idle_token_lifetime` unless `infinite_idle_token_lifetime`; counted from the last exchange. */
  idleLifetimeSeconds?: number;
}

// Auth0's own docs show token_lifetime as a string ("2592000"), so numbers are coerced.
const seconds = z.coerce.number().int().nonnegative();
const settingsSchema = z.object({
  rotation_type: z.enum(['rotating', 'non-rotating']).optional(),
  expiration_type: z.enum(['expiring', 'non-expiring']).optional(),
  leeway: seconds.optional(),
  token_lifetime: seconds.optional(),
  infinite_token_lifetime: z.boolean().optional(),
  idle_token_lifetime: seconds.optional(),
  infinite_idle_token_lifetime: z.boolean().optional(),
});

/**
 * The policy in force for `client` now. Lifetimes apply only to `expiration_type: expiring` (Auth0 answers
 * `infinite_*: true` for non-expiring clients and `false` for expiring ones); the `infinite_*` flags take
 * precedence over the lifetimes, as the Management API documents. Unreadable settings (or none) mean Auth0's
 * defaults for a new client: non-rotating, non-expiring.
 */
export function refreshTokenPolicy(client: ClientRecord | undefined): RefreshTokenPolicy {
  const parsed = settingsSchema.safeParse(client?.refresh_token ?? {});
  const settings = parsed.success ? parsed.data : {};
  const expiring = settings.expiration_type === 'expiring';
  return {
    rotating: settings.rotation_type === 'rotating',
    leewaySeconds: settings.leeway ?? 0,
    ...(expiring && settings.infinite_token_lifetime !== true
      ? { absoluteLifetimeSeconds: settings.token_lifetime ?? DEFAULT_ABSOLUTE_LIFETIME_SECONDS }
      : {}),
    ...(expiring && settings.infinite_idle_token_lifetime !== true
      ? { idleLifetimeSeconds: settings.idle_token_lifetime ?? DEFAULT_IDLE_LIFETIME_SECONDS }
      : {}),
  };
}
