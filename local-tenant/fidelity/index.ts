// Measures how closely the local tenant answers like real Auth0: replays recorded Auth0 interactions (go-auth0's
// cassettes) against a fresh in-process tenant, one cassette at a time from the same fresh state.
import { Agent, request } from 'undici';
import { startLocalTenant, type LocalTenant } from '../index.js';
import type { TenantState } from '../state/types.js';
import { loadCassettes, type Cassette } from './cassettes.js';
import { replayCassette, type InteractionOutcome, type ReplayTarget } from './replay.js';
import { isRecord } from '../../lib/guards.js';

export { loadCassettes, resourceNames, coreResources, type Cassette } from './cassettes.js';
export { loadKnownDifferences, type KnownDifference } from './known-differences.js';
export { fidelityRows, fidelityProblems, formatFidelityTable, type FidelityRow } from './report.js';
export type { InteractionOutcome } from './replay.js';

export interface FidelityRunOptions {
  /** Folder of go-vcr cassettes (searched recursively). */
  recordingsDir: string;
  /** CA directory for the in-process tenant (tests pass their shared test CA). */
  caDir: string;
  /** Replay only cassettes whose name contains this text. */
  filter?: string;
}

async function managementToken(tenant: LocalTenant, dispatcher: Agent): Promise<string> {
  const response = await request(`${tenant.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: tenant.bootstrap.clientId,
      client_secret: tenant.bootstrap.clientSecret,
      audience: tenant.context.managementAudience,
    }),
    dispatcher,
  });
  const body: unknown = await response.body.json();
  if (!isRecord(body) || typeof body.access_token !== 'string' || !body.access_token)
    throw new Error(`bootstrap token request failed: ${response.statusCode}`);
  return body.access_token;
}

function resetTo(tenant: LocalTenant, fresh: TenantState): void {
  tenant.context.actionBuilds.close();
  tenant.store.mutate((state) => {
    Object.assign(state, structuredClone(fresh));
  });
}

export async function replayAll(
  tenant: LocalTenant,
  cassettes: Cassette[],
  dispatcher: Agent,
): Promise<InteractionOutcome[]> {
  const fresh = structuredClone(tenant.store.snapshot);
  const target: ReplayTarget = {
    baseUrl: tenant.baseUrl,
    managementToken: await managementToken(tenant, dispatcher),
    dispatcher,
    // go-auth0 recorded its Authentication API tests with these stand-ins for real credentials.
    placeholders: {
      'test-client_id': tenant.bootstrap.clientId,
      'test-other-clientid': tenant.bootstrap.clientId,
      'test-client_secret': tenant.bootstrap.clientSecret,
      'test-audience': tenant.context.managementAudience,
    },
  };
  const outcomes: InteractionOutcome[] = [];
  for (const cassette of cassettes) {
    resetTo(tenant, fresh);
    outcomes.push(...(await replayCassette(target, cassette)));
  }
  resetTo(tenant, fresh);
  return outcomes;
}

/** Starts a throwaway tenant (random port, in memory, instant Action builds), replays, closes it. */
export async function runFidelity(options: FidelityRunOptions): Promise<InteractionOutcome[]> {
  const cassettes = loadCassettes(options.recordingsDir).filter(
    (cassette) => !options.filter || cassette.name.includes(options.filter),
  );
  if (cassettes.length === 0)
    throw new Error(`No cassettes of a known resource under ${options.recordingsDir}`);
  const tenant = await startLocalTenant({
    port: 0,
    persist: false,
    caDir: options.caDir,
    // Builds finish between two requests: the recordings poll until built, a replay does not wait.
    actionBuildTimings: { pendingMs: 0, buildingMs: 0 },
  });
  const dispatcher = new Agent({ connect: { ca: tenant.caCertPem } });
  try {
    return await replayAll(tenant, cassettes, dispatcher);
  } finally {
    await dispatcher.close();
    await tenant.close();
  }
}
