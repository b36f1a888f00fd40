// Claim names Auth0 refuses as custom claims: the call succeeds, the claim never reaches the token
// (https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims). One list for the test kit's
// recorder and the local tenant's Actions runtime, so what the tests allow is what the tenant allows.
export const RESTRICTED_CLAIM_NAMES: ReadonlySet<string> = new Set([
  'amr',
  'acr',
  'aud',
  'azp',
  'auth_time',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'sub',
  'gty',
  'permissions',
  'roles',
  'org_id',
  'org_name',
  'sid',
  'nonce',
  'cnf',
  'client_id',
  'act',
]);
