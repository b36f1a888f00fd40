// `npm run api`: the banking API on 127.0.0.1:$PORT, configured from the environment (and .env).
import { loadDotEnv } from '../lib/env.js';
import { ConfigError, createBankingApi, loadConfigFromEnv } from '../banking-api/index.js';
import { CorsConfigError, parseCorsOrigins, registerCors } from '../banking-api/cors.js';

loadDotEnv();
let config;
let corsOrigins: string[];
try {
  config = loadConfigFromEnv();
  corsOrigins = parseCorsOrigins(process.env.CORS_ORIGINS);
} catch (error) {
  if (error instanceof ConfigError || error instanceof CorsConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const api = createBankingApi(config);
registerCors(api.app, corsOrigins);
const url = await api.app.listen({ host: '127.0.0.1', port: config.port });
api.app.log.info({ url, corsOrigins, issuer: config.issuerBaseUrl, audience: config.audience, replayStore: config.redisUrl ? 'redis' : 'memory' }, 'banking API listening');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.close().then(() => process.exit(0));
  });
}
