// Checks of the desired state that need more than its schema and references: Management API scopes in client
// grants, the Action bundle paths, and where demo users may go. Each problem names the file, line and field.
import { closestName } from '../../lib/closest-name.js';
import { existsSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ConfigProblem } from './errors.js';
import { managementApiScopes } from './management-api-scopes.js';
import type { EnvFile, ManagedSections } from './schema.js';

export interface CheckContext {
  tenantFile: string;
  envFile: string;
  env: string;
  locate: (path: PropertyKey[]) => number | undefined;
}

const formatPath = (path: PropertyKey[]): string =>
  path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');

/** An audience of the Management API: https://<tenant domain>/api/v2/. */
export function isManagementApiAudience(audience: string): boolean {
  return /^https:\/\/[^/]+\/api\/v2\/?$/.test(audience);
}

export function checkManagementApiScopes(
  sections: ManagedSections,
  context: CheckContext,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  sections.clientGrants?.forEach((grant, index) => {
    if (!isManagementApiAudience(grant.audience)) return;
    grant.scope.forEach((scope, scopeIndex) => {
      if (managementApiScopes.has(scope)) return;
      const path = ['clientGrants', index, 'scope', scopeIndex];
      const guess = closestScope(scope);
      problems.push({
        file: context.tenantFile,
        line: context.locate(path),
        path: formatPath(path),
        message:
          `"${scope}" is not a Management API scope${guess ? ` (did you mean ${guess}?)` : ''}; ` +
          'known scopes are listed in deploy/config/management-api-scopes.ts',
      });
    });
  });
  return problems;
}

function closestScope(scope: string): string | undefined {
  const [verb, resource] = scope.split(':');
  const prefix = `${verb}:`;
  const resources = [...managementApiScopes]
    .filter((known) => known.startsWith(prefix))
    .map((known) => known.slice(prefix.length));
  const match = closestName(resource ?? '', resources);
  return match === undefined ? undefined : `${prefix}${match}`;
}

/**
 * The message for an Action whose `code` file is missing: which path it resolved to and, since bundles are built
 * from actions/src/<name>.ts, whether a build would make it (a path typo would not).
 */
export function missingActionCodeMessage(
  code: string,
  resolvedPath: string,
  displayPath: string,
  sourcesDir = resolve('actions/src'),
): string {
  const name = basename(resolvedPath).replace(/\.js$/, '');
  const sources = existsSync(sourcesDir)
    ? readdirSync(sourcesDir)
        .filter((file) => file.endsWith('.ts'))
        .map((file) => file.replace(/\.ts$/, ''))
    : [];
  const base = `${displayPath} does not exist (tenant.yaml refers to it as "${code}")`;
  if (sources.includes(name))
    return `${base}: build the Actions first (npm run build bundles actions/src/${name}.ts there)`;
  return (
    `${base}, and no actions/src/${name}.ts would build it — a typo in the path?` +
    (sources.length > 0 ? ` Buildable: ${sources.map((source) => `${source}.js`).join(', ')}` : '')
  );
}

/** Demo users carry a password from the values file: only the offline local tenant gets them. */
export function checkDemoUsers(deploy: EnvFile['deploy'], context: CheckContext): ConfigProblem[] {
  if (context.env === 'local' || deploy.users.length === 0) return [];
  return [
    {
      file: context.envFile,
      path: 'deploy.users',
      message:
        `demo users are deployed only to the local tenant (--env local), not to "${context.env}"; ` +
        'remove deploy.users from this file',
    },
  ];
}
