// npm run local-tenant [-- --port 8443] [--reset] [--rate-limit free] [--state-dir .local-tenant]
// npm run local-tenant -- --stop   ends the one `npm run deploy` started in the background
// Serves the local tenant over HTTPS on 127.0.0.1 and writes .local-tenant/.env for tools.
import { mkdirSync } from 'node:fs';
import { defineCommand, exitWithUsageError, parseCommandLineOrExit } from '../lib/cli-args.js';
import { stopLocalTenant } from '../local-tenant/ensure.js';
import {
  acquireStateLock,
  StateFolderInUseError,
  type StateLock,
} from '../local-tenant/ops/state-lock.js';
import { rateLimitPresetNames } from '../local-tenant/ops/rate-limit.js';
import { isOneOf } from '../lib/guards.js';
import { writeEnvFile } from '../local-tenant/env-file.js';

function fail(message: string): never {
  process.stderr.write(`local-tenant: ${message}\n`);
  process.exit(1);
}

const command = defineCommand({
  command: 'npm run local-tenant --',
  name: 'local-tenant',
  summary:
    'Serves the offline Auth0 stand-in over HTTPS on 127.0.0.1 in the foreground and writes <state-dir>/.env\n' +
    'for tools. One tenant per state folder: a second start on the same folder is refused.',
  options: {
    port: {
      type: 'string',
      value: '<port>',
      description: 'port on 127.0.0.1 (default LOCAL_TENANT_PORT or 8443; 0 = any free port)',
    },
    'state-dir': {
      type: 'string',
      default: '.local-tenant',
      value: '<dir>',
      description: 'state, CA, log and lock of this tenant',
    },
    reset: { type: 'boolean', description: 'start from an empty tenant (wipes the saved state)' },
    'rate-limit': {
      type: 'string',
      value: rateLimitPresetNames.join('|'),
      description: "Management API rate limit like a real tenant's plan (default off)",
    },
    stop: {
      type: 'boolean',
      description: 'stop the tenant serving from --state-dir (whatever its port) and exit',
    },
  },
  examples: [
    'npm run local-tenant',
    'npm run local-tenant -- --port 9443 --rate-limit free',
    'npm run local-tenant -- --stop',
  ],
});

const { values } = parseCommandLineOrExit(command);

if (values.stop) {
  const outcome = await stopLocalTenant({ stateDir: values['state-dir'] });
  process.stdout.write(
    outcome.status === 'stopped'
      ? `stopped the local tenant (pid ${outcome.pid})\n`
      : `nothing stopped: ${outcome.reason}\n`,
  );
  process.exit(outcome.status === 'still-running' ? 1 : 0);
}

const port = Number(values.port ?? process.env.LOCAL_TENANT_PORT ?? 8443);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  exitWithUsageError(command, `--port must be an integer 0-65535 (got "${values.port}")`);
const preset = values['rate-limit'];
if (preset !== undefined && !isOneOf(rateLimitPresetNames, preset))
  exitWithUsageError(
    command,
    `--rate-limit must be one of: ${rateLimitPresetNames.join(', ')} (got "${preset}")`,
  );
const stateDir = values['state-dir'];

mkdirSync(stateDir, { recursive: true });
let lock: StateLock;
try {
  lock = acquireStateLock(stateDir);
} catch (error) {
  fail(error instanceof StateFolderInUseError ? error.message : String(error));
}
// The server (Fastify, the Actions runtime, …) loads only now: --help, --stop and refusals answer at once.
const { startLocalTenant } = await import('../local-tenant/index.js');
const tenant = await startLocalTenant({
  port,
  stateDir,
  reset: values.reset,
  ...(preset ? { rateLimit: preset } : {}),
}).catch((error: Error) => {
  lock.release();
  return fail(error.message);
});
lock.setPort(tenant.port);
const envPath = writeEnvFile(stateDir, {
  AUTH0_DOMAIN: tenant.domain,
  AUTH0_CLIENT_ID: tenant.bootstrap.clientId,
  AUTH0_CLIENT_SECRET: tenant.bootstrap.clientSecret,
  NODE_EXTRA_CA_CERTS: tenant.caCertPath,
});

process.stdout.write(
  [
    `Local tenant listening on ${tenant.baseUrl} (state: ${stateDir}${preset ? `, rate limit: ${preset}` : ''})`,
    `Connection settings: ${envPath}   (set -a; . ${envPath}; set +a)`,
    `Request log: tail -f ${stateDir}/requests.jsonl`,
    '',
  ].join('\n'),
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    lock.release();
    void tenant.close().then(() => process.exit(0));
  });
}
