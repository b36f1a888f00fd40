// Management API scopes the local tenant checks; the system API "Auth0 Management API" offers them all.
const crud = (resource: string) =>
  ['read', 'create', 'update', 'delete'].map((verb) => `${verb}:${resource}`);

export const managementScopes: string[] = [
  ...crud('resource_servers'),
  ...crud('clients'),
  'read:client_keys',
  'update:client_keys',
  'read:client_credentials',
  'create:client_credentials',
  'update:client_credentials',
  'delete:client_credentials',
  ...crud('client_grants'),
  ...crud('actions'),
  'read:guardian_factors',
  'update:guardian_factors',
  'read:mfa_policies',
  'update:mfa_policies',
  'read:tenant_settings',
  'update:tenant_settings',
  ...crud('connections'),
  ...crud('users'),
  'read:user_idp_tokens',
  'read:authentication_methods',
  'delete:authentication_methods',
  'read:user_application_passwords',
  'create:user_application_passwords',
  'delete:user_application_passwords',
  'read:logs',
];
