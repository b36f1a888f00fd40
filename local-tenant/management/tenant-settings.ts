// /api/v2/tenants/settings: GET and PATCH (merge; `flags` merged key by key; null removes a setting).
// deploy-cli sends session lifetimes as *_in_minutes; Auth0 reports them in hours.
import { z } from 'zod';
import { isRecord } from '../../lib/guards.js';
import type { TenantContext } from '../context.js';
import type { Json } from '../state/types.js';
import { parseBody } from './validation.js';
import type { ManagementRoute } from './routes.js';

const json = z.json().optional();
const hours = z.number().min(0).max(8760).optional();
const minutes = z.number().int().min(0).max(525_600).optional();

const settingsSchema = z.strictObject({
  change_password: json,
  guardian_mfa_page: json,
  default_audience: z.string().optional(),
  default_directory: z.string().optional(),
  error_page: json,
  device_flow: json,
  default_token_quota: json,
  flags: z.record(z.string(), z.boolean()).optional(),
  friendly_name: z.string().optional(),
  picture_url: z.string().optional(),
  support_email: z.string().optional(),
  support_url: z.string().optional(),
  allowed_logout_urls: z.array(z.string()).optional(),
  session_lifetime: hours,
  idle_session_lifetime: hours,
  ephemeral_session_lifetime: hours,
  idle_ephemeral_session_lifetime: hours,
  session_lifetime_in_minutes: minutes,
  idle_session_lifetime_in_minutes: minutes,
  ephemeral_session_lifetime_in_minutes: minutes,
  idle_ephemeral_session_lifetime_in_minutes: minutes,
  sandbox_version: z.string().optional(),
  legacy_sandbox_version: z.string().optional(),
  default_redirection_uri: z.string().optional(),
  enabled_locales: z.array(z.string()).optional(),
  session_cookie: json,
  sessions: json,
  oidc_logout: json,
  customize_mfa_in_postlogin_action: z.boolean().optional(),
  allow_organization_name_in_authentication_api: z.boolean().optional(),
  acr_values_supported: z.array(z.string()).nullable().optional(),
  mtls: json,
  pushed_authorization_requests_supported: z.boolean().optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
  skip_non_verifiable_callback_uri_confirmation_prompt: z.boolean().nullable().optional(),
  resource_parameter_profile: z.enum(['audience', 'compatibility']).optional(),
  client_id_metadata_document_supported: z.boolean().optional(),
  phone_consolidated_experience: z.boolean().optional(),
  enable_ai_guide: z.boolean().optional(),
  country_codes: z
    .strictObject({
      list: z.array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code')),
      mode: z.enum(['allow', 'deny']),
    })
    .nullable()
    .optional(),
});

// Answered by GET but never stored or echoed by PATCH, as Auth0's recorded answers show: the sandbox
// versions on offer, and settings whose defaults Auth0 reports until a PATCH sets them.
const readOnlySettings = { sandbox_versions_available: ['22', '18'] };
const reportedDefaults = {
  resource_parameter_profile: 'audience',
  client_id_metadata_document_supported: false,
};

const minuteFields = [
  'session_lifetime',
  'idle_session_lifetime',
  'ephemeral_session_lifetime',
  'idle_ephemeral_session_lifetime',
];

export function registerTenantSettingsRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  route('GET', '/tenants/settings', 'read:tenant_settings', () => ({
    ...reportedDefaults,
    ...store.snapshot.tenant_settings,
    ...readOnlySettings,
  }));

  route('PATCH', '/tenants/settings', 'update:tenant_settings', ({ body }) => {
    const {
      flags,
      ...input
    }: Record<string, Json | undefined> & {
      flags?: Record<string, boolean>;
    } = parseBody(settingsSchema, body);
    return store.mutate((state) => {
      const settings = state.tenant_settings;
      for (const field of minuteFields) {
        const inMinutes = input[`${field}_in_minutes`];
        delete input[`${field}_in_minutes`];
        if (typeof inMinutes === 'number') settings[field] = inMinutes / 60;
      }
      for (const [key, value] of Object.entries(input)) {
        if (value === undefined) continue;
        // Recorded: PATCH with null (acr_values_supported, mtls, default_token_quota, country_codes) leaves
        // the setting out of later answers.
        if (value === null) delete settings[key];
        else settings[key] = value;
      }
      if (flags) settings.flags = { ...(isRecord(settings.flags) ? settings.flags : {}), ...flags };
      return settings;
    });
  });
}
