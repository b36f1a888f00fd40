// Rules only this repository can know: the tenant exists to let a banking SPA move money after step-up MFA.
import { isOneOf } from '../../lib/guards.js';
// They check the wiring that the step-up design in actions/README.md depends on.
import type { Hit, Rule } from '../types.js';
import { actionsOf, clientsOf, grantsOf, resourceServersOf } from './walk.js';

export const STEP_UP = {
  transferScope: 'transfer:funds',
  /** Bound to post-login in this order: the first challenges, the second records the evidence. */
  actions: ['step-up-challenge', 'step-up-evidence'],
  clientListSecret: 'STEP_UP_CLIENT_IDS',
  apiIdentifierSecret: 'BANKING_API_IDENTIFIER',
  /** Guardian factors the step-up Actions can challenge (never email: it is also the password-reset channel). */
  factors: ['otp', 'push-notification', 'webauthn-roaming', 'webauthn-platform', 'sms'],
} as const;

const docs = 'https://auth0.com/docs/secure/multi-factor-authentication/step-up-authentication';

function stepUpRule(
  meta: Omit<Rule, 'run' | 'area' | 'docs'> & { docs?: string },
  run: Rule['run'],
): Rule {
  return { docs, ...meta, area: 'step-up', run };
}

/** The banking API: the API that defines the transfer scope. */
function bankingApis(input: Parameters<Rule['run']>[0]) {
  return resourceServersOf(input).filter(({ api }) =>
    (api.scopes ?? []).some((scope) => scope.value === STEP_UP.transferScope),
  );
}

const actionsPresent = stepUpRule(
  {
    id: 'step-up.actions-bound',
    severity: 'error',
    title: 'Both step-up Actions exist, are deployed and bound to post-login in order',
    why: 'Without the challenge Action a login gets transfer:funds without MFA; in the wrong order the evidence Action cannot see the MFA it needs.',
    fix: `Define ${STEP_UP.actions.join(' and ')} (deployed: true) and bind them to post-login in that order.`,
  },
  (input) => {
    if (bankingApis(input).length === 0) return [];
    const hits: Hit[] = [];
    const defined = new Map(actionsOf(input).map((entry) => [entry.action.name, entry]));
    const bound = (input.sections.triggers?.['post-login'] ?? []).map(
      (binding) => binding.action_name,
    );
    for (const name of STEP_UP.actions) {
      const entry = defined.get(name);
      if (!entry)
        hits.push({ path: ['actions'], resource: `action "${name}"`, message: 'is not defined' });
      else if (!entry.action.deployed)
        hits.push({
          path: [...entry.path, 'deployed'],
          resource: entry.resource,
          message: 'is not deployed',
        });
      if (!bound.includes(name))
        hits.push({
          path: ['triggers', 'post-login'],
          resource: `action "${name}"`,
          message: 'is not bound to post-login',
        });
    }
    const [first, second] = STEP_UP.actions.map((name) => bound.indexOf(name));
    if (first! >= 0 && second! >= 0 && first! > second!)
      hits.push({
        path: ['triggers', 'post-login', second!],
        resource: 'post-login binding',
        message: `${STEP_UP.actions[1]} runs before ${STEP_UP.actions[0]}`,
      });
    return hits;
  },
);

function secretOf(action: { secrets: { name: string; value: string }[] }, name: string) {
  const index = action.secrets.findIndex((secret) => secret.name === name);
  return index < 0 ? undefined : { index, value: action.secrets[index]!.value };
}

