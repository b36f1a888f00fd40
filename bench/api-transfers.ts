// bench:api's POST /transfer rows: the same fresh step-up tokens (each used once per server) sent to an API with
// the in-memory ledger and to one with the Redis ledger (Lua transfer + Redis replay store), alternating rounds
// of a fixed number of transfers; each ledger keeps its best round.
import type { ChildProcess } from 'node:child_process';
import autocannon, { type AutocannonRequest } from 'autocannon';
import type { Row } from './api-table.js';

export interface TransferBenchOptions {
  tokens: string[];
  perRound: number;
  rounds: number;
  connections: number;
  startServer(
    mode: string,
    env?: Record<string, string>,
  ): Promise<{ child: ChildProcess; url: string }>;
  /** Without it the Redis row is skipped. */
  redisUrl?: string;
}

function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message: { cpu: NodeJS.CpuUsage }) =>
      resolve(message.cpu.user + message.cpu.system),
    );
    child.send('cpu');
  });
}

async function transferRound(
  server: { child: ChildProcess; url: string },
  tokens: string[],
  connections: number,
  scenario: string,
): Promise<Row> {
  let next = 0;
  const cpuBefore = await serverCpu(server.child);
  const started = performance.now();
  const result = await autocannon({
    url: server.url,
    connections,
    amount: tokens.length,
    requests: [
      {
        method: 'POST',
        path: '/transfer',
        body: JSON.stringify({ from: 'checking', to: 'savings', amount: 100 }),
        setupRequest: (request: AutocannonRequest) => ({
          ...request,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[next++ % tokens.length]}`,
          },
        }),
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuMicros = (await serverCpu(server.child)) - cpuBefore;
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    scenario,
    requestsPerSecond: result.requests.total / seconds,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: cpuMicros / Math.max(result.requests.total, 1),
    problems: failed
      ? `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`
      : undefined,
  };
}

export async function measureTransfers(
  options: TransferBenchOptions,
): Promise<{ memory: Row; redis?: Row }> {
  const servers = [
    { name: 'POST /transfer, in-memory ledger', server: await options.startServer('api') },
    ...(options.redisUrl
      ? [
          {
            name: 'POST /transfer, Redis ledger (Lua) + Redis replay store',
            server: await options.startServer('api-redis', { BENCH_REDIS_URL: options.redisUrl }),
          },
        ]
      : []),
  ];
  const best = new Map<string, Row>();
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      const tokens = options.tokens.slice(round * options.perRound, (round + 1) * options.perRound);
      const rates: string[] = [];
      for (const { name, server } of servers) {
        const row = await transferRound(server, tokens, options.connections, name);
        rates.push(Math.round(row.requestsPerSecond).toLocaleString('en-US'));
        const previous = best.get(name);
        const leastCpu = Math.min(
          row.cpuMicrosPerRequest!,
          previous?.cpuMicrosPerRequest ?? Infinity,
        );
        if (!previous || row.requestsPerSecond > previous.requestsPerSecond || row.problems)
          best.set(name, row);
        best.get(name)!.cpuMicrosPerRequest = leastCpu;
      }
      console.log(`transfer round ${round + 1}: req/s memory, redis = ${rates.join(', ')}`);
    }
  } finally {
    for (const { server } of servers) server.child.kill('SIGTERM');
  }
  return { memory: best.get(servers[0]!.name)!, redis: servers[1] && best.get(servers[1].name) };
}
