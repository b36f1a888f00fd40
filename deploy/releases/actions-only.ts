// `npm run rollback -- --actions-only`: the emergency path. Only the Actions go back to a release's versions through
// the versions API — no git, no build, no read of anything else. Recorded as a release without a desired-state hash
// (the rest of the tenant was not touched, so it is no known configuration).
import { collectPages } from '../resources/pages.js';
import { splitMarker } from '../resources/action-marker.js';
import type { ResourceContext } from '../resources/types.js';
import { writeReleaseEntries } from './deploy-release.js';
import { findVersion, redeployVersion } from './action-versions.js';
import { actionTag, type Release } from './record.js';
import { nextReleaseNumber, packReleases, readReleases } from './store.js';

type Context = Pick<ResourceContext, 'mgmt' | 'deployClientId' | 'progress'>;

export interface ActionStep {
  name: string;
  actionId: string;
  from?: number;
  to: number;
  /** Undefined: already on that version, or the version is gone (see `problem`). */
  versionId?: string;
  problem?: string;
}

/** What --actions-only would do: one step per Action the release recorded (1 read + 1 per Action to move). */
export async function planActionsOnly(context: Context, release: Release): Promise<ActionStep[]> {
  const live = await collectPages(context.mgmt.actions.list({ per_page: 100 }));
  const steps: ActionStep[] = [];
  for (const action of live) {
    if (!action.id || !action.name || splitMarker(action.code ?? '').marker === undefined) continue;
    const tag = actionTag(action.name);
    const to = release.actions.find((recorded) => recorded.tag === tag)?.version;
    if (to === undefined) continue;
    const from = action.deployed_version?.number;
    const step: ActionStep = {
      name: action.name,
      actionId: action.id,
      to,
      ...(from ? { from } : {}),
    };
    steps.push(step);
    if (from === to) continue;
    const version = await findVersion(context, action.id, to);
    if (version?.id) step.versionId = version.id;
    else step.problem = `version ${to} is gone (Auth0 keeps the newest 50)`;
  }
  return steps;
}

export function describeStep(step: ActionStep): string {
  if (step.problem)
    return `! actions "${step.name}": cannot go back to version ${step.to}: ${step.problem}`;
  if (!step.versionId) return `= actions "${step.name}": already on version ${step.to}`;
  return `~ actions "${step.name}": deployed version ${step.from ?? '(none)'} → version ${step.to} (redeployed through the versions API, no build)`;
}

/** Redeploys the planned versions and records the release (merged into the deploy client's metadata). */
export async function applyActionsOnly(
  context: Context,
  steps: readonly ActionStep[],
  release: Release,
  target: { env: string; metadata: Record<string, string> },
  log?: (line: string) => void,
): Promise<{ moved: number; recorded?: Release }> {
  const versions: Release['actions'] = [];
  let moved = 0;
  for (const step of steps) {
    let number = step.from;
    if (step.versionId) {
      context.progress(`redeploying ${step.name} version ${step.to}`);
      number = await redeployVersion(context, step.actionId, step.versionId);
      moved++;
    }
    if (number !== undefined) versions.push({ tag: actionTag(step.name), version: number });
  }
  if (moved === 0) return { moved };
  const { metadata, env } = target;
  const history = readReleases(metadata);
  const recorded: Release = {
    number: nextReleaseNumber(history),
    at: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    env,
    ...(release.commit ? { commit: release.commit } : {}),
    dirty: release.dirty,
    summary: { create: 0, update: moved, delete: 0, heldBack: 0 },
    actions: versions,
    kind: 'actions-only',
    rollbackTo: release.number,
  };
  const write = packReleases(metadata, [recorded, ...history]);
  if (!write) return { moved };
  const ok = await writeReleaseEntries(
    context,
    metadata,
    { release: recorded, entries: write.entries },
    log,
  );
  return { moved, ...(ok ? { recorded } : {}) };
}
