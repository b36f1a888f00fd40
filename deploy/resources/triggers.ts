// Trigger bindings, in order, for the triggers tenant.yaml lists (others are left alone). The PATCH replaces the
// whole list, so the desired list is sent as a whole; an unchanged list is never sent.
import { Management } from 'auth0';
import type { TriggersConfig } from '../config/schema.js';
import { collectPages, enumValue } from './pages.js';
import type { ResourceModule } from './types.js';

type BindingsState = { bindings: NonNullable<TriggersConfig[keyof TriggersConfig]> };
type LiveBindings = {
  bindings: { action_name: string | undefined; display_name: string | undefined }[];
};
/** The bindings of one trigger the config lists. */
interface TriggerBindings {
  trigger: Management.ActionTriggerTypeEnum;
  bindings: Management.ActionBinding[];
}

export const triggers: ResourceModule<BindingsState, LiveBindings, TriggerBindings> = {
  type: 'triggers',
  // Bindings name Actions: they must exist first.
  dependsOn: ['actions'],
  isManaged: (state) => state.sections.triggers !== undefined,

  desired(state) {
    return Object.entries(state.sections.triggers ?? {}).map(([trigger, bindings = []]) => ({
      key: trigger,
      body: {
        bindings: bindings.map(({ action_name, display_name }) => ({ action_name, display_name })),
      },
    }));
  },

  async list({ mgmt, desired }) {
    const listed: TriggerBindings[] = [];
    for (const trigger of Object.values(Management.ActionTriggerTypeEnum)) {
      if (!desired.sections.triggers?.[trigger]) continue;
      const bindings = await collectPages(
        mgmt.actions.triggers.bindings.list(trigger, { per_page: 50 }),
      );
      listed.push({ trigger, bindings });
    }
    return listed;
  },

  flatten({ trigger, bindings }) {
    return {
      key: trigger,
      id: trigger,
      body: {
        bindings: bindings.map((binding) => ({
          action_name: binding.action?.name,
          display_name: binding.display_name,
        })),
      },
      owned: false,
    };
  },

  async update({ mgmt }, live, _changed, item) {
    const trigger = enumValue(Management.ActionTriggerTypeEnum, live.id);
    if (!trigger) throw new Error(`${live.id} is not an Actions trigger Auth0 knows`);
    await mgmt.actions.triggers.bindings.updateMany(trigger, {
      bindings: item.body.bindings.map((binding) => ({
        ref: { type: 'action_name', value: binding.action_name },
        display_name: binding.display_name,
      })),
    });
  },
};
