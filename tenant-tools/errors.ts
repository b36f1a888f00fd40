// Errors the tenant tools report to a person: a message and an exit code, never a stack trace.
// 1 = the request failed (tenant refused, unknown user, missing key …); 2 = the command line itself is wrong.
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export class UsageError extends ToolError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}

export type TenantFeature = 'application-passwords' | 'introspection';

/**
 * Auth0 itself answers 404 on these endpoints: they only existed in a 2017 early-access draft
 * (docs/auth0-facts.md §7). Say so plainly instead of printing "Not Found", so nobody debugs their
 * tenant for a feature that does not exist.
 */
export function featureNotOffered(
  feature: TenantFeature,
  domain: string,
  request: string,
): ToolError {
  const what =
    feature === 'application-passwords'
      ? 'App Specific Passwords'
      : 'token introspection (/oauth/introspect)';
  return new ToolError(
    `${domain} does not offer ${what}: it answered 404 to ${request}. ` +
      'Auth0 never made App Specific Passwords or token introspection generally available (they were a 2017 ' +
      'early-access feature that was withdrawn; see docs/asp.md). They work against the local tenant (npm run local-tenant).',
  );
}
