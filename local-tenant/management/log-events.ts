// Tenant logs of Management API writes, as Auth0 records them: `sapi` ("Success API Operation", only emitted on
// POST, PUT, PATCH and DELETE) and `fapi` (failed). A deploy reads them (GET /api/v2/logs?from=…) to learn whether
// anything changed since its last verified run, so every write that changes state must leave an entry.
import type { FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import type { LogEventRecord } from '../state/types.js';

/** Newest entries kept. Auth0 keeps logs by time (1–30 days by plan); a count bound keeps the state file small. */
export const logRetention = 10_000;

const logIdWidth = 56;

/**
 * Auth0's log_ids are 56-digit decimal strings that sort in the order the logs are served by checkpoint
 * (e.g. 90020211201185132572079310688835925971249535794074878050). Ours: "900" + a zero-padded sequence, so string
 * order, numeric order and recording order agree. UNCONFIRMED: Auth0's internal layout (ours carries no date).
 */
export function logIdOf(sequence: number): string {
  return `900${String(sequence).padStart(logIdWidth - 3, '0')}`;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Called once a Management API request was answered. Only authenticated calls are logged: Auth0 attributes sapi/fapi
 * to a client, and a request refused before authentication (401, 429) names none. UNCONFIRMED: whether Auth0 logs
 * those as fapi anyway.
 */
export function recordManagementWrite(
  tenant: TenantContext,
  request: FastifyRequest,
  statusCode: number,
): void {
  const caller = request.managementCaller;
  if (!caller || !writeMethods.has(request.method)) return;
  const [path = request.url, search = ''] = request.url.split('?');
  const succeeded = statusCode < 400;
  const clientName =
    tenant.store.snapshot.clients.find((client) => client.client_id === caller.clientId)?.name ??
    '';
  const userAgent = request.headers['user-agent'];
  tenant.store.appendLog(
    (sequence): LogEventRecord => ({
      log_id: logIdOf(sequence),
      date: new Date().toISOString(),
      type: succeeded ? 'sapi' : 'fapi',
      // UNCONFIRMED: Auth0 puts an operation-specific text here (e.g. "Update a client"); we use the event name.
      description: succeeded ? 'Success API Operation' : 'Failed API Operation',
      client_id: caller.clientId,
      client_name: clientName,
      ip: request.ip,
      ...(userAgent ? { user_agent: userAgent } : {}),
      details: {
        // Bodies are never recorded (they may carry client secrets or passwords); Auth0 redacts them too.
        request: {
          method: request.method.toLowerCase(),
          path,
          query: Object.fromEntries(new URLSearchParams(search)),
          channel: 'https://manage.auth0.com/',
          auth: { strategy: 'jwt', credentials: { scopes: [...caller.scopes] } },
        },
        response: { statusCode },
      },
    }),
    logRetention,
  );
}
