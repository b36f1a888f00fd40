// APIs (resource servers) and the grants that let machine-to-machine clients call them.
import type { Hit, Rule } from '../types.js';
import { grantsOf, resourceServersOf } from './walk.js';

/** One hour: access tokens for an API that moves money should not outlive a working session. */
export const API_TOKEN_LIFETIME_WARNING = 3_600;
/** 24 hours: Auth0's default; anything longer is an error. */
export const API_TOKEN_LIFETIME_MAX = 86_400;

const signingAlg: Rule = {
  id: 'apis.signing-alg',
  severity: 'error',
  area: 'apis',
  title: 'Access tokens are signed with RS256',
  why: 'HS256 access tokens are signed with a secret every verifying API must hold, so any of them can mint tokens; RS256 lets APIs verify with the public key only.',
  fix: 'Set signing_alg: RS256 on the API.',
  docs: 'https://auth0.com/docs/get-started/apis/api-settings',
  checkmate: 'checkAPISigningAlgorithm',
  run(input) {
    return resourceServersOf(input).flatMap(({ api, path, resource }): Hit[] => {
      if (api.signing_alg === undefined)
        return [
          {
            path,
            resource,
            severity: 'info',
            message: 'signing_alg is not set (Auth0 defaults to RS256)',
          },
        ];
      return api.signing_alg === 'RS256'
        ? []
        : [
            {
              path: [...path, 'signing_alg'],
              resource,
              message: `access tokens are signed with ${api.signing_alg}`,
            },
          ];
    });
  },
};

const tokenLifetime: Rule = {
  id: 'apis.token-lifetime',
  severity: 'error',
  area: 'apis',
  title: 'Access tokens live at most 1 hour (warning) and never more than 24 hours (error)',
  why: 'A leaked access token cannot be revoked; its lifetime is the window an attacker has.',
  fix: `Set token_lifetime (and token_lifetime_for_web) to ${API_TOKEN_LIFETIME_WARNING} seconds or less.`,
  docs: 'https://auth0.com/docs/secure/tokens/access-tokens/update-access-token-lifetime',
  checkmate: 'checkAPITokenLifetime',
  run(input) {
    return resourceServersOf(input).flatMap(({ api, path, resource }) =>
      (['token_lifetime', 'token_lifetime_for_web'] as const).flatMap((field): Hit[] => {
        const value = api[field];
        if (value === undefined || value <= API_TOKEN_LIFETIME_WARNING) return [];
        return [
          {
            path: [...path, field],
            resource,
            severity: value > API_TOKEN_LIFETIME_MAX ? 'error' : 'warning',
            message: `${field} is ${value} s (${(value / 3600).toFixed(1)} h)`,
          },
        ];
      }),
    );
  },
};

/** Management API scopes that let a client change the tenant's security configuration. */
const TENANT_CONTROL =
  /^(create|update|delete):(clients|client_grants|resource_servers|connections|actions|rules|hooks|tenant_settings|guardian_factors|mfa_policies|roles|attack_protection|custom_domains|signing_keys)$|^read:client_keys$|^(update|delete):users$/;

const managementGrants: Rule = {
  id: 'apis.management-api-grants',
  severity: 'warning',
  area: 'apis',
  title: 'No client may reconfigure the tenant except the deploy client',
  why: 'A client holding Management API write scopes on clients, grants, Actions or settings can disable MFA or add a redirect URL: it is as powerful as an admin.',
  fix: 'Grant only the read or narrowly-scoped Management API permissions the client needs.',
  docs: 'https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens',
  checkmate: 'checkManagementAPIUserAccess',
  run(input) {
    return grantsOf(input).flatMap(({ grant, path, resource }) =>
      /\/api\/v2\/?$/.test(grant.audience)
        ? grant.scope.flatMap((scope, index): Hit[] =>
            TENANT_CONTROL.test(scope)
              ? [
                  {
                    path: [...path, 'scope', index],
                    resource,
                    message: `holds ${scope} on the Management API`,
                  },
                ]
              : [],
          )
        : [],
    );
  },
};

export const apiRules: Rule[] = [signingAlg, tokenLifetime, managementGrants];
