// The sections of tenant.yaml this engine manages, in auth0-deploy-cli's YAML shape. Every object is strict: a typo
// is an error here, where auth0-deploy-cli's own schemas let it through.
import { Management } from 'auth0';
import { z } from 'zod';

const url = z.string().min(1);
/** An Actions trigger id Auth0 knows (post-login, credentials-exchange, …). */
const triggerId = z.enum(Management.ActionTriggerTypeEnum);
const scopeValue = z.string().min(1).max(280);

export const resourceServerSchema = z.strictObject({
  name: z.string().min(1).max(200),
  identifier: z.string().min(1).max(600),
  signing_alg: z.enum(['HS256', 'RS256', 'RS512', 'PS256']).optional(),
  scopes: z
    .array(z.strictObject({ value: scopeValue, description: z.string().max(500).optional() }))
    .optional(),
  token_lifetime: z.number().int().min(0).max(2_592_000).optional(),
  token_lifetime_for_web: z.number().int().min(0).optional(),
  token_dialect: z
    .enum(['access_token', 'access_token_authz', 'rfc9068_profile', 'rfc9068_profile_authz'])
    .optional(),
  allow_offline_access: z.boolean().optional(),
  skip_consent_for_verifiable_first_party_clients: z.boolean().optional(),
  enforce_policies: z.boolean().optional(),
  /**
   * Introspection (docs/asp.md): the public key(s) Auth0 uses to verify the resource server's
   * client assertions (JWKS JSON or PEM).
   */
  verificationKey: z.string().min(1).optional(),
  verificationLocation: z.string().min(1).optional(),
});

export const clientSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  // Optional as in Auth0: a client created without one has none, and Auth0 does not return one it was never sent.
  app_type: z.enum(['spa', 'native', 'regular_web', 'non_interactive']).optional(),
  callbacks: z.array(url).optional(),
  allowed_logout_urls: z.array(url).optional(),
  web_origins: z.array(url).optional(),
  allowed_origins: z.array(url).optional(),
  grant_types: z.array(z.string().min(1)).optional(),
  token_endpoint_auth_method: z
    .enum(['none', 'client_secret_post', 'client_secret_basic'])
    .optional(),
  oidc_conformant: z.boolean().optional(),
  is_first_party: z.boolean().optional(),
  sso_disabled: z.boolean().optional(),
  cross_origin_authentication: z.boolean().optional(),
  initiate_login_uri: z.string().optional(),
  logo_uri: z.string().optional(),
  jwt_configuration: z
    .strictObject({
      alg: z.enum(['HS256', 'RS256', 'PS256']),
      lifetime_in_seconds: z.number().int().positive().optional(),
    })
    .optional(),
  refresh_token: z
    .strictObject({
      rotation_type: z.enum(['rotating', 'non-rotating']),
      expiration_type: z.enum(['expiring', 'non-expiring']),
      leeway: z.number().int().min(0).optional(),
      token_lifetime: z.number().int().positive().optional(),
      infinite_token_lifetime: z.boolean().optional(),
      idle_token_lifetime: z.number().int().positive().optional(),
      infinite_idle_token_lifetime: z.boolean().optional(),
    })
    .optional(),
  client_metadata: z.record(z.string(), z.string().max(255)).optional(),
});

export const clientGrantSchema = z.strictObject({
  /** A client NAME from `clients` (a0deploy also accepts raw IDs; we require names so nobody copies IDs). */
  client_id: z.string().min(1),
  audience: z.string().min(1),
  scope: z.array(scopeValue),
  subject_type: z.enum(['client', 'user']).optional(),
});

export const actionSchema = z.strictObject({
  name: z.string().min(1),
  /** Path of the bundled JavaScript, relative to tenant.yaml (dist/actions/<name>.js from actions/bundle.ts). */
  code: z.string().min(1),
  runtime: z
    .string()
    .regex(/^node\d+$/)
    .default('node22'),
  deployed: z.boolean().default(true),
  dependencies: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        version: z.string().min(1),
        registry_url: z.string().optional(),
      }),
    )
    .default([]),
  secrets: z
    .array(z.strictObject({ name: z.string().min(1).max(128), value: z.string().max(4096) }))
    .max(30)
    .default([]),
  supported_triggers: z
    .array(z.strictObject({ id: triggerId, version: z.string().min(1) }))
    .length(1),
});

export const triggersSchema = z.partialRecord(
  triggerId,
  z.array(z.strictObject({ action_name: z.string().min(1), display_name: z.string().min(1) })),
);

