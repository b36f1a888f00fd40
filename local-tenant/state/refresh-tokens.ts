// Refresh tokens as the tenant state keeps them, so apps keep working across restarts. Keyed in
// TenantState.refresh_tokens by the SHA-256 of the token: the token itself is never stored.

/** What is needed to issue tokens again from a refresh token (the login it descends from). */
export interface RefreshTokenGrant {
  clientId: string;
  userId: string;
  audience?: string;
  /** Scopes granted at login; a refresh may ask for fewer, never more. */
  scope: string[];
  authenticationMethods: { name: string; timestamp: string; type?: string }[];
  mfaInTransaction: boolean;
  nonce?: string;
  authTime: number;
  sessionId?: string;
}

export interface RefreshTokenRecord {
  /** Stable id of this token (never the token). */
  id: string;
  /** Shared by every token rotated from one login: reuse detection and revocation act on the family. */
  family_id: string;
  grant: RefreshTokenGrant;
  /** Issued to a client configured `rotation_type: rotating`: spent by its first exchange. */
  rotating: boolean;
  /** active: usable · rotated: spent by an exchange (reuse is a breach) · revoked. */
  status: 'active' | 'rotated' | 'revoked';
  /** Epoch milliseconds. */
  created_at: number;
  /** Absolute expiry (epoch ms), fixed when the family was issued; absent: no maximum lifetime. */
  expires_at?: number;
  /** Issue or last exchange (epoch ms): the idle lifetime counts from here. */
  last_used_at: number;
  rotated_at?: number;
  /** Id of the token this one was rotated into. */
  replaced_by?: string;
}
