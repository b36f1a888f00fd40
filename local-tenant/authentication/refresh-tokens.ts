// Refresh tokens in the tenant state: issue, rotation with automatic reuse detection, the absolute and idle
// lifetimes, and revocation of a token's family.
//   https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation
//   https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation
//   https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration
//   https://auth0.com/docs/secure/tokens/refresh-tokens/revoke-refresh-tokens
import { createHash, randomBytes } from 'node:crypto';
import type { TenantStore } from '../state/store.js';
import type { RefreshTokenGrant, RefreshTokenRecord, TenantState } from '../state/types.js';
import { refreshTokenPolicy, type RefreshTokenPolicy } from './refresh-token-policy.js';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(36).toString('base64url');
const newId = () => `rt_${randomBytes(12).toString('base64url')}`;

type Assessment =
  | { kind: 'usable'; record: RefreshTokenRecord }
  /** A spent rotating token presented again: its whole family must go. */
  | { kind: 'reuse'; record: RefreshTokenRecord }
  | { kind: 'invalid' };

export type Redemption =
  { kind: 'redeemed'; record: RefreshTokenRecord; refreshToken?: string } | { kind: 'invalid' };

export class RefreshTokenStore {
  constructor(
    private readonly store: TenantStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new family for a login that asked for offline_access. */
  issue(grant: RefreshTokenGrant): string {
    const now = this.now();
    return this.store.mutate((state) => {
      prune(state, now);
      return addFamily(state, structuredClone(grant), policyOf(state, grant.clientId), now);
    });
  }

  /** The record behind a usable token, without side effects (introspection). */
  active(token: string): RefreshTokenRecord | undefined {
    const record = this.store.snapshot.refresh_tokens[tokenHash(token)];
    const now = this.now();
    return record?.status === 'active' &&
      !expired(record, policyOf(this.store.snapshot, record), now)
      ? record
      : undefined;
  }

  /**
   * Checks a token `clientId` presents, before the Actions run. Reuse of a spent rotating token revokes its
   * family at once ("Automatic reuse detection"), whatever the outcome of the request.
   */
  check(token: string, clientId: string): RefreshTokenRecord | undefined {
    const assessment = assess(this.store.snapshot, tokenHash(token), clientId, this.now());
    if (assessment.kind === 'reuse') this.revokeFamily(token);
    return assessment.kind === 'usable' ? assessment.record : undefined;
  }

  /**
   * Completes an exchange once the Actions passed, in one state write (a concurrent exchange of the same token
   * is judged again here). A rotating client gets the token's successor in the same family, which keeps the
   * family's absolute expiry ("the lifetime does not extend when tokens are rotated"); a non-rotating client
   * keeps its token, whose idle lifetime restarts. Switching a client's rotation type migrates its tokens the
   * way Auth0 documents: rotating → non-rotating revokes the family, non-rotating → rotating deletes the
   * user's non-rotating tokens for that client and API; either way a new family is issued.
   */
  redeem(token: string, clientId: string): Redemption {
    const now = this.now();
    return this.store.mutate((state): Redemption => {
      const assessment = assess(state, tokenHash(token), clientId, now);
      if (assessment.kind === 'reuse') revokeWhere(state, sameFamily(assessment.record));
      if (assessment.kind !== 'usable') return { kind: 'invalid' };
      const { record } = assessment;
      const policy = policyOf(state, record);
      const grant = structuredClone(record.grant);
      let refreshToken: string | undefined;
      if (policy.rotating && record.rotating) {
        refreshToken = newToken();
        const successor: RefreshTokenRecord = {
          ...newRecord(grant, policy, now, record.family_id),
          ...(record.expires_at !== undefined ? { expires_at: record.expires_at } : {}),
        };
        state.refresh_tokens[tokenHash(refreshToken)] = successor;
        record.status = 'rotated';
        // A retry inside the leeway leaves the window where the first exchange opened it.
        record.rotated_at ??= now;
        record.replaced_by = successor.id;
      } else if (policy.rotating !== record.rotating) {
        revokeWhere(
          state,
          record.rotating
            ? sameFamily(record)
            : (other) => !other.rotating && sameGrantOwner(other, record),
        );
        refreshToken = addFamily(state, grant, policy, now);
      } else {
        record.last_used_at = now;
        // A non-expiring token exchanged after the client set a maximum lifetime becomes expiring.
        if (record.expires_at === undefined && policy.absoluteLifetimeSeconds !== undefined)
          record.expires_at = now + policy.absoluteLifetimeSeconds * 1000;
      }
      prune(state, now);
      return { kind: 'redeemed', record, ...(refreshToken ? { refreshToken } : {}) };
    });
  }

  /**
   * POST /oauth/revoke: revokes the token's family; with the tenant flag "Refresh Token Revocation Deletes
   * Grant" (`flags.revoke_refresh_token_grant`) every token of the same user, application and audience.
   */
  revoke(token: string, clientId: string): 'revoked' | 'unknown' | 'other-client' {
    const record = this.store.snapshot.refresh_tokens[tokenHash(token)];
    if (!record) return 'unknown';
    if (record.grant.clientId !== clientId) return 'other-client';
    this.store.mutate((state) => {
      const deletesGrant = flagOn(state, 'revoke_refresh_token_grant');
      revokeWhere(
        state,
        deletesGrant ? (other) => sameGrantOwner(other, record) : sameFamily(record),
      );
      prune(state, this.now());
    });
    return 'revoked';
  }

  /** Revokes the token's family, whoever holds it (an authorization code replayed after its exchange). */
  revokeFamily(token: string): void {
    const record = this.store.snapshot.refresh_tokens[tokenHash(token)];
    if (!record) return;
    this.store.mutate((state) => revokeWhere(state, sameFamily(record)));
  }
}

function policyOf(
  state: Readonly<TenantState>,
  owner: string | RefreshTokenRecord,
): RefreshTokenPolicy {
  const clientId = typeof owner === 'string' ? owner : owner.grant.clientId;
  return refreshTokenPolicy(state.clients.find((client) => client.client_id === clientId));
}

function newRecord(
  grant: RefreshTokenGrant,
  policy: RefreshTokenPolicy,
  now: number,
  familyId: string,
): RefreshTokenRecord {
  return {
    id: newId(),
    family_id: familyId,
    grant,
    rotating: policy.rotating,
    status: 'active',
    created_at: now,
    last_used_at: now,
    ...(policy.absoluteLifetimeSeconds !== undefined
      ? { expires_at: now + policy.absoluteLifetimeSeconds * 1000 }
      : {}),
  };
}

function addFamily(
  state: TenantState,
  grant: RefreshTokenGrant,
  policy: RefreshTokenPolicy,
  now: number,
): string {
  const token = newToken();
  state.refresh_tokens[tokenHash(token)] = newRecord(grant, policy, now, newId());
  return token;
}

function expired(record: RefreshTokenRecord, policy: RefreshTokenPolicy, now: number): boolean {
  if (record.expires_at !== undefined && now >= record.expires_at) return true;
  // The idle lifetime follows the application's current settings.
  return (
    policy.idleLifetimeSeconds !== undefined &&
    now >= record.last_used_at + policy.idleLifetimeSeconds * 1000
  );
}

function assess(
  state: Readonly<TenantState>,
  hash: string,
  clientId: string,
  now: number,
): Assessment {
  const record = state.refresh_tokens[hash];
  if (!record || record.grant.clientId !== clientId || record.status === 'revoked')
    return { kind: 'invalid' };
  const policy = policyOf(state, record);
  if (expired(record, policy, now)) return { kind: 'invalid' };
  if (record.status === 'active') return { kind: 'usable', record };
  // Spent. The leeway ("Rotation Overlap Period") lets only the previous token be exchanged again, and only
  // briefly: "Only the previous token can be reused; if the second-to-last one is exchanged, breach detection
  // will be triggered." The previous token is the one the family's newest token was issued from.
  // UNCONFIRMED: whether the successor issued first stays valid after such a retry; here it does.
  const family = Object.values(state.refresh_tokens).filter(sameFamily(record));
  const newest = Math.max(...family.map((member) => member.created_at));
  const successor = family.find((member) => member.id === record.replaced_by);
  const isPrevious = successor?.status === 'active' && successor.created_at >= newest;
  const withinLeeway =
    policy.leewaySeconds > 0 && now - (record.rotated_at ?? 0) <= policy.leewaySeconds * 1000;
  return withinLeeway && isPrevious ? { kind: 'usable', record } : { kind: 'reuse', record };
}

const sameFamily = (record: RefreshTokenRecord) => (other: RefreshTokenRecord) =>
  other.family_id === record.family_id;

const sameGrantOwner = (a: RefreshTokenRecord, b: RefreshTokenRecord) =>
  a.grant.userId === b.grant.userId &&
  a.grant.clientId === b.grant.clientId &&
  a.grant.audience === b.grant.audience;

function revokeWhere(state: TenantState, matches: (record: RefreshTokenRecord) => boolean): void {
  for (const record of Object.values(state.refresh_tokens))
    if (matches(record)) record.status = 'revoked';
}

/** Drops families that can no longer be exchanged (revoked, spent or expired), so the state stays small. */
function prune(state: TenantState, now: number): void {
  const alive = new Set<string>();
  for (const record of Object.values(state.refresh_tokens))
    if (record.status === 'active' && !expired(record, policyOf(state, record), now))
      alive.add(record.family_id);
  for (const [hash, record] of Object.entries(state.refresh_tokens))
    if (!alive.has(record.family_id)) delete state.refresh_tokens[hash];
}

function flagOn(state: Readonly<TenantState>, flag: string): boolean {
  const flags = state.tenant_settings.flags;
  return (
    typeof flags === 'object' && flags !== null && !Array.isArray(flags) && flags[flag] === true
  );
}
