// Iterates a section of the tenant with each item's tenant.yaml path and a readable resource name.
import type { CheckInput } from '../types.js';

type Sections = CheckInput['sections'];
type Located = { path: (string | number)[]; resource: string };

function entries<T>(
  items: readonly T[] | undefined,
  section: string,
  label: (item: T) => string,
): (Located & { item: T })[] {
  return (items ?? []).map((item, index) => ({
    item,
    path: [section, index],
    resource: label(item),
  }));
}

type Item<K extends keyof Sections> =
  NonNullable<Sections[K]> extends readonly (infer E)[] ? E : never;

export const clientsOf = (input: CheckInput) =>
  entries<Item<'clients'>>(input.sections.clients, 'clients', (c) => `client "${c.name}"`).map(
    ({ item, ...located }) => ({ client: item, ...located }),
  );

export const resourceServersOf = (input: CheckInput) =>
  entries<Item<'resourceServers'>>(
    input.sections.resourceServers,
    'resourceServers',
    (a) => `API "${a.identifier}"`,
  ).map(({ item, ...located }) => ({ api: item, ...located }));

export const grantsOf = (input: CheckInput) =>
  entries<Item<'clientGrants'>>(
    input.sections.clientGrants,
    'clientGrants',
    (g) => `grant "${g.client_id}" → ${g.audience}`,
  ).map(({ item, ...located }) => ({ grant: item, ...located }));

export const actionsOf = (input: CheckInput) =>
  entries<Item<'actions'>>(input.sections.actions, 'actions', (a) => `action "${a.name}"`).map(
    ({ item, ...located }) => ({ action: item, ...located }),
  );

export const databasesOf = (input: CheckInput) =>
  entries<Item<'databases'>>(
    input.sections.databases,
    'databases',
    (d) => `database "${d.name}"`,
  ).map(({ item, ...located }) => ({ database: item, ...located }));
