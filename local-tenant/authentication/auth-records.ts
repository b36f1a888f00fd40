// Authentication API records kept in memory: login transactions, authorization codes, MFA tokens and SSO
// sessions (a restart logs browsers out). Refresh tokens persist in the tenant state (refresh-tokens.ts).
import { randomBytes } from 'node:crypto';
import type {
  AuthenticationMethod,
  PipelineState,
  PostLoginEventInput,
} from '../actions-runtime/types.js';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The validated /authorize request, kept for the whole interactive login. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  responseType: string[];
  responseMode: 'query' | 'fragment' | 'form_post' | 'web_message';
  scope: string[];
  audience?: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompt: string[];
  acrValues: string[];
  loginHint?: string;
}

/** Everything needed to issue tokens once a login (interactive or not) has passed the Actions. */
export interface GrantContext {
  clientId: string;
  userId: string;
  audience?: string;
  /** Scopes granted by Auth0's rules before Actions (openid/profile/email/offline_access included). */
  scope: string[];
  authenticationMethods: AuthenticationMethod[];
  /** MFA completed during this transaction → amr/acr in the ID token. */
  mfaInTransaction: boolean;
  nonce?: string;
  authTime: number;
  sessionId?: string;
}

export interface LoginTransaction {
  id: string;
  request: AuthorizeRequest;
  protocol: string;
  userId?: string;
  /** SSO: the session this login continues. */
  sessionId?: string;
  methods: AuthenticationMethod[];
  pipeline?: PipelineState;
  /** Why the MFA page is shown: an Action's challenge/enable, the guardian policy or acr_values. */
  mfa?: { mode: 'challenge' | 'enroll'; resumePipeline: boolean; pendingSecret?: string };
  eventRequest?: PostLoginEventInput['request'];
  expiresAt: number;
}

export interface AuthorizationCodeRecord {
  code: string;
  redirectUri: string;
  codeChallenge?: string;
  grant: GrantContext;
  pipeline: PipelineState;
  expiresAt: number;
  usedAt?: number;
  /** Refresh tokens issued from this code; revoked if the code is replayed. */
  refreshTokens: string[];
}

export interface MfaTokenRecord {
  token: string;
  grant: GrantContext;
  protocol: string;
  pipeline?: PipelineState;
  /** The MFA was required after the pipeline completed (multifactor.enable / policy), not mid-pipeline. */
  pipelineCompleted: boolean;
  event: PostLoginEventInput;
  expiresAt: number;
}

export interface SessionRecord {
  id: string;
  userId: string;
  methods: AuthenticationMethod[];
  authTime: number;
  /** allowRememberBrowser: MFA remembered for this browser until then. */
  mfaRememberedUntil?: number;
}

const TRANSACTION_TTL_MS = 30 * 60 * 1000;
/** Auth0 authorization codes are short-lived (RFC 6749 recommends ≤10 min); we use 60 s. */
export const AUTHORIZATION_CODE_TTL_MS = 60 * 1000;
/** Auth0: MFA tokens (audience https://{domain}/mfa/) live 10 minutes, not configurable. */
export const MFA_TOKEN_TTL_MS = 10 * 60 * 1000;

export class AuthRecords {
  readonly transactions = new ExpiringMap<LoginTransaction>();
  readonly codes = new ExpiringMap<AuthorizationCodeRecord>();
  readonly mfaTokens = new ExpiringMap<MfaTokenRecord>();
  readonly sessions = new Map<string, SessionRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  newTransaction(request: AuthorizeRequest, protocol: string): LoginTransaction {
    const transaction: LoginTransaction = {
      id: randomToken(24),
      request,
      protocol,
      methods: [],
      expiresAt: this.now() + TRANSACTION_TTL_MS,
    };
    this.transactions.set(transaction.id, transaction, this.now);
    return transaction;
  }

  issueCode(record: Omit<AuthorizationCodeRecord, 'code' | 'expiresAt' | 'refreshTokens'>): string {
    const code = randomToken(24);
    this.codes.set(
      code,
      { ...record, code, expiresAt: this.now() + AUTHORIZATION_CODE_TTL_MS, refreshTokens: [] },
      this.now,
    );
    return code;
  }

  issueMfaToken(record: Omit<MfaTokenRecord, 'token' | 'expiresAt'>): string {
    const token = randomToken(32);
    this.mfaTokens.set(
      token,
      { ...record, token, expiresAt: this.now() + MFA_TOKEN_TTL_MS },
      this.now,
    );
    return token;
  }

  newSession(userId: string, methods: AuthenticationMethod[]): SessionRecord {
    const session: SessionRecord = {
      id: randomToken(24),
      userId,
      methods,
      authTime: Math.floor(this.now() / 1000),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  time(): number {
    return this.now();
  }
}

/** A map whose entries disappear at their `expiresAt`. */
export class ExpiringMap<T extends { expiresAt: number }> {
  private readonly entries = new Map<string, T>();

  set(key: string, value: T, now: () => number): void {
    this.sweep(now());
    this.entries.set(key, value);
  }

  get(key: string, now: number = Date.now()): T | undefined {
    const value = this.entries.get(key);
    if (!value) return undefined;
    if (value.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return value;
  }

  /** Returns the entry even when expired (to tell "expired" from "unknown"), without deleting it. */
  peek(key: string): T | undefined {
    return this.entries.get(key);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private sweep(now: number): void {
    // Keep expired codes a little longer so a late replay is still recognised as a replay.
    for (const [key, value] of this.entries)
      if (value.expiresAt + 10 * 60 * 1000 <= now) this.entries.delete(key);
  }
}
