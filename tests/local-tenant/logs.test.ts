// Tenant logs over real HTTPS with the auth0 v7 SDK: every Management API write leaves a sapi/fapi entry in Auth0's
// shape; checkpoint reading (from/take) returns what came after, oldest first; search paging, sort and fields.
import type { ManagementClient } from 'auth0';
import { describe, expect, it } from 'vitest';
import { logIdOf, logRetention } from '../../local-tenant/management/log-events.js';
import type { LogEventRecord } from '../../local-tenant/state/types.js';
import { useLocalTenant } from '../helpers/local-tenant.js';

const lt = useLocalTenant();

interface Log {
  log_id: string;
  type: string;
  date: string;
  client_id: string;
  client_name: string;
  description: string;
  ip: string;
  details: { request: { method: string; path: string }; response: { statusCode: number } };
}

/** Checkpoint reads through the SDK: from/take go as extra query parameters and Auth0 answers a bare array. */
async function since(
  management: ManagementClient,
  from: string,
  take = 100,
): Promise<{ logs: Log[]; link: string | null }> {
  const page = await management.logs.list({}, { queryParams: { from, take } });
  return { logs: page.response as unknown as Log[], link: page.rawResponse.headers.get('link') };
}

async function latestLogId(management: ManagementClient): Promise<string> {
  const page = await management.logs.list({ per_page: 1, sort: 'date:-1' });
  return (page.data[0]?.log_id as string | undefined) ?? logIdOf(0);
}

describe('tenant logs', () => {
  it('records a sapi entry for each successful write and fapi for a failed one, never for reads', async () => {
    const { management } = lt;
    const before = await latestLogId(management);
    const created = await management.clients.create({ name: 'Logged app', app_type: 'spa' });
    await management.clients.update(created.client_id as string, { description: 'changed' });
    await management.clients.list({ per_page: 5 });
    await expect(
      management.clients.update(created.client_id as string, { app_type: 'no-such-type' as never }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await management.clients.delete(created.client_id as string);

    const { logs, link } = await since(management, before);
    expect(
      logs.map(
        (log) =>
          `${log.type} ${log.details.request.method} ${log.details.request.path} ${log.details.response.statusCode}`,
      ),
    ).toEqual([
      'sapi post /api/v2/clients 201',
      `sapi patch /api/v2/clients/${created.client_id} 200`,
      `fapi patch /api/v2/clients/${created.client_id} 400`,
      `sapi delete /api/v2/clients/${created.client_id} 204`,
    ]);
    const first = logs[0] as Log;
    expect(first).toMatchObject({
      description: 'Success API Operation',
      client_id: lt.tenant.bootstrap.clientId,
      client_name: 'Local Tenant Bootstrap (Management API)',
      ip: '127.0.0.1',
    });
    expect(new Date(first.date).toISOString()).toBe(first.date);
    // Monotonic, fixed-width ids: string order is log order.
    const ids = logs.map((log) => log.log_id);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => id.length === 56 && BigInt(id) > BigInt(before))).toBe(true);
    expect(link).toContain(`from=${ids.at(-1)}`);
    // Request bodies (secrets, passwords) are never in a log entry.
    expect(JSON.stringify(logs)).not.toContain('changed');
  });

  it('take limits a checkpoint read; from an id past the end answers an empty array', async () => {
    const { management } = lt;
    const before = await latestLogId(management);
    for (const factor of ['otp', 'email', 'otp'])
      await management.guardian.factors.set(factor as 'otp', { enabled: true });
    const firstTwo = await since(management, before, 2);
    expect(firstTwo.logs).toHaveLength(2);
    const rest = await since(management, firstTwo.logs[1]?.log_id as string, 2);
    expect(rest.logs.map((log) => log.details.request.path)).toEqual([
      '/api/v2/guardian/factors/otp',
    ]);
    const latest = rest.logs[0]?.log_id as string;
    expect((await since(management, latest)).logs).toEqual([]);
    expect((await management.logs.get(latest)).log_id).toBe(latest);
  });

  it('search mode: include_totals, per_page, sort and fields', async () => {
    const { management } = lt;
    const page = await management.logs.list({
      per_page: 2,
      page: 0,
      sort: 'date:1',
      fields: 'log_id,type',
      include_fields: true,
    });
    expect(page.data).toHaveLength(2);
    expect(Object.keys(page.data[0] ?? {}).sort()).toEqual(['log_id', 'type']);
    const total = (page.response as { total: number }).total;
    expect(total).toBe(7); // the writes of the two tests above
    const newestFirst = await management.logs.list({ per_page: 100, sort: 'date:-1' });
    const ids = newestFirst.data.map((log) => log.log_id as string);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(logRetention).toBe(10_000);
  });

  it('needs read:logs; bad parameters answer 400, an unknown id 404', async () => {
    const token = await lt.token('read:clients');
    const denied = await fetch(`${lt.tenant.baseUrl}/api/v2/logs?from=1&take=10`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ errorCode: 'insufficient_scope' });
    await expect(
      lt.management.logs.list({}, { queryParams: { from: 'abc', take: 10 } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(
      lt.management.logs.list({}, { queryParams: { from: '1', take: 101 } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(lt.management.logs.list({ sort: 'date:2' })).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(lt.management.logs.get(logIdOf(999_999))).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('keeps only the newest entries past the retention bound', () => {
    const { store } = lt.tenant;
    const before = store.snapshot.log_sequence;
    const extra = logRetention + 5 - store.snapshot.logs.length;
    for (let i = 0; i < extra; i++)
      store.appendLog(
        (sequence) => ({
          ...(store.snapshot.logs[0] as LogEventRecord),
          log_id: logIdOf(sequence),
        }),
        logRetention,
      );
    expect(store.snapshot.logs).toHaveLength(logRetention);
    expect(store.snapshot.logs.at(-1)?.log_id).toBe(logIdOf(before + extra));
    expect(store.snapshot.logs[0]?.log_id).toBe(logIdOf(before + extra - logRetention + 1));
  });
});
