// `npm run releases`: the history on the deploy client, and which release the tenant matches now. The tenant matches
// a release when the checkpoint of the last verified deploy still holds (no tenant log entry since changes state) and
// carries that release's desired-state hash; a state-changing entry since means "drifted".
import type { Management } from 'auth0';
import { checkCheckpoint, parseCheckpoint, checkpointMetadataKey } from '../plan/checkpoint.js';
import { collectPages } from '../resources/pages.js';
import type { ResourceContext } from '../resources/types.js';
import { actionTag, sameState, type Release } from './record.js';
import { readReleases } from './store.js';

export type CurrentState =
  | { kind: 'matches'; release?: Release; verifiedAt: string }
  | { kind: 'drifted' | 'unknown'; reason: string };

export interface History {
  releases: Release[];
  current: CurrentState;
  /** Action names by tag (from the live tenant), to print names instead of tags. */
  names: Map<string, string>;
  /** Deployed version number by Action name, as the tenant has them now. */
  deployed: Map<string, number>;
  metadata: Record<string, string>;
}

/** The deploy client's metadata as strings (client_metadata values are strings in Auth0). */
export async function readDeployClientMetadata(
  context: Pick<ResourceContext, 'mgmt' | 'deployClientId'>,
): Promise<Record<string, string>> {
  const client = await context.mgmt.clients.get(context.deployClientId, {
    fields: 'client_id,client_metadata',
    include_fields: true,
  });
  return Object.fromEntries(
    Object.entries(client.client_metadata ?? {}).flatMap(([key, value]) =>
      typeof value === 'string' ? [[key, value]] : [],
    ),
  );
}

/** 4 requests: the deploy client, again with the checkpoint check, the logs since it, the Actions. */
export async function readHistory(
  context: Pick<ResourceContext, 'mgmt' | 'deployClientId'>,
): Promise<History> {
  const metadata = await readDeployClientMetadata(context);
  const releases = readReleases(metadata);
  const checkpoint = parseCheckpoint(metadata[checkpointMetadataKey]);
  let current: CurrentState;
  if (!checkpoint)
    current = { kind: 'unknown', reason: 'no checkpoint of a verified deploy on the tenant' };
  else {
    const { check } = await checkCheckpoint(context, checkpoint.hash, { refresh: false });
    if (check.usable)
      current = {
        kind: 'matches',
        verifiedAt: checkpoint.verifiedAt,
        ...releaseWith(releases, checkpoint.hash),
      };
    else
      current = {
        kind: /log entr/.test(check.reason) ? 'drifted' : 'unknown',
        reason: check.reason,
      };
  }
  const actions: Management.Action[] = await collectPages(
    context.mgmt.actions.list({ per_page: 100 }),
  );
  const names = new Map<string, string>();
  const deployed = new Map<string, number>();
  for (const action of actions) {
    if (!action.name) continue;
    names.set(actionTag(action.name), action.name);
    const number = action.deployed_version?.number;
    if (typeof number === 'number') deployed.set(action.name, number);
  }
  return { releases, current, names, deployed, metadata };
}

function releaseWith(releases: readonly Release[], hash: string): { release?: Release } {
  const release = releases.find((candidate) => sameState(candidate, hash));
  return release ? { release } : {};
}
