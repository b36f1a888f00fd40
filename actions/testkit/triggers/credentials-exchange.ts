// Test kit of the credentials-exchange trigger: a realistic event (a partner asking for a banking API token) and
// a recording `api` that applies Auth0's rules (deny stops the token, restricted claims are dropped).
import {
  BANKING_API_IDENTIFIER,
  PARTNER_METADATA,
  STEP_UP_SECRET_NAMES,
  VIEW_BALANCE_SCOPE,
} from '../../../lib/banking-api-contract.js';
import { RESTRICTED_CLAIM_NAMES } from '../../runtime/restricted-claims.js';
import type {
  ClaimValue,
  CredentialsExchangeApi,
  CredentialsExchangeDenyCode,
  CredentialsExchangeEvent,
  OnExecuteCredentialsExchange,
} from '../../types/credentials-exchange.js';
import { createCacheRecorder, type CacheCall } from '../cache-recorder.js';
import type { LoadBundleOptions } from '../load-bundle.js';
import {
  defineTriggerKit,
  loadTriggerAction,
  mergeEvent,
  runAction,
  type EventOverrides,
} from '../trigger-kit.js';
import { TEST_TENANT } from './defaults.js';

export type { OnExecuteCredentialsExchange };

export const TEST_PARTNER_CLIENT_ID = 'prt0Acme0Payments0Client0Id000';

/** Per top-level field: a partial object shallow-merged over the default; `undefined` removes the field. */
export type CredentialsExchangeEventOverrides = EventOverrides<CredentialsExchangeEvent>;

export function defaultCredentialsExchangeEvent(): CredentialsExchangeEvent {
  return {
    accessToken: { customClaims: {}, scope: [VIEW_BALANCE_SCOPE] },
    client: {
      client_id: TEST_PARTNER_CLIENT_ID,
      name: 'Acme Payments',
      metadata: { [PARTNER_METADATA.marker]: 'true', [PARTNER_METADATA.status]: 'active' },
    },
    request: {
      ip: '198.51.100.7',
      method: 'POST',
      hostname: 'bank-dev.eu.auth0.com',
      user_agent: 'acme-payments/2.3 (+https://acme.example)',
      body: { grant_type: 'client_credentials', audience: BANKING_API_IDENTIFIER },
      geoip: { countryCode: 'DE', continentCode: 'EU', timeZone: 'Europe/Berlin' },
    },
    resource_server: { identifier: BANKING_API_IDENTIFIER },
    secrets: { [STEP_UP_SECRET_NAMES.bankingApiIdentifier]: BANKING_API_IDENTIFIER },
    tenant: { ...TEST_TENANT },
    transaction: { requested_scopes: [] },
  };
}

export function buildCredentialsExchangeEvent(
  overrides: CredentialsExchangeEventOverrides = {},
): CredentialsExchangeEvent {
  return mergeEvent(defaultCredentialsExchangeEvent(), overrides);
}

export type CredentialsExchangeCall =
  | { method: 'access.deny'; code: CredentialsExchangeDenyCode; reason: string | undefined }
  | { method: 'accessToken.setCustomClaim'; name: string; value: ClaimValue };

export interface CredentialsExchangeRecorder {
  api: CredentialsExchangeApi;
  /** The token calls (deny, claims); cache calls are in `cacheCalls`. */
  calls: CredentialsExchangeCall[];
  cacheCalls: CacheCall[];
  /** The first api.access.deny: Auth0 refuses the token with this code and reason. */
  denied: { code: CredentialsExchangeDenyCode; reason: string | undefined } | undefined;
  /** Claims the issued token would carry (restricted names dropped), and the dropped names. */
  accessToken: { claims: Record<string, ClaimValue>; droppedClaims: string[] };
}

export function createCredentialsExchangeRecorder(): CredentialsExchangeRecorder {
  const cacheCalls: CacheCall[] = [];
  const recorder: Omit<CredentialsExchangeRecorder, 'api'> = {
    calls: [],
    cacheCalls,
    denied: undefined,
    accessToken: { claims: {}, droppedClaims: [] },
  };
  const api: CredentialsExchangeApi = {
    access: {
      deny(code, reason) {
        recorder.calls.push({ method: 'access.deny', code, reason });
        recorder.denied ??= { code, reason };
      },
    },
    accessToken: {
      setCustomClaim(name, value) {
        recorder.calls.push({ method: 'accessToken.setCustomClaim', name, value });
        if (RESTRICTED_CLAIM_NAMES.has(name)) recorder.accessToken.droppedClaims.push(name);
        else recorder.accessToken.claims[name] = structuredClone(value);
      },
    },
    cache: createCacheRecorder(cacheCalls).api,
  };
  return Object.assign(recorder, { api });
}

export const credentialsExchange = defineTriggerKit<
  CredentialsExchangeEvent,
  CredentialsExchangeApi,
  CredentialsExchangeRecorder
>('credentials-exchange', {
  buildEvent: buildCredentialsExchangeEvent,
  createRecorder: createCredentialsExchangeRecorder,
});

/** Runs one credentials-exchange Action on (a copy of) the event; the outcome is what /oauth/token would do. */
export async function runCredentialsExchange(
  action: OnExecuteCredentialsExchange,
  event: CredentialsExchangeEvent,
): Promise<{ outcome: 'issued' | 'denied'; recorder: CredentialsExchangeRecorder }> {
  const recorder = await runAction(credentialsExchange, action, event);
  return { outcome: recorder.denied ? 'denied' : 'issued', recorder };
}

/** Evaluates a bundle and returns its `onExecuteCredentialsExchange`, failing clearly when it lacks one. */
export function loadCredentialsExchangeAction(
  code: string,
  options: LoadBundleOptions = {},
): OnExecuteCredentialsExchange {
  return loadTriggerAction(credentialsExchange, code, options);
}
