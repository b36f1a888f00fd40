// `npm run api`: the banking API on 127.0.0.1:$PORT, configured from the environment (and .env).
// Several instances (one per PORT) with the same REDIS_URL share one ledger and one replay store.
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';
import { ConfigError, loadConfigFromEnv, startBankingApi } from '../banking-api/index.js';

parseCommandLineOrExit({
  command: 'npm run api --',
  name: 'api',
  summary:
    'Serves the banking API (GET /balance, GET /transfers, POST /transfer) on 127.0.0.1:$PORT (default 3001),\n' +
    'configured from the environment and .env (no options):\n' +
    '  ISSUER_BASE_URL  token issuer (required), e.g. https://my-bank-dev.eu.auth0.com/\n' +
    '  AUDIENCE         API identifier (default https://my-banking-api)\n' +
    '  PORT             port on 127.0.0.1 (0 = any free port; the log line "banking API listening" names it)\n' +
    '  REDIS_URL        redis://… — ledger, Idempotency-Key results and used transfer tokens in Redis, shared\n' +
    '                   by every instance with the same REDIS_URL (default: in memory, one instance)\n' +
    '  CORS_ORIGINS     browser origins allowed to call it, comma-separated\n' +
    '  LOG_LEVEL        pino level (default info); all variables: banking-api/README.md',
  options: {},
  examples: [
    'ISSUER_BASE_URL=https://127.0.0.1:8443/ npm run api',
    'CORS_ORIGINS=http://127.0.0.1:3000 PORT=3001 npm run api',
    '# three instances on one Redis, behind any load balancer:\n' +
      '  for port in 3001 3002 3003; do\n' +
      '    PORT=$port REDIS_URL=redis://127.0.0.1:6379 ISSUER_BASE_URL=https://127.0.0.1:8443/ npm run api &\n' +
      '  done',
  ],
});
loadDotEnv();
let config;
try {
  config = loadConfigFromEnv();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const api = await startBankingApi(config).catch((error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `api: port ${config.port} on 127.0.0.1 is in use (set PORT)`
      : `api: ${error.message}`,
  );
  process.exit(2);
});
api.app.log.info(
  {
    url: api.url,
    issuer: config.issuerBaseUrl,
    audience: config.audience,
    ledger: api.ledger.kind,
    replayStore: config.redisUrl ? 'redis' : 'memory',
  },
  'banking API listening',
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.close().then(() => process.exit(0));
  });
}
