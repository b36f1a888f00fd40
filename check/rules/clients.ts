// Applications: redirect URLs, grant types, public-client PKCE, token signing, refresh tokens, cross-origin
// authentication and client authentication. Each rule names the CheckMate for Auth0 check it corresponds to.
import type { Hit, Rule } from '../types.js';
import { isDevelopment } from '../types.js';
import { unsafeUrlReason } from './urls.js';
import { clientsOf } from './walk.js';

const urlFields = [
  {
    id: 'clients.callbacks',
    field: 'callbacks',
    title: 'Allowed callback URLs are exact https URLs',
    checkmate: 'checkAllowedCallbacks',
    docs: 'https://auth0.com/docs/get-started/applications/wildcards-for-subdomains',
  },
  {
    id: 'clients.logout-urls',
    field: 'allowed_logout_urls',
    title: 'Allowed logout URLs are exact https URLs',
    checkmate: 'checkAllowedLogoutUrl',
    docs: 'https://auth0.com/docs/authenticate/login/logout/redirect-users-after-logout',
  },
  {
    id: 'clients.web-origins',
    field: 'web_origins',
    title: 'Allowed web origins are exact https origins',
    checkmate: 'checkWebOrigins',
    docs: 'https://auth0.com/docs/get-started/applications/application-settings',
  },
  {
    id: 'clients.allowed-origins',
    field: 'allowed_origins',
    title: 'Allowed origins (CORS) are exact https origins',
    checkmate: 'checkWebOrigins',
    docs: 'https://auth0.com/docs/get-started/applications/application-settings',
  },
] as const;

const urlRules: Rule[] = urlFields.map((spec) => ({
  id: spec.id,
  severity: 'error',
  area: 'clients',
  title: spec.title,
  why: 'A wildcard, plain-http or loopback URL lets another site or a local process receive codes and tokens meant for this application.',
  fix: `List exact https URLs in ${spec.field}; keep loopback and http URLs to the local and dev env files.`,
  docs: spec.docs,
  checkmate: spec.checkmate,
  run(input) {
    const development = isDevelopment(input.env);
    return clientsOf(input).flatMap(({ client, path, resource }) =>
      (client[spec.field] ?? []).flatMap((url, index): Hit[] => {
        const reason = unsafeUrlReason(url, development);
        return reason
          ? [
              {
                path: [...path, spec.field, index],
                resource,
                message: `${spec.field} has ${reason}: ${url}`,
              },
            ]
          : [];
      }),
    );
  },
}));

const LEGACY_GRANTS = new Set([
  'password',
  'http://auth0.com/oauth/grant-type/password-realm',
  'implicit',
]);

const grantTypes: Rule = {
  id: 'clients.grant-types',
  severity: 'error',
  area: 'clients',
  title: 'No implicit or password grant',
  why: 'The implicit grant puts tokens in the URL and the password grant hands the user’s password to the application; both bypass the hosted login and its MFA.',
  fix: 'Use authorization_code (with PKCE for public clients) and remove implicit / password from grant_types.',
  docs: 'https://auth0.com/docs/get-started/applications/application-grant-types',
  checkmate: 'checkGrantTypes',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }) =>
      (client.grant_types ?? []).flatMap((grant, index): Hit[] =>
        LEGACY_GRANTS.has(grant)
          ? [
              {
                path: [...path, 'grant_types', index],
                resource,
                message: `grant type ${grant} is enabled`,
              },
            ]
          : [],
      ),
    );
  },
};

const PUBLIC_APP_TYPES = new Set(['spa', 'native']);

const publicClients: Rule = {
  id: 'clients.public-pkce',
  severity: 'error',
  area: 'clients',
  title: 'Public clients use code + PKCE with no secret and no client-credentials grant',
  why: 'A browser or mobile app cannot keep a secret: it must be a public client (token_endpoint_auth_method none), which makes Auth0 require PKCE for its code exchange.',
  fix: 'Set token_endpoint_auth_method: none and grant_types to authorization_code (+ refresh_token).',
  docs: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow-with-pkce',
  checkmate: 'checkPKCEEnforcement',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }): Hit[] => {
      if (!PUBLIC_APP_TYPES.has(client.app_type ?? '')) return [];
      const hits: Hit[] = [];
      if (client.token_endpoint_auth_method !== 'none')
        hits.push({
          path: [
            ...path,
            client.token_endpoint_auth_method ? 'token_endpoint_auth_method' : 'app_type',
          ],
          resource,
          message: `a ${client.app_type} client authenticates with ${client.token_endpoint_auth_method ?? 'the default client secret'} instead of none`,
        });
      (client.grant_types ?? []).forEach((grant, index) => {
        if (grant === 'client_credentials')
          hits.push({
            path: [...path, 'grant_types', index],
            resource,
            message: 'a public client has the client_credentials grant',
          });
      });
      return hits;
    });
  },
};

const signingAlg: Rule = {
  id: 'clients.jwt-alg',
  severity: 'error',
  area: 'clients',
  title: 'ID tokens are signed with RS256',
  why: 'With HS256 the ID token is signed with the client secret, which every holder of the secret (and for public clients, anyone) can use to forge tokens.',
  fix: 'Set jwt_configuration.alg: RS256.',
  docs: 'https://auth0.com/docs/get-started/applications/signing-algorithms',
  checkmate: 'checkJWTSignAlg',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }): Hit[] => {
      const alg = client.jwt_configuration?.alg;
      if (alg === undefined)
        return [
          {
            path,
            resource,
            severity: 'info',
            message: 'jwt_configuration.alg is not set (the tenant default applies)',
          },
        ];
      return alg === 'RS256'
        ? []
        : [
            {
              path: [...path, 'jwt_configuration', 'alg'],
              resource,
              message: `ID tokens are signed with ${alg}`,
            },
          ];
    });
  },
};

