// The step-up Actions must see the banking API exactly as tenant.yaml defines it. Their BANKING_API_IDENTIFIER
// secret is compared with the token audience character for character, so a mismatch (a trailing slash is enough)
// makes the Actions treat every banking token as another API's and leave transfer:funds on it unchallenged —
// hence a config error before any request. Both Actions must also be bound, challenge first: the evidence Action
// alone would accept an MFA from an earlier login that is still inside the freshness window.
import {
  STEP_UP_ACTION_ORDER,
  STEP_UP_SECRET_NAMES,
  TRANSFER_FUNDS_SCOPE,
} from '../../lib/banking-api-contract.js';
import type { ConfigProblem } from './errors.js';
import type { ManagedSections } from './schema.js';
import { formatPath } from './yaml-locate.js';

export function checkBankingApiContract(
  sections: ManagedSections,
  tenantFile: string,
  locate: (path: PropertyKey[]) => number | undefined,
  /** Values the reader cannot know (a live tenant's write-only Action secrets): nothing to compare. */
  isUnknown: (value: string) => boolean = () => false,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (path: PropertyKey[], message: string): void => {
    problems.push({ file: tenantFile, line: locate(path), path: formatPath(path), message });
  };
  const apis = new Map(
    (sections.resourceServers ?? []).map((api) => [
      api.identifier,
      (api.scopes ?? []).map((scope) => scope.value),
    ]),
  );
  const known = [...apis.keys()].join(', ') || 'none';

  sections.actions?.forEach((action, actionIndex) => {
    action.secrets.forEach((secret, secretIndex) => {
      if (secret.name !== STEP_UP_SECRET_NAMES.bankingApiIdentifier || isUnknown(secret.value))
        return;
      const path = ['actions', actionIndex, 'secrets', secretIndex, 'value'];
      const scopes = apis.get(secret.value);
      if (!scopes)
        at(
          path,
          `${secret.name} "${secret.value}" is not the identifier of an API in resourceServers (${known}); ` +
            'the Actions compare it exactly with the token audience',
        );
      else if (!scopes.includes(TRANSFER_FUNDS_SCOPE))
        at(
          path,
          `API ${secret.value} does not define the scope ${TRANSFER_FUNDS_SCOPE} the Action guards`,
        );
    });
  });

  const bound = (sections.triggers?.['post-login'] ?? []).map((binding) => binding.action_name);
  const positions = STEP_UP_ACTION_ORDER.map((name) => bound.indexOf(name));
  const anyBound = positions.some((position) => position !== -1);
  const inOrder = positions.every(
    (position, index) => position !== -1 && (index === 0 || position > positions[index - 1]!),
  );
  if (anyBound && !inOrder)
    at(
      ['triggers', 'post-login'],
      `bind ${STEP_UP_ACTION_ORDER.join(' then ')}, in this order (found: ${bound.join(', ')})`,
    );
  return problems;
}
