// /api/v2/guardian factors and MFA policies (docs/auth0-facts.md §9).
import { z } from 'zod';
import { notFound } from '../errors.js';
import type { TenantContext } from '../context.js';
import { guardianFactorNames } from '../state/defaults.js';
import { parseBody } from './validation.js';
import type { ManagementRoute } from './routes.js';
import { isOneOf } from '../../lib/guards.js';

const factorSchema = z.strictObject({ enabled: z.boolean() });
const policiesSchema = z.array(z.enum(['all-applications', 'confidence-score']));

export function registerGuardianRoutes(route: ManagementRoute, tenant: TenantContext): void {
  const { store } = tenant;

  route('GET', '/guardian/factors', 'read:guardian_factors', () =>
    guardianFactorNames.map((name) => ({
      name,
      ...(store.snapshot.guardian.factors[name] ?? { enabled: false, trial_expired: false }),
    })),
  );

  route('PUT', '/guardian/factors/:name', 'update:guardian_factors', ({ params, body }) => {
    const name = params.name ?? '';
    if (!isOneOf(guardianFactorNames, name))
      throw notFound(`Factor not found: ${name}`, 'inexistent_factor');
    const { enabled } = parseBody(factorSchema, body);
    store.mutate((state) => {
      state.guardian.factors[name] = {
        enabled,
        trial_expired: state.guardian.factors[name]?.trial_expired ?? false,
      };
    });
    return { enabled };
  });

  route('GET', '/guardian/policies', 'read:mfa_policies', () => store.snapshot.guardian.policies);

  route('PUT', '/guardian/policies', 'update:mfa_policies', ({ body }) => {
    const policies = parseBody(policiesSchema, body);
    store.mutate((state) => {
      state.guardian.policies = [...new Set(policies)];
    });
    return store.snapshot.guardian.policies;
  });
}
