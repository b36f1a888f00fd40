// MFA factors and the tenant MFA policy: they always exist on a tenant, so there is nothing to create or delete.
import { Management } from 'auth0';
import type { GuardianFactorConfig, GuardianPoliciesConfig } from '../config/schema.js';
import { enumValue } from './pages.js';
import type { ResourceModule } from './types.js';

type FactorState = Pick<GuardianFactorConfig, 'enabled'>;

/** A factor: only `enabled` is managed. */
export const guardianFactors: ResourceModule<FactorState, FactorState, Management.GuardianFactor> =
  {
    type: 'guardianFactors',
    dependsOn: [],
    isManaged: (state) => state.sections.guardianFactors !== undefined,

    desired(state) {
      return (state.sections.guardianFactors ?? []).map((factor) => ({
        key: factor.name,
        body: { enabled: factor.enabled },
      }));
    },

    list({ mgmt }) {
      return mgmt.guardian.factors.list();
    },

    flatten(factor) {
      if (!factor.name) return undefined;
      return { key: factor.name, id: factor.name, body: { enabled: factor.enabled }, owned: false };
    },

    async update({ mgmt }, live, _changed, item) {
      const name = enumValue(Management.GuardianFactorNameEnum, live.id);
      if (!name) throw new Error(`MFA factor ${live.id} is not a factor Auth0 knows`);
      await mgmt.guardian.factors.set(name, { enabled: item.body.enabled });
    },
  };

/**
 * The tenant MFA policy: [] = "Never" — the Actions decide when MFA is needed
 * (https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa).
 */
export const guardianPolicies: ResourceModule<
  GuardianPoliciesConfig,
  { policies: Management.MfaPolicyEnum[] },
  Management.MfaPolicyEnum[]
> = {
  type: 'guardianPolicies',
  dependsOn: [],
  setFields: ['policies'],
  isManaged: (state) => state.sections.guardianPolicies !== undefined,

  desired(state) {
    const policies = state.sections.guardianPolicies;
    return policies ? [{ key: 'mfa-policy', body: { policies: policies.policies } }] : [];
  },

  async list({ mgmt }) {
    return [await mgmt.guardian.policies.list()];
  },

  flatten(policies) {
    return { key: 'mfa-policy', id: 'mfa-policy', body: { policies }, owned: false };
  },

  async update({ mgmt }, _live, _changed, item) {
    await mgmt.guardian.policies.set(item.body.policies);
  },
};
