// Who is calling, reduced from verified token claims (JWT or introspection result) to what routes need.
export interface Principal {
  /** `sub` as issued. */
  subject: string;
  /** Identity used for the ledger, responses and logs: the client id for M2M partners, else `sub`. */
  callerId: string;
  callerType: 'user' | 'client';
  scopes: ReadonlySet<string>;
  claims: Readonly<Record<string, unknown>>;
  /** Seconds since the epoch. */
  issuedAt?: number;
  expiresAt?: number;
  /** How the credential was checked; only a locally verified JWT can authorise a transfer. */
  source: 'jwt' | 'introspection' | 'password_grant';
}

const CLIENTS_SUFFIX = '@clients';

export function principalFromClaims(
  claims: Record<string, unknown> & { sub: string },
  source: Principal['source'],
): Principal {
  const subject = claims.sub;
  const scopes = new Set(
    typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
  );
  // Client-credentials tokens of partners (docs/auth0-facts.md §3): sub is `<client_id>@clients`;
  // the default profile adds gty=client-credentials and azp, the RFC 9068 profile client_id
  // instead.
  const isClient =
    subject.endsWith(CLIENTS_SUFFIX) &&
    (claims.gty === undefined || claims.gty === 'client-credentials');
  const clientId = isClient ? subject.slice(0, -CLIENTS_SUFFIX.length) : undefined;
  return {
    subject,
    callerId: clientId ?? subject,
    callerType: clientId ? 'client' : 'user',
    scopes,
    claims: Object.freeze({ ...claims }),
    issuedAt: typeof claims.iat === 'number' ? claims.iat : undefined,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
    source,
  };
}
