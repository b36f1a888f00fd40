// npm run export [-- --env <name>] [--out exported/<env>] [--force]: an existing tenant as tenant.yaml plus
// env/<env>.json (and the Actions' code) that `npm run diff -- --file <out>/tenant.yaml --env <name>` accepts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  defineCommand,
  envNameProblem,
  exitWithUsageError,
  parseCommandLineOrExit,
} from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';

const command = defineCommand({
  command: 'npm run export --',
  name: 'export',
  summary:
    "Exports a tenant's managed sections as <out>/tenant.yaml, <out>/env/<env>.json and <out>/actions/*.js —\n" +
    'config that `npm run diff` against the same tenant accepts unchanged. Leaves out the deploy client, system\n' +
    'APIs, the default database and read-only fields; the domain, client URLs and Action secrets become keywords.',
  options: {
    env: {
      type: 'string',
      default: 'local',
      value: '<name>',
      description: 'source tenant, as for npm run deploy',
    },
    out: {
      type: 'string',
      value: '<dir>',
      description: 'output folder (default exported/<env>, git-ignored)',
    },
    force: {
      type: 'boolean',
      description: 'write into tenant/ or over existing files',
    },
  },
  examples: [
    'npm run export -- --env dev',
    'npm run diff -- --env dev --file exported/dev/tenant.yaml   # exit 0: the export matches',
  ],
});

const { values } = parseCommandLineOrExit(command);
const envProblem = envNameProblem(values.env);
if (envProblem) exitWithUsageError(command, envProblem);
const out = resolve(values.out ?? join('exported', values.env));
const inTenant = relative(resolve('tenant'), out);
if (!values.force && !inTenant.startsWith('..') && !isAbsolute(inTenant))
  exitWithUsageError(command, `--out ${values.out} is inside tenant/: pass --force to write there`);
const tenantFile = join(out, 'tenant.yaml');
if (!values.force && existsSync(tenantFile))
  exitWithUsageError(
    command,
    `${relative(process.cwd(), tenantFile)} exists: pass --force to overwrite`,
  );

// The engine (and the Auth0 SDK) load once the command line is valid: --help and usage errors answer at once.
const { exitOnError, progress, startLocalTenant } = await import('../deploy/cli.js');
const { exportTenant } = await import('../deploy/export/export-tenant.js');
const { connect } = await import('../deploy/target/management-client.js');
const { resolveTarget } = await import('../deploy/target/target.js');
const { readEnvDeploySettings } = await import('../deploy/config/load.js');

try {
  loadDotEnv();
  const target = await resolveTarget({ env: values.env, startLocalTenant });
  // The tenant's rate limit as tenant/env/<env>.json states it (the Free plan's when it says nothing), and the
  // export carries it over so that `npm run diff` of the export reads the tenant at the same pace.
  const rateLimit = readEnvDeploySettings(join('tenant', 'tenant.yaml'), values.env)?.rateLimit;
  const tenant = connect(target, rateLimit ? { budget: rateLimit } : {});
  try {
    progress(`exporting ${target.domain} to ${relative(process.cwd(), out) || out}/`);
    const exported = await exportTenant(tenant.mgmt, {
      domain: target.domain,
      deployClientId: target.clientId,
    });
    if (rateLimit) exported.envFile.deploy.rateLimit = rateLimit;
    mkdirSync(join(out, 'env'), { recursive: true });
    writeFileSync(tenantFile, exported.tenantYaml);
    writeFileSync(
      join(out, 'env', `${values.env}.json`),
      `${JSON.stringify(exported.envFile, null, 2)}\n`,
    );
    for (const [file, code] of exported.actionFiles) {
      mkdirSync(dirname(join(out, file)), { recursive: true });
      writeFileSync(join(out, file), code);
    }
    for (const note of exported.notes) progress(`note: ${note}`);
    progress(
      `done. Check it: npm run diff -- --env ${values.env} --file ${relative(process.cwd(), tenantFile)}`,
    );
  } finally {
    await tenant.close();
  }
} catch (error) {
  exitOnError(error);
}