export const guardianFactorNames = [
  'sms',
  'push-notification',
  'otp',
  'email',
  'duo',
  'webauthn-roaming',
  'webauthn-platform',
  'recovery-code',
] as const;

export const guardianFactorSchema = z.strictObject({
  name: z.enum(guardianFactorNames),
  enabled: z.boolean(),
});

export const guardianPoliciesSchema = z.strictObject({
  policies: z.array(z.enum(['all-applications', 'confidence-score'])),
});

export const databaseSchema = z.strictObject({
  name: z.string().min(1).max(128),
  strategy: z.literal('auth0').default('auth0'),
  display_name: z.string().optional(),
  /** Client NAMES from `clients`. */
  enabled_clients: z.array(z.string().min(1)).default([]),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const tenantSettingsSchema = z.strictObject({
  friendly_name: z.string().optional(),
  support_email: z.string().optional(),
  support_url: z.string().optional(),
  session_lifetime: z.number().positive().optional(),
  idle_session_lifetime: z.number().positive().optional(),
  enabled_locales: z.array(z.enum(Management.TenantSettingsSupportedLocalesEnum)).optional(),
  default_audience: z.string().optional(),
  default_directory: z.string().optional(),
});

export const managedSectionsSchema = z.strictObject({
  resourceServers: z.array(resourceServerSchema).optional(),
  clients: z.array(clientSchema).optional(),
  clientGrants: z.array(clientGrantSchema).optional(),
  actions: z.array(actionSchema).optional(),
  triggers: triggersSchema.optional(),
  guardianFactors: z.array(guardianFactorSchema).optional(),
  guardianPolicies: guardianPoliciesSchema.optional(),
  databases: z.array(databaseSchema).optional(),
  tenant: tenantSettingsSchema.optional(),
});

/** Sections auth0-deploy-cli's YAML format knows and we hand to its import unchanged (AUTH0_INCLUDED_ONLY). */
export const passthroughSections = [
  'rules',
  'rulesConfigs',
  'hooks',
  'pages',
  'roles',
  'connections',
  'emailProvider',
  'emailTemplates',
  'organizations',
  'migrations',
  'attackProtection',
  'branding',
  'logStreams',
  'prompts',
  'customDomains',
  'themes',
  'forms',
  'flows',
  'flowVaultConnections',
  'selfServiceProfiles',
  'networkACLs',
  'userAttributeProfiles',
  'phoneProviders',
  'clientCredentials',
  'connectionProfiles',
  'tokenExchangeProfiles',
  'resourceServerScopes',
] as const;

export const demoUserSchema = z.strictObject({
  email: z.string().email(),
  connection: z.string().min(1),
  password: z.string().min(8),
  email_verified: z.boolean().default(true),
  name: z.string().optional(),
});

/** tenant/env/<env>.json: an auth0-deploy-cli config file (so `a0deploy import -c` reads it) plus our `deploy` block. */
export const envFileSchema = z.strictObject({
  AUTH0_KEYWORD_REPLACE_MAPPINGS: z
    .record(z.string().regex(/^[A-Za-z0-9_]+$/), z.unknown())
    .default({}),
  AUTH0_ALLOW_DELETE: z.boolean().optional(),
  AUTH0_EXCLUDED: z.array(z.string()).optional(),
  deploy: z
    .strictObject({
      /** Demo users (local/dev only): created once, never updated (passwords cannot be read back to compare). */
      users: z.array(demoUserSchema).default([]),
      /** Fail the deploy if the tenant rejects `verificationKey` (default: warn and continue). */
      verificationKeyRequired: z.boolean().default(false),
      /** Client-side request budget (default: a Free tenant's 2 req/s, burst 2). */
      rateLimit: z
        .strictObject({ perSecond: z.number().positive(), burst: z.number().int().min(1) })
        .optional(),
    })
    .default({ users: [], verificationKeyRequired: false }),
});

export type ResourceServerConfig = z.infer<typeof resourceServerSchema>;
export type ClientConfig = z.infer<typeof clientSchema>;
export type ClientGrantConfig = z.infer<typeof clientGrantSchema>;
export type ActionConfig = z.infer<typeof actionSchema>;
export type TriggersConfig = z.infer<typeof triggersSchema>;
export type GuardianFactorConfig = z.infer<typeof guardianFactorSchema>;
export type GuardianPoliciesConfig = z.infer<typeof guardianPoliciesSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type TenantSettingsConfig = z.infer<typeof tenantSettingsSchema>;
export type DemoUserConfig = z.infer<typeof demoUserSchema>;
export type ManagedSections = z.infer<typeof managedSectionsSchema>;
export type EnvFile = z.infer<typeof envFileSchema>;
