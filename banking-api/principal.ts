// Who is calling, reduced from verified token claims (JWT or introspection result) to what routes need.
import { partnerClaimName } from '../lib/banking-api-contract.js';

export interface Principal {
  /** `sub` as issued. */
  subject: string;
  /** Identity used for the ledger, responses and logs: the client id for M2M clients (= the partner id), else `sub`. */
  callerId: string;
  /** 'partner': a client-credentials token the credentials-exchange Action stamped with its partner id. */
  callerType: 'user' | 'client' | 'partner';
  /** The partner-id claim, when it names the calling client itself. */
  partnerId?: string;
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
  /** The API's identifier, which namespaces the partner-id claim; without it no token counts as a partner's. */
  audience?: string,
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
  // Only the Action sets this claim, on partner tokens; one naming another client is not believed.
  const partnerClaim = audience === undefined ? undefined : claims[partnerClaimName(audience)];
  const partnerId = clientId !== undefined && partnerClaim === clientId ? clientId : undefined;
  return {
    subject,
    callerId: clientId ?? subject,
    callerType: partnerId ? 'partner' : clientId ? 'client' : 'user',
    ...(partnerId ? { partnerId } : {}),
    scopes,
    claims: Object.freeze({ ...claims }),
    issuedAt: typeof claims.iat === 'number' ? claims.iat : undefined,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
    source,
  };
}
