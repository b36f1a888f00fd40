// Iterates a section of the tenant with each item's tenant.yaml path and a readable resource name.
import type { CheckInput } from '../types.js';

type Sections = CheckInput['sections'];
type Entry<T> = { path: (string | number)[]; resource: string } & T;

function entries<T, K extends string>(
  items: readonly T[] | undefined,
  section: string,
  key: K,
  label: (item: T) => string,
): Entry<Record<K, T>>[] {
  return (items ?? []).map(
    (item, index) =>
      ({ [key]: item, path: [section, index], resource: label(item) }) as Entry<Record<K, T>>,
  );
}

type Item<K extends keyof Sections> =
  NonNullable<Sections[K]> extends readonly (infer E)[] ? E : never;

export const clientsOf = (input: CheckInput) =>
  entries<Item<'clients'>, 'client'>(
    input.sections.clients,
    'clients',
    'client',
    (c) => `client "${c.name}"`,
  );

export const resourceServersOf = (input: CheckInput) =>
  entries<Item<'resourceServers'>, 'api'>(
    input.sections.resourceServers,
    'resourceServers',
    'api',
    (a) => `API "${a.identifier}"`,
  );

export const grantsOf = (input: CheckInput) =>
  entries<Item<'clientGrants'>, 'grant'>(
    input.sections.clientGrants,
    'clientGrants',
    'grant',
    (g) => `grant "${g.client_id}" → ${g.audience}`,
  );

export const actionsOf = (input: CheckInput) =>
  entries<Item<'actions'>, 'action'>(
    input.sections.actions,
    'actions',
    'action',
    (a) => `action "${a.name}"`,
  );

export const databasesOf = (input: CheckInput) =>
  entries<Item<'databases'>, 'database'>(
    input.sections.databases,
    'databases',
    'database',
    (d) => `database "${d.name}"`,
  );
