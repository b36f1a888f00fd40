// Reading the live tenant: each module lists its API objects and flattens them into the compared shape.
import { resourceModules } from '../resources/index.js';
import {
  IdRegistry,
  type LiveItem,
  type ResourceContext,
  type AnyResourceModule,
} from '../resources/types.js';

export function createContext(base: Omit<ResourceContext, 'registry' | 'live'>): ResourceContext {
  return { ...base, registry: new IdRegistry(), live: new Map() };
}

/**
 * Reads live state: every type at once (the request budget spaces the requests), except that a type waits for the
 * types whose live items its flatten consults (`readsLiveOf`).
 */
export async function readLive(
  context: ResourceContext,
  modules: readonly AnyResourceModule[],
): Promise<void> {
  const pending = new Set(modules);
  while (pending.size > 0) {
    const waitingFor = new Set([...pending].map((module) => module.type));
    const ready = [...pending].filter(
      (module) => !(module.readsLiveOf ?? []).some((type) => waitingFor.has(type)),
    );
    // Cannot happen: readsLiveOf is a part of dependsOn, which inDependencyOrder proved acyclic.
    if (ready.length === 0) throw new Error('readsLiveOf forms a cycle');
    await Promise.all(
      ready.map(async (module) => {
        const items = await readType(context, module);
        context.live.set(module.type, items);
        for (const item of items) context.registry.set(module.type, item.key, item.id);
        pending.delete(module);
      }),
    );
  }
}

async function readType(context: ResourceContext, module: AnyResourceModule): Promise<LiveItem[]> {
  const listed = await module.list(context);
  return listed.flatMap((raw) => module.flatten(raw, context) ?? []);
}

/** The modules plus every type their reads consult (grants are keyed by client name: clients are read with them). */
export function withLiveDependencies(modules: readonly AnyResourceModule[]): AnyResourceModule[] {
  const needed = new Set(modules.map((module) => module.type));
  for (let grew = true; grew;) {
    grew = false;
    for (const module of resourceModules)
      if (needed.has(module.type))
        for (const type of module.readsLiveOf ?? [])
          if (!needed.has(type)) grew = Boolean(needed.add(type));
  }
  return resourceModules.filter((module) => needed.has(module.type));
}
