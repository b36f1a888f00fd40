// Trigger bindings, in order, for the triggers tenant.yaml lists (others are left alone). The PATCH replaces the
// whole list, so the desired list is sent as a whole; an unchanged list is never sent.
import { collectPages } from './pages.js';
import type { LiveItem, ResourceContext, ResourceModule } from './types.js';

type TriggerId = Parameters<ResourceContext['mgmt']['actions']['triggers']['bindings']['list']>[0];

export const triggers: ResourceModule = {
  type: 'triggers',
  dependsOn: ['actions'],
  isManaged: (state) => state.sections.triggers !== undefined,

  desired(state) {
    return Object.entries(state.sections.triggers ?? {}).map(([trigger, bindings]) => ({
      key: trigger,
      body: {
        bindings: bindings.map((binding) => ({
          action_name: binding.action_name,
          display_name: binding.display_name,
        })),
      },
    }));
  },

  async read({ mgmt, desired }) {
    const listed = Object.keys(desired.sections.triggers ?? {});
    const items: LiveItem[] = [];
    for (const trigger of listed) {
      const bindings = await collectPages(
        mgmt.actions.triggers.bindings.list(trigger as TriggerId, { per_page: 50 }),
      );
      items.push({
        key: trigger,
        id: trigger,
        body: {
          bindings: bindings.map((binding) => ({
            action_name: binding.action?.name,
            display_name: binding.display_name,
          })),
        },
        owned: false,
      });
    }
    return items;
  },

  async update({ mgmt }, live, _changed, item) {
    const bindings = item.body.bindings as { action_name: string; display_name: string }[];
    await mgmt.actions.triggers.bindings.updateMany(live.id as TriggerId, {
      bindings: bindings.map((binding) => ({
        ref: { type: 'action_name', value: binding.action_name },
        display_name: binding.display_name,
      })),
    });
  },
};
