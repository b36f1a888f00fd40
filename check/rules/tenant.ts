// Tenant settings: default audience and directory, session lifetimes, support contacts.
import type { Hit, Rule } from '../types.js';

/** Auth0's defaults (hours): 72 h absolute, 72 h idle; a bank should not keep sessions longer. */
export const MAX_SESSION_HOURS = 72;

function tenantRule(
  meta: Omit<Rule, 'run' | 'area'>,
  check: (
    settings: NonNullable<Parameters<Rule['run']>[0]['sections']['tenant']>,
  ) => Omit<Hit, 'resource'>[],
): Rule {
  return {
    ...meta,
    area: 'tenant',
    run(input) {
      const settings = input.sections.tenant;
      return settings
        ? check(settings).map((hit) => ({ ...hit, resource: 'tenant settings' }))
        : [];
    },
  };
}

export const tenantRules: Rule[] = [
  tenantRule(
    {
      id: 'tenant.default-audience',
      severity: 'warning',
      title: 'No tenant-wide default audience',
      why: 'A default audience makes every login without an audience receive an access token for that API, including logins by applications that never asked for it.',
      fix: 'Remove tenant.default_audience and let each application ask for its audience.',
      docs: 'https://auth0.com/docs/get-started/tenant-settings#api-authorization-settings',
      checkmate: 'checkDefaultAudience',
    },
    (settings) =>
      settings.default_audience
        ? [
            {
              path: ['tenant', 'default_audience'],
              message: `default_audience is ${settings.default_audience}`,
            },
          ]
        : [],
  ),
  tenantRule(
    {
      id: 'tenant.default-directory',
      severity: 'warning',
      title: 'No default directory for the password grant',
      why: 'A default directory enables the resource-owner password grant against that connection for any client allowed the grant, outside the hosted login and MFA.',
      fix: 'Remove tenant.default_directory unless a documented client needs the password grant.',
      docs: 'https://auth0.com/docs/get-started/tenant-settings#api-authorization-settings',
      checkmate: 'checkDefaultDirectory',
    },
    (settings) =>
      settings.default_directory
        ? [
            {
              path: ['tenant', 'default_directory'],
              message: `default_directory is ${settings.default_directory}`,
            },
          ]
        : [],
  ),
  tenantRule(
    {
      id: 'tenant.session-lifetime',
      severity: 'warning',
      title: `Sessions last at most ${MAX_SESSION_HOURS} hours`,
      why: 'A long login session lets a shared or stolen browser act as the user long after they left.',
      fix: `Set session_lifetime and idle_session_lifetime to ${MAX_SESSION_HOURS} hours or less.`,
      docs: 'https://auth0.com/docs/manage-users/sessions/configure-session-lifetime-settings',
      checkmate: 'checkSessionLifetime',
    },
    (settings) =>
      (['session_lifetime', 'idle_session_lifetime'] as const).flatMap((field) => {
        const hours = settings[field];
        return hours !== undefined && hours > MAX_SESSION_HOURS
          ? [{ path: ['tenant', field], message: `${field} is ${hours} h` }]
          : [];
      }),
  ),
  tenantRule(
    {
      id: 'tenant.support-contact',
      severity: 'info',
      title: 'Support email and URL are set',
      why: 'Error pages and emails show them, so users who are locked out know where to turn.',
      fix: 'Set tenant.support_email and tenant.support_url.',
      docs: 'https://auth0.com/docs/get-started/tenant-settings',
      checkmate: 'checkSupportEmail / checkSupportUrl',
    },
    (settings) =>
      (['support_email', 'support_url'] as const).flatMap((field) =>
        settings[field] ? [] : [{ path: ['tenant'], message: `${field} is not set` }],
      ),
  ),
];
