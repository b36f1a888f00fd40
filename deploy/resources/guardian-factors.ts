// MFA factors: every factor always exists on a tenant, so there is nothing to create or delete — only `enabled`.
import type { LiveItem, ResourceContext, ResourceModule } from './types.js';

type FactorName = Parameters<ResourceContext['mgmt']['guardian']['factors']['set']>[0];

export const guardianFactors: ResourceModule = {
  type: 'guardianFactors',
  dependsOn: [],
  isManaged: (state) => state.sections.guardianFactors !== undefined,

  desired(state) {
    return (state.sections.guardianFactors ?? []).map((factor) => ({
      key: factor.name,
      body: { enabled: factor.enabled },
    }));
  },

  async read({ mgmt }) {
    const factors = await mgmt.guardian.factors.list();
    return factors
      .filter((factor) => factor.name)
      .map((factor): LiveItem => ({
        key: factor.name as string,
        id: factor.name as string,
        body: { enabled: factor.enabled },
        owned: false,
      }));
  },

  async update({ mgmt }, live, _changed, item) {
    await mgmt.guardian.factors.set(live.id as FactorName, {
      enabled: item.body.enabled as boolean,
    });
  },
};

/**
 * The tenant MFA policy: [] = "Never" — the Actions decide when MFA is needed
 * (https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa).
 */
export const guardianPolicies: ResourceModule = {
  type: 'guardianPolicies',
  dependsOn: [],
  isManaged: (state) => state.sections.guardianPolicies !== undefined,
  setFields: ['policies'],

  desired(state) {
    const policies = state.sections.guardianPolicies;
    return policies ? [{ key: 'mfa-policy', body: { policies: policies.policies } }] : [];
  },

  async read({ mgmt, desired }) {
    if (!desired.sections.guardianPolicies) return [];
    const policies = await mgmt.guardian.policies.list();
    return [{ key: 'mfa-policy', id: 'mfa-policy', body: { policies }, owned: false }];
  },

  async update({ mgmt }, _live, _changed, item) {
    await mgmt.guardian.policies.set(
      item.body.policies as Parameters<ResourceContext['mgmt']['guardian']['policies']['set']>[0],
    );
  },
};
