// Request bodies of /api/v2/clients: editable fields, app types and client authentication methods
// (private_key_jwt, TLS client authentication) with their credentials.
import { z } from 'zod';
import { badRequest } from '../errors.js';
import { credentialInputSchema } from './client-credentials-store.js';

// Auth0's limits on client_metadata: at most 10 properties, names of at most 255 characters drawn from letters, digits
// and `:,-+=_*?"/()<>@`, tab and space, string values of at most 255 characters
// (https://auth0.com/docs/get-started/applications/configure-application-metadata, and the Management API's
// client_metadata schema). The error wording is UNCONFIRMED (the style of Auth0's other payload validation errors).
const clientMetadata = z
  .record(
    z
      .string()
      .max(255)
      .regex(/^[A-Za-z0-9:,\-+=_*?"/()<>@\t ]+$/, 'invalid property name'),
    z.string().max(255).nullable(),
  )
  .refine((metadata) => Object.keys(metadata).length <= 10, {
    message: 'Too many properties defined, only 10 allowed',
  });

const json = z.json();
const urlList = z.array(z.string());
const authMethod = z.enum(['none', 'client_secret_post', 'client_secret_basic']);
export const appType = z.enum([
  'native',
  'spa',
  'regular_web',
  'non_interactive',
  'resource_server',
  'express_configuration',
  'rms',
  'box',
  'cloudbees',
  'concur',
  'dropbox',
  'mscrm',
  'echosign',
  'egnyte',
  'newrelic',
  'office365',
  'salesforce',
  'sentry',
  'sharepoint',
  'slack',
  'springcm',
  'zendesk',
  'zoom',
  'sso_integration',
  'oag',
]);
const credentialReference = z.strictObject({ id: z.string() });

const editableFields = {
  name: z.string().min(1).optional(),
  description: z.string().max(140).optional(),
  logo_uri: z.string().optional(),
  callbacks: urlList.optional(),
  allowed_origins: urlList.optional(),
  web_origins: urlList.optional(),
  client_aliases: urlList.optional(),
  allowed_clients: urlList.optional(),
  allowed_logout_urls: urlList.optional(),
  grant_types: z.array(z.string()).optional(),
  app_type: appType.optional(),
  is_first_party: z.boolean().optional(),
  is_token_endpoint_ip_header_trusted: z.boolean().optional(),
  oidc_conformant: z.boolean().optional(),
  jwt_configuration: z.record(z.string(), json).optional(),
  encryption_key: json.optional(),
  sso: z.boolean().optional(),
  sso_disabled: z.boolean().optional(),
  cross_origin_authentication: z.boolean().optional(),
  cross_origin_auth: z.boolean().optional(),
  cross_origin_loc: z.string().optional(),
  custom_login_page_on: z.boolean().optional(),
  custom_login_page: z.string().optional(),
  custom_login_page_preview: z.string().optional(),
  form_template: z.string().optional(),
  addons: json.optional(),
  client_metadata: clientMetadata.optional(),
  mobile: json.optional(),
  initiate_login_uri: z.string().optional(),
  native_social_login: json.optional(),
  refresh_token: json.optional(),
  default_organization: json.optional(),
  organization_usage: z.enum(['deny', 'allow', 'require']).optional(),
  organization_require_behavior: z
    .enum(['no_prompt', 'pre_login_prompt', 'post_login_prompt'])
    .optional(),
  organization_discovery_methods: json.optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  require_proof_of_possession: z.boolean().optional(),
  signed_request_object: json.optional(),
  compliance_level: json.optional(),
  oidc_logout: z.record(z.string(), json).optional(),
  oidc_backchannel_logout: json.optional(),
  token_exchange: json.optional(),
  par_request_expiry: z.number().int().nullable().optional(),
  token_quota: json.optional(),
  session_transfer: json.optional(),
  skip_non_verifiable_callback_uri_confirmation_prompt: z.boolean().optional(),
};

// private_key_jwt, or TLS client authentication with a CA-issued (tls_client_auth: cert_subject_dn) or a
// self-signed certificate (self_signed_tls_client_auth: x509_cert) — one method per client.
export const authenticationMethodNames = [
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
] as const;
export type AuthenticationMethodName = (typeof authenticationMethodNames)[number];
const credentialTypeOf: Record<AuthenticationMethodName, string> = {
  private_key_jwt: 'public_key',
  tls_client_auth: 'cert_subject_dn',
  self_signed_tls_client_auth: 'x509_cert',
};
function authenticationMethods<T extends z.ZodType>(credential: T, min: number) {
  const entry = z.strictObject({ credentials: z.array(credential).min(min) }).optional();
  return z
    .strictObject({
      private_key_jwt: entry,
      tls_client_auth: entry,
      self_signed_tls_client_auth: entry,
    })
    .refine((methods) => Object.values(methods).filter(Boolean).length === 1, {
      message: 'Exactly one client authentication method is required',
    });
}
export function chosenMethod(methods: Partial<Record<AuthenticationMethodName, unknown>>) {
  return authenticationMethodNames.find((name) => methods[name] !== undefined) ?? 'private_key_jwt';
}

export const createSchema = z.strictObject({
  ...editableFields,
  name: z.string().min(1),
  token_endpoint_auth_method: authMethod.optional(),
  client_authentication_methods: authenticationMethods(credentialInputSchema, 1).optional(),
  // Links the client to an API (app_type resource_server; GO-REC TestClient_CreateLinkedToResourceServer).
  resource_server_identifier: z.string().min(1).optional(),
});

export const updateSchema = z.strictObject({
  ...editableFields,
  client_secret: z.string().min(32).optional(),
  token_endpoint_auth_method: authMethod.nullable().optional(),
  client_authentication_methods: authenticationMethods(credentialReference, 0)
    .nullable()
    .optional(),
});

export function checkCredentialTypes(
  methods: Partial<
    Record<AuthenticationMethodName, { credentials: { credential_type: string }[] }>
  >,
): void {
  for (const name of authenticationMethodNames) {
    const wrong = methods[name]?.credentials.find(
      (credential) => credential.credential_type !== credentialTypeOf[name],
    );
    if (wrong)
      throw badRequest(
        `Payload validation error: 'credential_type must be ${credentialTypeOf[name]}' on property client_authentication_methods.${name}.credentials.`,
      );
  }
}
