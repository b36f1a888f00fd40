// One benchmark server per process (forked by bench/api.ts), so the load generator never shares its core.
// argv[2]: 'floor' (bare Fastify, same JSON, same serializer), 'api', 'api-cold' (verified-token cache smaller
// than the bench's token pool, so cycling through the pool never hits it) or 'api-redis' (ledger and replay
// store in the Redis at BENCH_REDIS_URL).
import Fastify from 'fastify';
import { bankingApiConfig, startBankingApi } from '../banking-api/index.js';
import { CURRENCY, MemoryLedger } from '../banking-api/ledger.js';
import { balanceResponseSchema } from '../banking-api/routes.js';
import { isOneOf, tcpPort } from '../lib/guards.js';

const mode = process.argv[2];
const issuer = process.env.BENCH_ISSUER ?? '';

async function startFloor(): Promise<number> {
  const app = Fastify({ logger: false });
  const ledger = new MemoryLedger();
  // The same JSON the API answers, built the same way, minus authentication.
  app.get('/balance', { schema: { response: balanceResponseSchema } }, async () => ({
    caller: 'auth0|bench',
    callerType: 'user',
    currency: CURRENCY,
    accounts: await ledger.balances('auth0|bench'),
  }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return tcpPort(app.server.address());
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const requestedLevel = process.env.BENCH_LOG_LEVEL;

async function startApi(): Promise<number> {
  const api = await startBankingApi(
    bankingApiConfig({
      issuerBaseUrl: issuer,
      port: 0,
      logLevel: isOneOf(logLevels, requestedLevel) ? requestedLevel : 'info',
      redisUrl: mode === 'api-redis' ? process.env.BENCH_REDIS_URL : undefined,
    }),
    {
      verifiedTokenCacheCapacity:
        mode === 'api-cold' ? Number(process.env.BENCH_COLD_CACHE_CAPACITY) : undefined,
    },
  );
  await api.jwks.refresh(); // measured requests never include the first JWKS fetch
  return Number(new URL(api.url).port);
}

const port = mode === 'floor' ? await startFloor() : await startApi();
process.send?.({ ready: true, port });
process.on('disconnect', () => process.exit(0));
// CPU time this server has used, so bench/api.ts can report CPU per request (robust to a busy machine).
process.on('message', (message: unknown) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
