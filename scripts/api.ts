// `npm run api`: the banking API on 127.0.0.1:$PORT, configured from the environment (and .env).
// Several instances (one per PORT) with the same REDIS_URL share one ledger and one replay store.
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../lib/env.js';
import { ConfigError, loadConfigFromEnv, startBankingApi } from '../banking-api/index.js';

const USAGE = `usage: npm run api [-- --help]

Starts the banking API on 127.0.0.1:$PORT (default 3001), configured from the environment and .env:
  ISSUER_BASE_URL  token issuer (required), e.g. https://my-bank-dev.eu.auth0.com/
  AUDIENCE         API identifier (default https://my-banking-api)
  PORT             port on 127.0.0.1 (0 = any free port; the log line "banking API listening" names it)
  REDIS_URL        redis://… — ledger, Idempotency-Key results and used transfer tokens in Redis, shared by
                   every instance with the same REDIS_URL (default: in memory, one instance)
  CORS_ORIGINS     browser origins allowed to call it, comma-separated (e.g. the SPA's http://127.0.0.1:3000)
  LOG_LEVEL        pino level (default info)
  (all variables: banking-api/README.md)

Examples:
  ISSUER_BASE_URL=https://127.0.0.1:8443/ npm run api
  # three instances on one Redis, behind any load balancer:
  for port in 3001 3002 3003; do
    PORT=$port REDIS_URL=redis://127.0.0.1:6379 ISSUER_BASE_URL=https://127.0.0.1:8443/ npm run api &
  done
`;

try {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
} catch (error) {
  process.stderr.write(`api: ${(error as Error).message} (usage: npm run api -- --help)\n`);
  process.exit(2);
}

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
