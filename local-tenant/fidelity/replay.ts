// Replays recorded interactions against a running local tenant. Ids the recording tenant assigned are learned
// from each recorded response next to ours (same JSON path) and substituted in every later request, so a
// sequence "create, read by id, delete" replays against the ids this tenant assigned.
import { request, type Dispatcher } from 'undici';
import type { Cassette, RecordedInteraction, ResourceName } from './cassettes.js';
import { compareAnswers, type Answer } from './compare.js';

export interface ReplayTarget {
  baseUrl: string;
  /** Management API token with every scope the tenant offers. */
  managementToken: string;
  /** Values for the placeholders go-auth0 recorded its Authentication API tests with. */
  placeholders: Record<string, string>;
  dispatcher: Dispatcher;
}

export interface InteractionOutcome {
  cassette: string;
  resource: ResourceName;
  /** The interaction's id inside its cassette. */
  index: number;
  /** e.g. "GET /api/v2/clients/{id}" as recorded. */
  request: string;
  /** undefined = answered like Auth0. */
  difference?: string;
}

const recordedHost = /^https:\/\/[^/]+/;
const idKey = /^(id|.+_id)$/;

/** Pairs string ids found at the same JSON path in Auth0's answer and ours. */
function learnIds(recorded: unknown, actual: unknown, ids: Map<string, string>, key = ''): void {
  if (typeof recorded === 'string' && typeof actual === 'string') {
    if (idKey.test(key) && recorded !== actual && recorded.length >= 6 && !ids.has(recorded))
      ids.set(recorded, actual);
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    recorded.forEach((item, index) => learnIds(item, actual[index], ids, key));
    return;
  }
  if (recorded && actual && typeof recorded === 'object' && typeof actual === 'object') {
    // Objects and arrays alike: an array's entries are keyed '0', '1', … on both sides.
    const actualChildren = new Map<string, unknown>(Object.entries(actual));
    for (const [childKey, value] of Object.entries(recorded))
      learnIds(value, actualChildren.get(childKey), ids, childKey);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function substitute(text: string, ids: Map<string, string>): string {
  let out = text;
  // Longest first, so an id that contains another is replaced whole.
  for (const [recorded, ours] of [...ids].sort(([a], [b]) => b.length - a.length)) {
    out = out.split(recorded).join(ours);
    const encoded = encodeURIComponent(recorded);
    if (encoded !== recorded) out = out.split(encoded).join(encodeURIComponent(ours));
  }
  return out;
}

function describe(interaction: RecordedInteraction): string {
  const url = new URL(interaction.request.url);
  return `${interaction.request.method} ${decodeURIComponent(url.pathname)}${url.search}`;
}

async function send(
  target: ReplayTarget,
  interaction: RecordedInteraction,
  ids: Map<string, string>,
): Promise<Answer> {
  const url = substitute(interaction.request.url.replace(recordedHost, target.baseUrl), ids);
  const headers: Record<string, string> = {};
  const contentType = interaction.request.headers?.['Content-Type']?.[0];
  if (contentType) headers['content-type'] = contentType;
  if (new URL(url).pathname.startsWith('/api/v2/'))
    headers.authorization = `Bearer ${target.managementToken}`;
  // go-auth0 sends "null" as the body of its GETs; a GET body has no meaning (and makes undici drop the
  // keep-alive connection), so it is left out.
  const method: Dispatcher.HttpMethod = interaction.request.method;
  const hasBody = interaction.request.body !== '' && method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? substitute(interaction.request.body, ids) : undefined;
  const response = await request(url, {
    method,
    headers,
    body,
    dispatcher: target.dispatcher,
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/** Replays one cassette in order; the tenant should be in its fresh state. */
export async function replayCassette(
  target: ReplayTarget,
  cassette: Cassette,
): Promise<InteractionOutcome[]> {
  const ids = new Map(Object.entries(target.placeholders));
  const outcomes: InteractionOutcome[] = [];
  for (const interaction of cassette.interactions) {
    const answer = await send(target, interaction, ids);
    const recorded = { status: interaction.response.code, body: interaction.response.body };
    learnIds(parseJson(recorded.body), parseJson(answer.body), ids);
    const difference = compareAnswers(recorded, answer);
    outcomes.push({
      cassette: cassette.name,
      resource: cassette.resource,
      index: interaction.id,
      request: describe(interaction),
      ...(difference ? { difference } : {}),
    });
  }
  return outcomes;
}
