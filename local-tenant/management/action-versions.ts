// Immutable, numbered Action versions created by deploy, and the JSON shapes Auth0 returns for them.
import { newIds } from '../ids.js';
import type { ActionRecord, ActionVersionRecord, TenantState } from '../state/types.js';

/** Creates version N+1 from the draft and makes it the deployed one. */
export function deployActionDraft(state: TenantState, action: ActionRecord): ActionVersionRecord {
  const now = new Date().toISOString();
  const version = appendVersion(state, action, {
    code: action.code,
    runtime: action.runtime,
    dependencies: action.dependencies,
    secrets: action.secrets,
    supported_triggers: action.supported_triggers,
    built_at: action.built_at ?? now,
  });
  action.all_changes_deployed = true;
  return version;
}

/**
 * Rolling back to an earlier version makes a new, deployed version N+1 identical to it, without a build: Auth0
 * documents "Creates a new, deployed action version that is identical to the specified version", and a real tenant
 * answered a rollback to version 1 with version 2 (go-auth0 recording TestActionManager_DeployVersion).
 */
export function redeployActionVersion(
  state: TenantState,
  action: ActionRecord,
  earlier: ActionVersionRecord,
): ActionVersionRecord {
  return appendVersion(state, action, earlier);
}

function appendVersion(
  state: TenantState,
  action: ActionRecord,
  source: Pick<
    ActionVersionRecord,
    'code' | 'runtime' | 'dependencies' | 'secrets' | 'supported_triggers' | 'built_at'
  >,
): ActionVersionRecord {
  const now = new Date().toISOString();
  const number =
    state.action_versions
      .filter((version) => version.action_id === action.id)
      .reduce((max, v) => Math.max(max, v.number), 0) + 1;
  const version: ActionVersionRecord = {
    id: newIds.uuid(),
    action_id: action.id,
    number,
    code: source.code,
    runtime: source.runtime,
    dependencies: structuredClone(source.dependencies),
    secrets: structuredClone(source.secrets),
    supported_triggers: structuredClone(source.supported_triggers),
    status: 'built',
    created_at: now,
    updated_at: now,
    built_at: source.built_at,
  };
  state.action_versions.push(version);
  action.deployed_version_id = version.id;
  return version;
}

export function actionSummary(action: ActionRecord): Record<string, unknown> {
  return {
    id: action.id,
    name: action.name,
    supported_triggers: action.supported_triggers,
    created_at: action.created_at,
    updated_at: action.updated_at,
    all_changes_deployed: action.all_changes_deployed,
  };
}

export function versionResponse(
  version: ActionVersionRecord,
  action: ActionRecord | undefined,
  includeAction = true,
): Record<string, unknown> {
  return {
    id: version.id,
    number: version.number,
    code: version.code,
    runtime: version.runtime,
    dependencies: version.dependencies,
    // Secret values are write-only (docs/auth0-facts.md §2).
    secrets: version.secrets.map(({ name, updated_at }) => ({ name, updated_at })),
    supported_triggers: version.supported_triggers,
    status: version.status,
    deployed: action?.deployed_version_id === version.id,
    created_at: version.created_at,
    updated_at: version.updated_at,
    ...(includeAction && action ? { action: actionSummary(action) } : {}),
  };
}

/** The latest version in the short form Auth0 nests as `current_version` (recorded CreateWithDeploy). */
function currentVersionSummary(version: ActionVersionRecord): Record<string, unknown> {
  return {
    id: version.id,
    code: version.code,
    runtime: version.runtime,
    status: version.status.toUpperCase(),
    number: version.number,
    build_time: version.built_at,
    created_at: version.created_at,
    updated_at: version.updated_at,
  };
}

/** No `built_at` on the action (not in any recorded action); versions appear once one exists. */
export function actionResponse(
  action: ActionRecord,
  state: Readonly<TenantState>,
): Record<string, unknown> {
  const versions = state.action_versions.filter((version) => version.action_id === action.id);
  const deployed = versions.find((version) => version.id === action.deployed_version_id);
  const latest = versions.reduce<ActionVersionRecord | undefined>(
    (newest, version) => (!newest || version.number > newest.number ? version : newest),
    undefined,
  );
  return {
    ...actionSummary(action),
    code: action.code,
    dependencies: action.dependencies,
    runtime: action.runtime,
    status: action.status,
    secrets: action.secrets.map(({ name, updated_at }) => ({ name, updated_at })),
    ...(action.modules.length > 0 ? { modules: action.modules } : {}),
    ...(latest ? { current_version: currentVersionSummary(latest) } : {}),
    ...(deployed ? { deployed_version: versionResponse(deployed, action, false) } : {}),
  };
}
