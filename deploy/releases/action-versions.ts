// Actions go back to a release's version through Auth0's versions API — no upload, no build: POST
// /api/v2/actions/actions/{id}/versions/{versionId}/deploy makes a new deployed version identical to the earlier one
// (https://auth0.com/docs/api/management/v2/actions/post-deploy-draft-version); `update_draft` copies it into the
// draft too, so the draft the planner compares is the release's code again.
import type { Management } from 'auth0';
import { stringList } from '../../lib/guards.js';
import type { Operation } from '../plan/plan.js';
import { splitMarker, sha256 } from '../resources/action-marker.js';
import { collectPages } from '../resources/pages.js';
import type { AnyResourceModule, ResourceContext } from '../resources/types.js';

/** The version of Action `actionId` with this number, or undefined when Auth0 no longer keeps it (50 per Action). */
export async function findVersion(
  context: Pick<ResourceContext, 'mgmt'>,
  actionId: string,
  number: number,
): Promise<Management.ActionVersion | undefined> {
  const versions = await collectPages(
    context.mgmt.actions.versions.list(actionId, { per_page: 50 }),
  );
  return versions.find((version) => version.number === number);
}

/** Deploys an earlier version again (and makes it the draft); returns the number of the new, identical version. */
export async function redeployVersion(
  context: Pick<ResourceContext, 'mgmt'>,
  actionId: string,
  versionId: string,
): Promise<number | undefined> {
  const deployed = await context.mgmt.actions.versions.deploy(actionId, versionId, {
    update_draft: true,
  });
  return deployed.number;
}

/** The fields of the planner's Action body (deploy/resources/actions.ts) on which a version differs from it. */
export function versionDifferences(
  version: Management.ActionVersion,
  desired: Record<string, unknown>,
): string[] {
  const { marker, code } = splitMarker(version.code ?? '');
  const fromVersion: Record<string, unknown> = {
    code: `sha256:${sha256(code)}`,
    secret_values: marker?.secrets,
    runtime: version.runtime,
    secret_names: (version.secrets ?? []).flatMap((secret) => secret.name ?? []).sort(),
    dependencies: (version.dependencies ?? []).flatMap(({ name, version: v }) =>
      name && v ? [{ name, version: v }] : [],
    ),
  };
  return Object.keys(fromVersion).filter((field) => {
    const wanted =
      field === 'secret_names' && Array.isArray(desired[field])
        ? stringList(desired[field]).sort()
        : desired[field];
    return JSON.stringify(fromVersion[field]) !== JSON.stringify(wanted);
  });
}

/**
 * The same planned change, carried out by redeploying `versionId` instead of uploading and building the bundle.
 * The change (what the plan shows) is untouched; only how the applier does it differs.
 */
export function throughVersion(
  operation: Extract<Operation, { kind: 'update' }>,
  versionId: string,
  onDeployed: (number: number | undefined) => void,
): Operation {
  const module: AnyResourceModule = {
    ...operation.module,
    update: async (context, live) => {
      context.progress(`  ${live.key}: redeploying its recorded version through the versions API`);
      onDeployed(await redeployVersion(context, live.id, versionId));
    },
  };
  return { ...operation, module };
}