const clientList = stepUpRule(
  {
    id: 'step-up.client-list',
    severity: 'error',
    title: 'The step-up Actions list every single-page app',
    why: 'The Actions remove transfer:funds for clients they do not list; an unlisted SPA can never step up, and a hand-copied client id breaks on the next tenant.',
    fix: `Set ${STEP_UP.clientListSecret} to '{{clientIds: <SPA name>, …}}' naming every spa client.`,
  },
  (input) => {
    const spas = clientsOf(input).filter(({ client }) => client.app_type === 'spa');
    return actionsOf(input)
      .filter(({ action }) => isOneOf(STEP_UP.actions, action.name))
      .flatMap(({ action, path, resource }): Hit[] => {
        const secret = secretOf(action, STEP_UP.clientListSecret);
        if (!secret)
          return [
            {
              path: [...path, 'secrets'],
              resource,
              message: `has no ${STEP_UP.clientListSecret} secret`,
            },
          ];
        if (input.isUnknown(secret.value)) return [];
        const listed =
          /^\{\{clientIds:(.*)\}\}$/
            .exec(secret.value)?.[1]
            ?.split(',')
            .map((name) => name.trim()) ?? [];
        return spas
          .filter(({ client }) => !listed.includes(client.name))
          .map(({ client }) => ({
            path: [...path, 'secrets', secret.index, 'value'],
            resource,
            message: `${STEP_UP.clientListSecret} does not name the SPA "${client.name}"`,
          }));
      });
  },
);

const apiIdentifier = stepUpRule(
  {
    id: 'step-up.api-identifier',
    severity: 'error',
    title: 'The step-up Actions guard the banking API’s real identifier',
    why: 'If the identifier the Actions compare against differs from the API’s (a trailing slash is enough), they neither challenge nor remove transfer:funds.',
    fix: `Set ${STEP_UP.apiIdentifierSecret} to the identifier of the API that defines ${STEP_UP.transferScope}.`,
  },
  (input) => {
    const identifiers = bankingApis(input).map(({ api }) => api.identifier);
    if (identifiers.length === 0) return [];
    return actionsOf(input)
      .filter(({ action }) => isOneOf(STEP_UP.actions, action.name))
      .flatMap(({ action, path, resource }): Hit[] => {
        const secret = secretOf(action, STEP_UP.apiIdentifierSecret);
        // An Action that derives the identifier some other way has nothing to compare here.
        if (!secret || identifiers.includes(secret.value) || input.isUnknown(secret.value))
          return [];
        return [
          {
            path: [...path, 'secrets', secret.index, 'value'],
            resource,
            message: `${STEP_UP.apiIdentifierSecret} is "${secret.value}", the banking API is "${identifiers.join('", "')}"`,
          },
        ];
      });
  },
);

const factorEnabled = stepUpRule(
  {
    id: 'step-up.factor-enabled',
    severity: 'error',
    title: 'A factor the step-up Actions can challenge is enabled',
    why: 'With none of OTP, push, WebAuthn or SMS enabled, every step-up fails and no one can move money.',
    fix: 'Enable otp (or push-notification / webauthn) in guardianFactors.',
    docs: 'https://auth0.com/docs/secure/multi-factor-authentication/multi-factor-authentication-factors',
  },
  (input) => {
    if (bankingApis(input).length === 0 || input.sections.guardianFactors === undefined) return [];
    const enabled = input.sections.guardianFactors.filter(
      (factor) => factor.enabled && isOneOf(STEP_UP.factors, factor.name),
    );
    return enabled.length > 0
      ? []
      : [
          {
            path: ['guardianFactors'],
            resource: 'MFA factors',
            message: `none of ${STEP_UP.factors.join(', ')} is enabled`,
          },
        ];
  },
);

const noMachineTransfers = stepUpRule(
  {
    id: 'step-up.no-m2m-transfer',
    severity: 'error',
    title: 'No machine-to-machine client may hold transfer:funds',
    why: 'A client-credentials token never passes MFA: a grant with transfer:funds lets a partner or a leaked secret move money with no user present.',
    fix: `Remove ${STEP_UP.transferScope} from the client grant.`,
  },
  (input) => {
    const audiences = new Set(bankingApis(input).map(({ api }) => api.identifier));
    return grantsOf(input).flatMap(({ grant, path, resource }): Hit[] => {
      if (!audiences.has(grant.audience) || grant.subject_type === 'user') return [];
      const index = grant.scope.indexOf(STEP_UP.transferScope);
      return index < 0
        ? []
        : [
            {
              path: [...path, 'scope', index],
              resource,
              message: `grants ${STEP_UP.transferScope} to a client`,
            },
          ];
    });
  },
);

export const stepUpRules: Rule[] = [
  actionsPresent,
  clientList,
  apiIdentifier,
  factorEnabled,
  noMachineTransfers,
];
