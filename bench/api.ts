// `npm run bench:api`: banking API throughput against baselines measured in the same run.
// Rows: bare Fastify route with the same JSON (HTTP floor), node:crypto RS256 verifications/s on one core
// (crypto limit), GET /balance with one repeated token, with 1,000 distinct tokens (cached after their first
// use), and with cold tokens (a pool of 2,000 cycled strictly in order through a verified-token cache of 500:
// every request verifies, as if each token were new); then POST /transfer (a fresh step-up token each) with the
// Redis ledger against the in-memory one. Each server runs in its own child process; autocannon runs here.
// Bounded for a shared machine: 0.5 s warm-up + 3 rounds × 1 s per /balance scenario, 2 × 600 transfers per ledger.
import { fork, type ChildProcess } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonRequest, type Result } from 'autocannon';
import { exportJWK, SignJWT } from 'jose';
import { DEFAULT_AUDIENCE } from '../banking-api/index.js';
import { hasRedis, startRedis, type RedisServer } from '../lib/redis-server.js';
import { formatCount as format, renderTable, type Row, type TableEntry } from './api-table.js';
import { measureTransfers } from './api-transfers.js';
import { tcpPort } from '../lib/guards.js';

const ROUNDS = 3;
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 1);
const CONNECTIONS = 64;
const DISTINCT_TOKENS = 1_000;
/** Cold row: the pool is 4× the cache, cycled in order, so a token is always evicted before it comes back. */
const COLD_POOL = 2_000;
const COLD_CACHE_CAPACITY = 500;
const TRANSFERS_PER_ROUND = 600;
const TRANSFER_ROUNDS = 2;
const childPath = fileURLToPath(new URL('./api-server-child.ts', import.meta.url));

// --- issuer: a loopback JWKS and tokens signed like Auth0's (RS256, 2048-bit) ---
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'bench-key';
const jwks = JSON.stringify({
  keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }],
});
const jwksServer = createServer((_request, response) =>
  response.writeHead(200, { 'content-type': 'application/json' }).end(jwks),
);
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${tcpPort(jwksServer.address())}/`;

async function sign(subject: string, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ scope: 'view:balance', azp: 'bench-client', ...extra })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(issuer)
    .setSubject(subject)
    .setAudience(DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}
const repeatedToken = await sign('auth0|bench');
// Step-up tokens (transfer:funds, MFA evidence, just issued): /balance accepts them too, so one pool serves the
// distinct, cold and transfer rows. 100 users, so transfers also contend on the same accounts.
const poolTokens = await Promise.all(
  Array.from({ length: COLD_POOL }, (_, index) =>
    sign(`auth0|bench-${index % 100}`, {
      scope: 'view:balance transfer:funds',
      [`${DEFAULT_AUDIENCE}/amr`]: ['pwd', 'mfa'],
      jti: `bench-${index}`,
    }),
  ),
);
const distinctTokens = poolTokens.slice(0, DISTINCT_TOKENS);

// --- crypto limit: RS256 verifications per second on this (single) thread ---
function measureCryptoLimit(): number {
  const key = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  const inputs = distinctTokens.map((token) => {
    const [header = '', payload = '', signature = ''] = token.split('.');
    return {
      data: Buffer.from(`${header}.${payload}`),
      signature: Buffer.from(signature, 'base64url'),
    };
  });
  const warmUpUntil = performance.now() + 300;
  for (let index = 0; performance.now() < warmUpUntil; index += 1)
    verify(
      'sha256',
      inputs[index % inputs.length]!.data,
      key,
      inputs[index % inputs.length]!.signature,
    );
  let count = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - start < 1_000) {
    const input = inputs[count % inputs.length]!;
    if (!verify('sha256', input.data, key, input.signature))
      throw new Error('bench token failed to verify');
    count += 1;
  }
  // Per CPU-second of this thread (= one core it had to itself), so other load on the machine does not lower it.
  const cpu = process.cpuUsage(cpuStart);
  return count / ((cpu.user + cpu.system) / 1e6);
}

// --- HTTP scenarios ---
async function startChild(
  mode: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(childPath, [mode], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_ISSUER: issuer,
      BENCH_COLD_CACHE_CAPACITY: String(COLD_CACHE_CAPACITY),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`bench server '${mode}' exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

interface Scenario {
  name: string;
  mode: string;
  tokens: string[];
  /** Send the tokens strictly in turn across all connections (else each connection cycles on its own). */
  inTurn?: boolean;
  url?: string;
  child?: ChildProcess;
  best?: Row;
}

/**
 * The machine is shared (CI, other suites), so scenarios run interleaved in ROUNDS and each keeps its best
 * round: contention only ever slows a run down, so the best one is the least disturbed.
 */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message: { cpu: NodeJS.CpuUsage }) =>
      resolve(message.cpu.user + message.cpu.system),
    );
    child.send('cpu');
  });
}

async function measure(scenario: Scenario, seconds: number): Promise<Row> {
  const cpuBefore = await serverCpu(scenario.child!);
  let next = 0;
  const requests = scenario.inTurn
    ? [
        {
          method: 'GET',
          path: '/balance',
          setupRequest: (request: AutocannonRequest) => ({
            ...request,
            headers: {
              authorization: `Bearer ${scenario.tokens[next++ % scenario.tokens.length]}`,
            },
          }),
        },
      ]
    : scenario.tokens.map((token) => ({
        method: 'GET',
        path: '/balance',
        headers: { authorization: `Bearer ${token}` },
      }));
  const result: Result = await autocannon({
    url: scenario.url!,
    connections: CONNECTIONS,
    duration: seconds,
    requests: requests.length ? requests : [{ method: 'GET', path: '/balance' }],
  });
  const cpuMicros = (await serverCpu(scenario.child!)) - cpuBefore;
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    scenario: scenario.name,
    requestsPerSecond: result.requests.total / seconds,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: cpuMicros / Math.max(result.requests.total, 1),
    problems: failed
      ? `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`
      : undefined,
  };
}

