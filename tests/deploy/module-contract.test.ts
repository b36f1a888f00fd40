// The resource module contract drives the planner: the apply order comes from each module's `dependsOn`, a cycle
// is an error when the modules load, and a refused field is data the verification sets aside.
import { describe, expect, it } from 'vitest';
import { withoutRefused } from '../../deploy/plan/apply.js';
import type { PlannedChange } from '../../deploy/plan/plan.js';
import { resourceModules } from '../../deploy/resources/index.js';
import { inDependencyOrder, ResourceOrderError } from '../../deploy/resources/order.js';
import type { ResourceType } from '../../deploy/resources/types.js';

const node = (type: string, dependsOn: string[] = [], readsLiveOf?: string[]) => ({
  type: type as ResourceType,
  dependsOn: dependsOn as ResourceType[],
  ...(readsLiveOf ? { readsLiveOf: readsLiveOf as ResourceType[] } : {}),
});

describe('apply order', () => {
  it('puts every type after the types it depends on, whatever order they are listed in', () => {
    const order = inDependencyOrder([
      node('triggers', ['actions']),
      node('actions', ['clients']),
      node('clientGrants', ['clients', 'resourceServers']),
      node('clients'),
      node('resourceServers'),
    ]).map((module) => module.type);
    expect(order).toEqual(['clients', 'actions', 'triggers', 'resourceServers', 'clientGrants']);
  });

  it('orders the real modules so that every dependency comes first', () => {
    const order = resourceModules.map((module) => module.type);
    expect(order).toEqual([
      'resourceServers',
      'clients',
      'clientGrants',
      'databases',
      'users',
      'actions',
      'triggers',
      'guardianFactors',
      'guardianPolicies',
      'tenant',
    ]);
    for (const module of resourceModules)
      for (const dependency of module.dependsOn)
        expect(order.indexOf(dependency)).toBeLessThan(order.indexOf(module.type));
  });

  it('refuses a cycle, naming it', () => {
    expect(() =>
      inDependencyOrder([
        node('clients', ['actions']),
        node('actions', ['triggers']),
        node('triggers', ['actions']),
      ]),
    ).toThrow(
      new ResourceOrderError(
        'resource types depend on each other in a cycle: actions → triggers → actions',
      ),
    );
  });

  it('refuses a dependency without a module and a live read the order does not guarantee', () => {
    expect(() => inDependencyOrder([node('clientGrants', ['clients'])])).toThrow(
      'resource type clientGrants depends on clients, which has no module',
    );
    expect(() =>
      inDependencyOrder([node('clients'), node('clientGrants', [], ['clients'])]),
    ).toThrow(
      'resource type clientGrants reads the live clients but does not declare it in dependsOn',
    );
  });
});

describe('refusals', () => {
  const change = (type: ResourceType, key: string, paths: string[]): PlannedChange => ({
    type,
    key,
    action: 'update',
    id: 'id',
    fields: paths.map((path) => ({ path, before: 1, after: 2 })),
  });
  const refusal = {
    type: 'resourceServers' as const,
    key: 'https://api',
    fields: ['verificationKey'],
    message: 'refused',
  };

  it('sets aside only a difference made entirely of the refused fields of that very resource', () => {
    const onlyRefused = change('resourceServers', 'https://api', ['verificationKey']);
    const more = change('resourceServers', 'https://api', ['verificationKey', 'name']);
    const otherApi = change('resourceServers', 'https://other', ['verificationKey']);
    const otherType = change('clients', 'https://api', ['verificationKey']);
    expect(withoutRefused([onlyRefused, more, otherApi, otherType], [refusal])).toEqual([
      more,
      otherApi,
      otherType,
    ]);
    expect(withoutRefused([onlyRefused], [])).toEqual([onlyRefused]);
  });
});
