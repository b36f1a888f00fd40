// npm run web [-- --env local]: builds the banking page and serves it on http://127.0.0.1:$WEB_PORT (default 3000)
// with /config.json pointing at the target tenant (the local tenant unless AUTH0_* are set) and the banking API.
import { readFileSync } from 'node:fs';
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';
import { targetEnvOption } from '../deploy/cli-options.js';
import { BANKING_AUDIENCE } from '../lib/banking-scenario.js';
import { resolveTarget, TargetConfigError } from '../deploy/target/target.js';
import { ensureLocalTenantRunning } from '../local-tenant/ensure.js';
import { buildWeb } from '../web/build.js';
import { SPA_CLIENT_NAME, findClientIdByName } from '../web/client-lookup.js';
import { webConfigSchema } from '../web/config-schema.js';
import { createWebServer } from '../web/server.js';

function fail(message: string): never {
  process.stderr.write(`web: ${message}\n`);
  process.exit(2);
}

const { values } = parseCommandLineOrExit({
  command: 'npm run web --',
  name: 'web',
  summary:
    'Builds the banking page and serves it on http://127.0.0.1:$WEB_PORT (default 3000), configured for the\n' +
    'target tenant (the local tenant unless AUTH0_* are set) and the banking API (BANKING_API_URL).',
  options: {
    env: targetEnvOption,
  },
  examples: ['npm run web', 'WEB_PORT=3100 npm run web -- --env dev'],
});
loadDotEnv();
const port = Number(process.env.WEB_PORT || 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`WEB_PORT must be an integer 0-65535, got ${process.env.WEB_PORT}`);

const target = await resolveTarget({
  env: values.env,
  startLocalTenant: async () => {
    const { env } = await ensureLocalTenantRunning();
    return {
      domain: env.AUTH0_DOMAIN,
      clientId: env.AUTH0_CLIENT_ID,
      clientSecret: env.AUTH0_CLIENT_SECRET,
      caCertPem: readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'),
    };
  },
}).catch((error: unknown) =>
  fail(error instanceof TargetConfigError ? error.message : String(error)),
);

const spaClientName = process.env.SPA_CLIENT_NAME || SPA_CLIENT_NAME;
const clientId =
  process.env.SPA_CLIENT_ID ||
  (await findClientIdByName(target, spaClientName).catch((error: Error) => fail(error.message)));
const parsed = webConfigSchema.safeParse({
  domain: target.domain,
  clientId,
  audience: process.env.AUDIENCE || BANKING_AUDIENCE,
  apiUrl: process.env.BANKING_API_URL || 'http://127.0.0.1:3001',
});
if (!parsed.success)
  fail(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));

const server = createWebServer({ distDir: await buildWeb(), config: parsed.data });
const url = await server
  .listen({ host: '127.0.0.1', port })
  .catch((error: NodeJS.ErrnoException) =>
    fail(
      error.code === 'EADDRINUSE'
        ? `port ${port} on 127.0.0.1 is in use (set WEB_PORT)`
        : error.message,
    ),
  );
process.stdout.write(
  [
    `Banking page: ${url}  (tenant ${target.domain}, client "${spaClientName}" = ${clientId}, API ${parsed.data.apiUrl})`,
    `The API must allow this origin: CORS_ORIGINS=${url} npm run api`,
    '',
  ].join('\n'),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void server.close().then(() => process.exit(0)));
