// The Actions triggers this repository builds for: the trigger id Auth0 binds to, its current version and the
// name of the exported handler Auth0 calls. The bundler, the test kit and the local tenant's runtime read this one
// table; supporting another trigger starts with one row here.
// Handler names: https://auth0.com/docs/customize/actions/explore-triggers

export const ACTION_TRIGGERS = {
  'post-login': { version: 'v3', handler: 'onExecutePostLogin' },
  'credentials-exchange': { version: 'v2', handler: 'onExecuteCredentialsExchange' },
  'pre-user-registration': { version: 'v2', handler: 'onExecutePreUserRegistration' },
  'post-user-registration': { version: 'v2', handler: 'onExecutePostUserRegistration' },
  'post-change-password': { version: 'v2', handler: 'onExecutePostChangePassword' },
  'send-phone-message': { version: 'v2', handler: 'onExecuteSendPhoneMessage' },
} as const satisfies Record<string, { version: string; handler: `onExecute${string}` }>;

export type ActionTriggerId = keyof typeof ACTION_TRIGGERS;

/** True for a trigger this repository builds for (a key of ACTION_TRIGGERS). */
export function isActionTriggerId(id: string): id is ActionTriggerId {
  return Object.hasOwn(ACTION_TRIGGERS, id);
}

const triggerIds = Object.keys(ACTION_TRIGGERS).filter(isActionTriggerId);

/** Every handler name Auth0 calls, for messages. */
export const ACTION_HANDLER_NAMES: readonly string[] = triggerIds.map(
  (trigger) => ACTION_TRIGGERS[trigger].handler,
);

/** The triggers whose handler a module exports (an Action serves exactly one). */
export function triggersExportedBy(exportNames: readonly string[]): ActionTriggerId[] {
  return triggerIds.filter((trigger) => exportNames.includes(ACTION_TRIGGERS[trigger].handler));
}