console.log(
  `bench:api — ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds × ${ROUND_SECONDS} s per scenario (best round kept), ` +
    'loopback, one server process per scenario\n',
);

const cryptoLimit = measureCryptoLimit();
const scenarios: Scenario[] = [
  { name: 'bare Fastify route, same JSON (HTTP floor)', mode: 'floor', tokens: [] },
  { name: 'GET /balance, one token repeated', mode: 'api', tokens: [repeatedToken] },
  {
    name: `GET /balance, ${format(DISTINCT_TOKENS)} distinct tokens`,
    mode: 'api',
    tokens: distinctTokens,
  },
  {
    name: `GET /balance, cold tokens (${format(COLD_POOL)} in turn, cache of ${format(COLD_CACHE_CAPACITY)}: never a hit)`,
    mode: 'api-cold',
    tokens: poolTokens,
    inTurn: true,
  },
];
let redis: RedisServer | undefined;
let transfers: Awaited<ReturnType<typeof measureTransfers>>;
try {
  for (const scenario of scenarios) {
    Object.assign(scenario, await startChild(scenario.mode));
    await measure(scenario, 0.5); // warm-up: JIT, sockets, first verifications
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    const roundRates: string[] = [];
    for (const scenario of scenarios) {
      const row = await measure(scenario, ROUND_SECONDS);
      roundRates.push(format(row.requestsPerSecond));
      const leastCpu = Math.min(
        row.cpuMicrosPerRequest!,
        scenario.best?.cpuMicrosPerRequest ?? Number.POSITIVE_INFINITY,
      );
      if (!scenario.best || row.requestsPerSecond > scenario.best.requestsPerSecond || row.problems)
        scenario.best = row;
      scenario.best.cpuMicrosPerRequest = leastCpu;
    }
    console.log(
      `round ${round + 1}: req/s floor, repeated, distinct, cold = ${roundRates.join(', ')}`,
    );
  }
  for (const scenario of scenarios) scenario.child?.kill('SIGTERM');
  if (hasRedis) redis = await startRedis();
  transfers = await measureTransfers({
    tokens: poolTokens,
    perRound: TRANSFERS_PER_ROUND,
    rounds: TRANSFER_ROUNDS,
    connections: CONNECTIONS,
    startServer: startChild,
    redisUrl: redis?.url,
  });
  console.log('');
} finally {
  for (const scenario of scenarios) scenario.child?.kill('SIGTERM');
  jwksServer.close();
  await redis?.stop();
}
const [floor, repeated, distinct, cold] = scenarios.map((scenario) => scenario.best);
if (!floor || !repeated || !distinct || !cold)
  throw new Error('bench:api: a scenario has no measurement');

const distinctBound = 1 / (1 / floor.requestsPerSecond + 1 / cryptoLimit);
const floorCpu = floor.cpuMicrosPerRequest!;
const verifyMicros = 1e6 / cryptoLimit;
const rows: TableEntry[] = [
  { row: floor },
  {
    row: {
      scenario: 'node:crypto RS256 verify per CPU-second, one core (crypto limit)',
      requestsPerSecond: cryptoLimit,
      cpuMicrosPerRequest: verifyMicros,
    },
  },
  {
    row: repeated,
    ratio: repeated.requestsPerSecond / floor.requestsPerSecond,
    cpuRatio: floorCpu / repeated.cpuMicrosPerRequest!,
    target: '≥ 0.80 × floor',
    minimum: 0.8,
  },
  {
    row: distinct,
    ratio: distinct.requestsPerSecond / distinctBound,
    cpuRatio: (floorCpu + verifyMicros) / distinct.cpuMicrosPerRequest!,
    target: `≥ 0.80 × 1/(1/floor+1/crypto) = ${format(0.8 * distinctBound)}`,
    minimum: 0.8,
  },
  {
    row: cold,
    ratio: cold.requestsPerSecond / distinctBound,
    cpuRatio: (floorCpu + verifyMicros) / cold.cpuMicrosPerRequest!,
    target: `≥ 0.80 × 1/(1/floor+1/crypto) = ${format(0.8 * distinctBound)}`,
    minimum: 0.8,
  },
  { row: transfers.memory, target: '(baseline of the next row)' },
  transfers.redis
    ? {
        row: transfers.redis,
        ratio: transfers.redis.requestsPerSecond / transfers.memory.requestsPerSecond,
        cpuRatio: transfers.memory.cpuMicrosPerRequest! / transfers.redis.cpuMicrosPerRequest!,
        target: '(information: ratio to the in-memory ledger)',
      }
    : {
        row: {
          scenario: 'POST /transfer, Redis ledger',
          requestsPerSecond: 0,
          problems: 'skipped: no redis-server',
        },
      },
];
console.log(renderTable(rows));
console.log(
  '\nratio = req/s against the target baseline; CPU-based ratio = the same ratio computed from server CPU per\n' +
    'request (least over the rounds), which a busy machine disturbs far less than req/s. Targets: ratio ≥ 0.80.\n' +
    "The Redis transfer row's CPU is the API process only (Redis runs in its own process).",
);
if (rows.some((entry) => entry.pass === false)) process.exitCode = 1;
