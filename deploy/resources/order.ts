// The apply order, computed from what each module declares it depends on: a type comes after every type in its
// `dependsOn` (Kahn's topological sort; ties keep the order the modules are listed in). Deletes run in reverse.
import type { AnyResourceModule, ResourceType } from './types.js';

export class ResourceOrderError extends Error {
  override name = 'ResourceOrderError';
}

export function inDependencyOrder<
  M extends Pick<AnyResourceModule, 'type' | 'dependsOn' | 'readsLiveOf'>,
>(modules: readonly M[]): M[] {
  const known = new Set<ResourceType>(modules.map((module) => module.type));
  for (const module of modules)
    for (const dependency of module.dependsOn)
      if (!known.has(dependency))
        throw new ResourceOrderError(
          `resource type ${module.type} depends on ${dependency}, which has no module`,
        );
  for (const module of modules)
    for (const type of module.readsLiveOf ?? [])
      if (!module.dependsOn.includes(type))
        throw new ResourceOrderError(
          `resource type ${module.type} reads the live ${type} but does not declare it in dependsOn`,
        );
  const ordered: M[] = [];
  const placed = new Set<ResourceType>();
  const pending = [...modules];
  while (pending.length > 0) {
    const index = pending.findIndex((module) =>
      module.dependsOn.every((dependency) => placed.has(dependency)),
    );
    if (index < 0)
      throw new ResourceOrderError(
        `resource types depend on each other in a cycle: ${describeCycle(pending)}`,
      );
    const [next] = pending.splice(index, 1);
    if (!next) break;
    ordered.push(next);
    placed.add(next.type);
  }
  return ordered;
}

/** One cycle among the modules that could not be placed, e.g. "a → b → a". */
function describeCycle(stuck: readonly Pick<AnyResourceModule, 'type' | 'dependsOn'>[]): string {
  const byType = new Map(stuck.map((module) => [module.type, module]));
  const path: ResourceType[] = [];
  let current = stuck[0];
  while (current && !path.includes(current.type)) {
    path.push(current.type);
    current = current.dependsOn.map((type) => byType.get(type)).find((module) => module);
  }
  const start = current ? path.indexOf(current.type) : 0;
  return [...path.slice(start), path[start]].join(' → ');
}
