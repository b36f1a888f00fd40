// Tenant settings: one object, PATCHed with only the fields that differ.
import type { Management } from 'auth0';
import { tenantSettingsSchema, type TenantSettingsConfig } from '../config/schema.js';
import { pick } from './pages.js';
import type { ResourceModule } from './types.js';

/** Compared: the fields of the config schema the config sets. */
const fields = tenantSettingsSchema.keyof().options;
type LiveSettings = Partial<
  Pick<Management.GetTenantSettingsResponseContent, (typeof fields)[number]>
>;

export const tenantSettings: ResourceModule<
  TenantSettingsConfig,
  LiveSettings,
  Management.GetTenantSettingsResponseContent
> = {
  type: 'tenant',
  dependsOn: [],
  isManaged: (state) => state.sections.tenant !== undefined,

  desired(state) {
    const settings = state.sections.tenant;
    return settings ? [{ key: 'settings', body: settings }] : [];
  },

  async list({ mgmt }) {
    return [await mgmt.tenants.settings.get()];
  },

  flatten(settings) {
    return { key: 'settings', id: 'settings', body: pick(settings, fields), owned: false };
  },

  async update({ mgmt }, _live, changed) {
    await mgmt.tenants.settings.update(changed);
  },
};
