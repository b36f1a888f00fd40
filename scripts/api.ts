// `npm run api`: the banking API on 127.0.0.1:$PORT, configured from the environment (and .env).
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';
import { ConfigError, loadConfigFromEnv, startBankingApi } from '../banking-api/index.js';

parseCommandLineOrExit({
  command: 'npm run api --',
  name: 'api',
  summary:
    'Serves the banking API (GET /balance, POST /transfer) on 127.0.0.1, configured from the environment and\n' +
    '.env: ISSUER_BASE_URL, AUDIENCE, PORT, CORS_ORIGINS, REDIS_URL … (see .env.sample). No options.',
  options: {},
  examples: [
    'ISSUER_BASE_URL=https://127.0.0.1:8443/ npm run api',
    'CORS_ORIGINS=http://127.0.0.1:3000 PORT=3001 npm run api',
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
const api = await startBankingApi(config);
api.app.log.info(
  {
    url: api.url,
    issuer: config.issuerBaseUrl,
    audience: config.audience,
    replayStore: config.redisUrl ? 'redis' : 'memory',
  },
  'banking API listening',
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.close().then(() => process.exit(0));
  });
}
