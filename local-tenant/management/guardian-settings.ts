// Per-factor MFA settings documents under /api/v2/guardian/factors/… (providers, templates, message types,
// WebAuthn and Duo settings). Each is stored as given and merged over its defaults; secrets are write-only where
// the recordings show Auth0 leaving them out (go-auth0 TestGuardian/MultiFactor/*). The local tenant sends no
// SMS, push or voice messages: these settings are kept so tools can read back what they wrote.
import { z } from 'zod';
import { badRequest } from '../errors.js';
import type { TenantContext } from '../context.js';
import type { JsonObject } from '../state/types.js';
import { parseBody } from './validation.js';
import type { ManagementRoute } from './routes.js';

interface SettingsDocument {
  /** A fresh tenant's values (UNCONFIRMED: the recordings start from a used tenant; keys are as recorded). */
  defaults: JsonObject;
  /** Accepted on PUT, never returned by GET. */
  writeOnly?: string[];
  /** Left out of the PUT answer too (apns: the p12 bundle). */
  hiddenInPutAnswer?: string[];
  /** Computed on GET (apns: enabled once configured). */
  computed?: (stored: JsonObject) => JsonObject;
  /** The PUT answer is `{}` (fcm, fcmv1). */
  emptyPutAnswer?: boolean;
}

const documents: Record<string, SettingsDocument> = {
  'duo/settings': { defaults: { ikey: '', skey: '', host: '' } },
  'phone/message-types': { defaults: { message_types: [] } },
  'phone/selected-provider': { defaults: { provider: 'auth0' } },
  'sms/selected-provider': { defaults: { provider: 'auth0' } },
  'sms/templates': {
    defaults: {
      enrollment_message:
        '{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.',
      verification_message: '{{code}} is your verification code for {{tenant.friendly_name}}',
    },
  },
  'sms/providers/twilio': {
    defaults: { auth_token: null, sid: null, from: null, messaging_service_sid: null },
  },
  'push-notification/selected-provider': { defaults: { provider: 'guardian' } },
  'push-notification/providers/sns': {
    defaults: {
      aws_access_key_id: null,
      aws_region: null,
      sns_apns_platform_application_arn: null,
      sns_gcm_platform_application_arn: null,
    },
    writeOnly: ['aws_secret_access_key'],
  },
  'push-notification/providers/apns': {
    defaults: { bundle_id: null, sandbox: false },
    writeOnly: ['p12'],
    hiddenInPutAnswer: ['p12'],
    computed: (stored) => ({ enabled: typeof stored.bundle_id === 'string' }),
  },
  'push-notification/providers/fcm': {
    defaults: {},
    writeOnly: ['server_key'],
    emptyPutAnswer: true,
  },
  'push-notification/providers/fcmv1': {
    defaults: {},
    writeOnly: ['server_credentials'],
    emptyPutAnswer: true,
  },
  'webauthn-platform/settings': { defaults: { overrideRelyingParty: false } },
  'webauthn-roaming/settings': {
    defaults: { userVerification: 'preferred', overrideRelyingParty: false },
  },
};

const without = (document: JsonObject, keys: string[] = []): JsonObject =>
  Object.fromEntries(Object.entries(document).filter(([key]) => !keys.includes(key)));

export function registerGuardianSettingsRoutes(
  route: ManagementRoute,
  tenant: TenantContext,
): void {
  const { store } = tenant;
  const stored = (path: string): JsonObject => ({
    ...documents[path]?.defaults,
    ...store.snapshot.guardian.settings?.[path],
  });

  for (const [path, document] of Object.entries(documents)) {
    const allowed = [...Object.keys(document.defaults), ...(document.writeOnly ?? [])];
    const schema = z.record(z.string(), z.json()).superRefine((body, context) => {
      const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
      if (unknown.length > 0)
        context.addIssue({ code: 'unrecognized_keys', keys: unknown, input: body });
    });

    route('GET', `/guardian/factors/${path}`, 'read:guardian_factors', () => {
      const current = stored(path);
      return { ...without(current, document.writeOnly), ...document.computed?.(current) };
    });

    route('PUT', `/guardian/factors/${path}`, 'update:guardian_factors', ({ body }) => {
      const input = parseBody(schema, body);
      if (Object.keys(input).length === 0 && Object.keys(document.defaults).length > 0)
        throw badRequest("Payload validation error: 'Expected at least one property'.");
      store.mutate((state) => {
        state.guardian.settings = {
          ...state.guardian.settings,
          [path]: { ...stored(path), ...input },
        };
      });
      return document.emptyPutAnswer ? {} : without(input, document.hiddenInPutAnswer);
    });
  }
}
