// Tenant settings: one object, PATCHed with only the fields that differ.
import type { ManagementClient } from 'auth0';
import { pick } from './pages.js';
import type { ResourceModule } from './types.js';

type SettingsUpdate = Parameters<ManagementClient['tenants']['settings']['update']>[0];

export const tenantSettings: ResourceModule = {
  type: 'tenant',
  dependsOn: [],
  isManaged: (state) => state.sections.tenant !== undefined,

  desired(state) {
    const settings = state.sections.tenant;
    return settings ? [{ key: 'settings', body: { ...settings } }] : [];
  },

  async read({ mgmt, desired }) {
    const settings = desired.sections.tenant;
    if (!settings) return [];
    const live = await mgmt.tenants.settings.get();
    return [
      { key: 'settings', id: 'settings', body: pick(live, Object.keys(settings)), owned: false },
    ];
  },

  async update({ mgmt }, _live, changed) {
    await mgmt.tenants.settings.update(changed as SettingsUpdate);
  },
};
