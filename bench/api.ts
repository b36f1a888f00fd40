// `npm run bench:api`: banking API throughput against baselines measured in the same run (issue 6 §6).
// Rows: bare Fastify route with the same JSON (HTTP floor), node:crypto RS256 verifications/s on one core
// (crypto limit), GET /balance with one repeated token and with 1,000 distinct valid tokens, plus — for
// information — 1,000 distinct tokens with the verified-token cache off (every request pays an RSA verify).
// Each server runs in its own child process; autocannon runs here. Bounded: 1 s warm-up + 5 rounds × 1 s per scenario.
import { fork, type ChildProcess } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { exportJWK, SignJWT } from 'jose';
import { DEFAULT_AUDIENCE } from '../banking-api/index.js';

const ROUNDS = 5;
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 1);
const CONNECTIONS = 64;
const DISTINCT_TOKENS = 1_000;
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
const issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/`;

async function sign(subject: string): Promise<string> {
  return new SignJWT({ scope: 'view:balance', azp: 'bench-client' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(issuer)
    .setSubject(subject)
    .setAudience(DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}
const repeatedToken = await sign('auth0|bench');
const distinctTokens = await Promise.all(
  Array.from({ length: DISTINCT_TOKENS }, (_, index) => sign(`auth0|bench-${index}`)),
);

// --- crypto limit: RS256 verifications per second on this (single) thread ---
function measureCryptoLimit(): number {
  const key = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  const inputs = distinctTokens.map((token) => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
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
  while (performance.now() - start < 2_000) {
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
async function startChild(mode: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(childPath, [mode], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_ISSUER: issuer },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`bench server '${mode}' exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

interface Row {
  scenario: string;
  requestsPerSecond: number;
  p99Ms?: number;
  /** Server process CPU (user + system) per request: what throughput on one free core would be bounded by. */
  cpuMicrosPerRequest?: number;
  problems?: string;
}

interface Scenario {
  name: string;
  mode: string;
  tokens: string[];
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
  const requests = scenario.tokens.map((token) => ({
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

const format = (value: number) => Math.round(value).toLocaleString('en-US');
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
    name: `GET /balance, ${format(DISTINCT_TOKENS)} distinct tokens, cache off (info)`,
    mode: 'api-no-cache',
    tokens: distinctTokens,
  },
];
try {
  for (const scenario of scenarios) {
    Object.assign(scenario, await startChild(scenario.mode));
    await measure(scenario, 1); // warm-up: JIT, sockets, first verifications
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
      `round ${round + 1}: req/s floor, repeated, distinct, distinct cache off = ${roundRates.join(', ')}`,
    );
  }
  console.log('');
} finally {
  for (const scenario of scenarios) scenario.child?.kill('SIGTERM');
  jwksServer.close();
}
const [floor, repeated, distinct, noCache] = scenarios.map((scenario) => scenario.best!) as [
  Row,
  Row,
  Row,
  Row,
];

const distinctBound = 1 / (1 / floor.requestsPerSecond + 1 / cryptoLimit);
const floorCpu = floor.cpuMicrosPerRequest!;
const verifyMicros = 1e6 / cryptoLimit;
const rows: Array<{
  row: Row;
  ratio?: number;
  cpuRatio?: number;
  target?: string;
  pass?: boolean;
}> = [
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
  },
  {
    row: distinct,
    ratio: distinct.requestsPerSecond / distinctBound,
    cpuRatio: (floorCpu + verifyMicros) / distinct.cpuMicrosPerRequest!,
    target: `≥ 0.80 × 1/(1/floor+1/crypto) = ${format(0.8 * distinctBound)}`,
  },
  {
    row: noCache,
    ratio: noCache.requestsPerSecond / distinctBound,
    cpuRatio: (floorCpu + verifyMicros) / noCache.cpuMicrosPerRequest!,
    target: '(information: every request verifies)',
  },
];
for (const entry of rows)
  if (entry.ratio !== undefined && entry.target?.startsWith('≥'))
    entry.pass = entry.ratio >= 0.8 && !entry.row.problems;

const header = [
  'scenario',
  'req/s (or verify/s)',
  'p99 ms',
  'server CPU µs/req',
  'ratio',
  'CPU-based ratio',
  'target',
  'result',
];
const lines = rows.map(({ row, ratio, cpuRatio, target, pass }) => [
  row.scenario,
  format(row.requestsPerSecond),
  row.p99Ms === undefined ? '' : String(row.p99Ms),
  row.cpuMicrosPerRequest === undefined ? '' : row.cpuMicrosPerRequest.toFixed(1),
  ratio === undefined ? '' : ratio.toFixed(2),
  cpuRatio === undefined ? '' : cpuRatio.toFixed(2),
  target ?? '',
  pass === undefined
    ? (row.problems ?? '')
    : pass
      ? 'PASS'
      : `FAIL${row.problems ? ` (${row.problems})` : ''}`,
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...lines.map((line) => line[column]!.length)),
);
const render = (cells: string[]) =>
  `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
console.log(render(header));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const line of lines) console.log(render(line));
console.log(
  "\nratio = req/s against the target baseline (the issue's measure); CPU-based ratio = the same ratio computed from server CPU per\n" +
    'request (least over the rounds), which a busy machine disturbs far less than req/s. Targets: ratio ≥ 0.80.',
);
if (rows.some((entry) => entry.pass === false)) process.exitCode = 1;