/** 30 days: Auth0's default absolute lifetime for expiring refresh tokens. */
export const MAX_REFRESH_TOKEN_LIFETIME = 2_592_000;

const refreshTokens: Rule = {
  id: 'clients.refresh-token',
  severity: 'error',
  area: 'clients',
  title: 'Refresh tokens rotate and expire',
  why: 'A non-rotating or non-expiring refresh token stolen from a browser stays usable for good; rotation lets Auth0 detect reuse and revoke the family.',
  fix: 'Set refresh_token.rotation_type: rotating, expiration_type: expiring, token_lifetime ≤ 30 days and an idle_token_lifetime.',
  docs: 'https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation',
  checkmate: 'checkRefreshToken',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }): Hit[] => {
      if (!(client.grant_types ?? []).includes('refresh_token')) return [];
      const settings = client.refresh_token;
      const at = [...path, 'refresh_token'];
      if (!settings)
        return [
          {
            path: [...path, 'grant_types'],
            resource,
            message: 'uses refresh tokens without a refresh_token policy (rotation and expiry)',
          },
        ];
      const hits: Hit[] = [];
      if (settings.rotation_type !== 'rotating')
        hits.push({
          path: [...at, 'rotation_type'],
          resource,
          message: 'refresh tokens do not rotate',
        });
      if (settings.expiration_type !== 'expiring' || settings.infinite_token_lifetime)
        hits.push({
          path: [...at, 'expiration_type'],
          resource,
          message: 'refresh tokens never expire',
        });
      if ((settings.token_lifetime ?? 0) > MAX_REFRESH_TOKEN_LIFETIME)
        hits.push({
          path: [...at, 'token_lifetime'],
          resource,
          severity: 'warning',
          message: `refresh token lifetime ${settings.token_lifetime} s exceeds 30 days`,
        });
      if (settings.idle_token_lifetime === undefined || settings.infinite_idle_token_lifetime)
        hits.push({
          path: at,
          resource,
          severity: 'warning',
          message: 'refresh tokens have no idle lifetime',
        });
      return hits;
    });
  },
};

const crossOrigin: Rule = {
  id: 'clients.cross-origin-auth',
  severity: 'warning',
  area: 'clients',
  title: 'No cross-origin authentication',
  why: 'Cross-origin authentication collects passwords on the application’s own page (embedded login), outside the hosted login and its protections.',
  fix: 'Remove cross_origin_authentication (or set it to false) and use the hosted login.',
  docs: 'https://auth0.com/docs/authenticate/login/cross-origin-authentication',
  checkmate: 'checkCrossOriginAuthentication',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }): Hit[] =>
      client.cross_origin_authentication
        ? [
            {
              path: [...path, 'cross_origin_authentication'],
              resource,
              message: 'cross-origin authentication is on',
            },
          ]
        : [],
    );
  },
};

const privateKeyJwt: Rule = {
  id: 'clients.private-key-jwt',
  severity: 'warning',
  area: 'clients',
  title: 'Confidential clients authenticate with private_key_jwt',
  why: 'A shared client secret travels with every token request and can leak from logs or config; with private_key_jwt only a public key is registered at Auth0.',
  fix: 'Register a public key credential and set the client to private_key_jwt (Auth0: Configure Private Key JWT).',
  docs: 'https://auth0.com/docs/get-started/applications/configure-private-key-jwt',
  checkmate: 'checkPrivateKeyJWT',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }): Hit[] =>
      !PUBLIC_APP_TYPES.has(client.app_type ?? '') &&
      client.token_endpoint_auth_method !== undefined &&
      client.token_endpoint_auth_method !== 'none'
        ? [
            {
              path: [...path, 'token_endpoint_auth_method'],
              resource,
              message: `authenticates with a shared secret (${client.token_endpoint_auth_method})`,
            },
          ]
        : [],
    );
  },
};

const loginUri: Rule = {
  id: 'clients.login-uri',
  severity: 'warning',
  area: 'clients',
  title: 'The application login URI is https',
  why: 'Auth0 redirects users to initiate_login_uri to start a login; over http it can be intercepted or spoofed.',
  fix: 'Use an https initiate_login_uri, or remove it.',
  docs: 'https://auth0.com/docs/authenticate/login/auth0-universal-login/configure-default-login-routes',
  checkmate: 'checkApplicationLoginUri',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }): Hit[] => {
      const uri = client.initiate_login_uri;
      return uri && !uri.startsWith('https://')
        ? [
            {
              path: [...path, 'initiate_login_uri'],
              resource,
              message: `initiate_login_uri is not https: ${uri}`,
            },
          ]
        : [];
    });
  },
};

const oidcConformant: Rule = {
  id: 'clients.oidc-conformant',
  severity: 'warning',
  area: 'clients',
  title: 'Applications are OIDC conformant',
  why: 'Non-conformant applications keep legacy flows and token shapes that bypass the scopes and audience checks the banking API relies on.',
  fix: 'Set oidc_conformant: true.',
  docs: 'https://auth0.com/docs/get-started/applications/application-settings',
  run(input) {
    return clientsOf(input).flatMap(({ client, path, resource }): Hit[] =>
      client.oidc_conformant === false
        ? [{ path: [...path, 'oidc_conformant'], resource, message: 'oidc_conformant is false' }]
        : [],
    );
  },
};

export const clientRules: Rule[] = [
  ...urlRules,
  grantTypes,
  publicClients,
  signingAlg,
  refreshTokens,
  crossOrigin,
  privateKeyJwt,
  loginUri,
  oidcConformant,
];
