// Cross-references inside the desired state: names must point at something this file defines.
import type { ConfigProblem } from './errors.js';
import type { EnvFile, ManagedSections } from './schema.js';
import { parseClientIdsReference } from './client-id-references.js';

export function checkReferences(
  sections: ManagedSections,
  deploy: EnvFile['deploy'],
  tenantFile: string,
  envFile: string,
  locate: (path: PropertyKey[]) => number | undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (path: PropertyKey[], message: string, file = tenantFile): void => {
    problems.push({
      file,
      line: file === tenantFile ? locate(path) : undefined,
      path: path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, ''),
      message,
    });
  };
  const clientNames = new Set((sections.clients ?? []).map((client) => client.name));
  const apis = new Map(
    (sections.resourceServers ?? []).map((api) => [
      api.identifier,
      new Set((api.scopes ?? []).map((scope) => scope.value)),
    ]),
  );
  const actionNames = new Set((sections.actions ?? []).map((action) => action.name));
  const databaseNames = new Set((sections.databases ?? []).map((db) => db.name));

  duplicates((sections.clients ?? []).map((c) => c.name)).forEach((name) =>
    at(['clients'], `client name "${name}" is used twice (clients are matched by name)`),
  );
  duplicates((sections.resourceServers ?? []).map((r) => r.identifier)).forEach((id) =>
    at(['resourceServers'], `API identifier "${id}" is used twice`),
  );
  duplicates((sections.actions ?? []).map((a) => a.name)).forEach((name) =>
    at(['actions'], `action name "${name}" is used twice`),
  );

  sections.clientGrants?.forEach((grant, index) => {
    if (!clientNames.has(grant.client_id))
      at(
        ['clientGrants', index, 'client_id'],
        `grant to unknown client "${grant.client_id}" (not defined in clients)`,
      );
    const scopes = apis.get(grant.audience);
    // The Management API and other APIs not defined here have scopes we cannot check offline.
    grant.scope.forEach((scope, scopeIndex) => {
      if (scopes && !scopes.has(scope))
        at(
          ['clientGrants', index, 'scope', scopeIndex],
          `scope "${scope}" is not defined on API ${grant.audience}`,
        );
    });
  });
  const grantKeys = (sections.clientGrants ?? []).map(
    (g) => `${g.client_id} -> ${g.audience} (${g.subject_type ?? 'client'})`,
  );
  duplicates(grantKeys).forEach((key) => at(['clientGrants'], `grant ${key} is defined twice`));

  sections.actions?.forEach((action, index) => {
    action.secrets.forEach((secret, secretIndex) => {
      for (const name of parseClientIdsReference(secret.value) ?? []) {
        if (!clientNames.has(name))
          at(
            ['actions', index, 'secrets', secretIndex, 'value'],
            `{{clientIds: …}} names unknown client "${name}"`,
          );
      }
    });
  });
  for (const [trigger, bindings] of Object.entries(sections.triggers ?? {})) {
    bindings.forEach((binding, index) => {
      if (!actionNames.has(binding.action_name))
        at(
          ['triggers', trigger, index, 'action_name'],
          `binding to unknown action "${binding.action_name}"`,
        );
      else {
        const action = sections.actions?.find((a) => a.name === binding.action_name);
        if (action && !action.supported_triggers.some((t) => t.id === trigger))
          at(
            ['triggers', trigger, index, 'action_name'],
            `action "${binding.action_name}" does not support trigger ${trigger}`,
          );
      }
    });
  }
  sections.databases?.forEach((db, index) => {
    db.enabled_clients.forEach((name, clientIndex) => {
      if (!clientNames.has(name))
        at(['databases', index, 'enabled_clients', clientIndex], `unknown client "${name}"`);
    });
  });
  deploy.users.forEach((user, index) => {
    if (
      !databaseNames.has(user.connection) &&
      user.connection !== 'Username-Password-Authentication'
    ) {
      at(
        ['deploy', 'users', index, 'connection'],
        `user ${user.email}: connection "${user.connection}" is not a database defined in tenant.yaml`,
        envFile,
      );
    }
  });
  return problems;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return [
    ...new Set(values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)))),
  ];
}
