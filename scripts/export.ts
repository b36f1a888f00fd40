// npm run export [-- --env <name>] [--out tenant/export]: bootstraps tenant/ from an existing tenant with
// auth0-deploy-cli's export (YAML), limited to the sections this project manages plus whatever a0deploy exports.
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { trustCaForFetch } from '../lib/trust-ca.js';
import { exitOnError, progress, startLocalTenant } from '../deploy/cli.js';
import { resolveTarget } from '../deploy/target/target.js';
import { loadDotEnv } from '../lib/env.js';

try {
  const { values } = parseCommandLineOrExit({
    command: 'npm run export --',
    name: 'export',
    summary: "Exports an existing tenant's managed sections as tenant.yaml plus an env file.",
    options: {
      env: {
        type: 'string',
        default: 'local',
        value: '<name>',
        description: 'source tenant, as for deploy',
      },
      out: {
        type: 'string',
        default: 'tenant/export',
        value: '<dir>',
        description: 'output folder',
      },
    },
    examples: ['npm run export -- --env dev --out exported'],
  });
  loadDotEnv();
  const target = await resolveTarget({ env: values.env as string, startLocalTenant });
  if (target.caCertPem) trustCaForFetch(target.caCertPem);
  const { dump } = await import('auth0-deploy-cli');
  progress(`exporting ${target.domain} to ${values.out}/tenant.yaml (secrets are not exported)`);
  await dump({
    output_folder: values.out as string,
    format: 'yaml',
    env: false,
    config: {
      AUTH0_DOMAIN: target.domain,
      AUTH0_CLIENT_ID: target.clientId,
      ...(target.clientSecret ? { AUTH0_CLIENT_SECRET: target.clientSecret } : {}),
      AUTH0_INCLUDED_ONLY: [
        'resourceServers',
        'clients',
        'clientGrants',
        'actions',
        'triggers',
        'guardianFactors',
        'guardianPolicies',
        'databases',
        'tenant',
      ],
    } as never,
  });
  progress(
    `done: review ${values.out}/tenant.yaml, move what you want into tenant/tenant.yaml and per-env values into tenant/env/<env>.json`,
  );
} catch (error) {
  exitOnError(error);
}
