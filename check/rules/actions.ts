// Actions: runtime, hard-coded secrets, pinned dependencies, and bindings to deployed Actions.
import type { Hit, Rule } from '../types.js';
import { actionsOf } from './walk.js';

/** The runtime Auth0 recommends; older ones are deprecated or end of life. */
export const CURRENT_RUNTIME = 'node22';
const END_OF_LIFE = new Set(['node12', 'node16']);

const runtime: Rule = {
  id: 'actions.runtime',
  severity: 'warning',
  area: 'actions',
  title: `Actions run on ${CURRENT_RUNTIME}`,
  why: 'Deprecated runtimes stop receiving security fixes and are eventually forced onto the new one by Auth0.',
  fix: `Set runtime: ${CURRENT_RUNTIME}.`,
  docs: 'https://auth0.com/docs/troubleshoot/product-lifecycle/deprecations-and-migrations/migrate-nodejs-22',
  checkmate: 'checkActionsRuntime',
  run(input) {
    return actionsOf(input).flatMap(({ action, path, resource }): Hit[] =>
      action.runtime === CURRENT_RUNTIME
        ? []
        : [
            {
              path: [...path, 'runtime'],
              resource,
              severity: END_OF_LIFE.has(action.runtime) ? 'error' : 'warning',
              message: `runs on ${action.runtime}`,
            },
          ],
    );
  },
};

const SECRET_NAME = /secret|password|passwd|token|api[_-]?key|private/i;
/** Values computed at deploy time or by reference are not hard-coded. */
const REFERENCE = /^\{\{.+\}\}$/;
const SECRET_IN_CODE = [
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  {
    pattern: /\b(client_secret|api[_-]?key|password)\b\s*[:=]\s*['"`][^'"`\s]{8,}['"`]/i,
    what: 'a credential assigned to a literal',
  },
  { pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, what: 'a JWT' },
] as const;

const hardCodedSecrets: Rule = {
  id: 'actions.hard-coded-secrets',
  severity: 'error',
  area: 'actions',
  title: 'No secrets in Action code or in tenant.yaml',
  why: 'Code and tenant.yaml live in git and in every clone; a secret there is a secret shared with everyone who can read the repository.',
  fix: 'Read secrets from event.secrets and give their values as keywords from the environment (CI secrets), not literals.',
  docs: 'https://auth0.com/docs/customize/actions/write-your-first-action#add-a-secret',
  checkmate: 'checkActionsHardCodedValues',
  run(input) {
    return actionsOf(input).flatMap(({ action, path, resource }): Hit[] => {
      const hits: Hit[] = action.secrets.flatMap((secret, index): Hit[] => {
        const at = [...path, 'secrets', index, 'value'];
        // Fine: a reference, a value this source cannot see, or a keyword the environment (CI) supplies.
        const keyword = input.locate(at).keyword;
        if (
          !SECRET_NAME.test(secret.name) ||
          secret.value === '' ||
          REFERENCE.test(secret.value) ||
          input.isUnknown(secret.value) ||
          (keyword && !keyword.inEnvFile)
        )
          return [];
        return [
          {
            path: at,
            resource,
            message: `secret ${secret.name} has a literal value in the configuration`,
          },
        ];
      });
      const code = input.actionCode.get(action.name);
      for (const { pattern, what } of SECRET_IN_CODE)
        if (code && pattern.test(code))
          hits.push({ path: [...path, 'code'], resource, message: `the bundle contains ${what}` });
      return hits;
    });
  },
};

const pinnedDependencies: Rule = {
  id: 'actions.dependencies',
  severity: 'warning',
  area: 'actions',
  title: 'Action dependencies are pinned to exact versions',
  why: 'A range or "latest" lets a new release of a package — or a hijacked one — run in the login flow without review.',
  fix: 'Pin each dependency to an exact version (e.g. 1.2.3).',
  docs: 'https://auth0.com/docs/customize/actions/manage-dependencies',
  checkmate: 'checkDependencies',
  run(input) {
    return actionsOf(input).flatMap(({ action, path, resource }) =>
      action.dependencies.flatMap((dependency, index): Hit[] =>
        /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(dependency.version)
          ? []
          : [
              {
                path: [...path, 'dependencies', index, 'version'],
                resource,
                message: `${dependency.name}@${dependency.version} is not pinned`,
              },
            ],
      ),
    );
  },
};

const boundAndDeployed: Rule = {
  id: 'actions.bound-deployed',
  severity: 'error',
  area: 'actions',
  title: 'Bound Actions are deployed',
  why: 'A binding to an Action that is not deployed runs its last deployed version, or nothing: the login logic differs from the reviewed code.',
  fix: 'Set deployed: true on every Action a trigger binds, or remove the binding.',
  docs: 'https://auth0.com/docs/customize/actions/manage-versions',
  run(input) {
    const byName = new Map(actionsOf(input).map((entry) => [entry.action.name, entry]));
    return Object.entries(input.sections.triggers ?? {}).flatMap(([trigger, bindings]) =>
      bindings.flatMap((binding): Hit[] => {
        const entry = byName.get(binding.action_name);
        // A binding to an Action tenant.yaml does not define is a configuration error the loader reports.
        return entry && !entry.action.deployed
          ? [
              {
                path: [...entry.path, 'deployed'],
                resource: entry.resource,
                message: `bound to ${trigger} but not deployed`,
              },
            ]
          : [];
      }),
    );
  },
};

export const actionRules: Rule[] = [
  runtime,
  hardCodedSecrets,
  pinnedDependencies,
  boundAndDeployed,
];
