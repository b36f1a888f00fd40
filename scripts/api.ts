// `npm run api`: the banking API on 127.0.0.1:$PORT, configured from the environment (and .env).
import { loadDotEnv } from '../lib/env.js';
import { ConfigError, loadConfigFromEnv, startBankingApi } from '../banking-api/index.js';

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
