// npm run check [-- --env <name> | --all-envs] [--format text|markdown|json|sarif] [--live] [--strict]
// Exit codes: 0 = no error findings, 1 = error findings or the check could not run, 2 = usage error.
import { relative, resolve } from 'node:path';
import { allPass, checkArgumentsOf, checkCommand, renderReports } from '../check/cli.js';
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';

const args = checkArgumentsOf(parseCommandLineOrExit(checkCommand).values);
// The rules, the config loader and the Auth0 SDK load once the command line is valid: --help and usage errors
// answer at once.
const { loadDesiredForCheck } = await import('../check/desired.js');
const { rules } = await import('../check/rules/index.js');
const { runChecks } = await import('../check/run.js');
const { loadWaivers } = await import('../check/waivers.js');
const { loadLiveForCheck } = await import('../check/live.js');
const { ConfigError } = await import('../deploy/config/errors.js');
const { exitOnError, startLocalTenant } = await import('../deploy/cli.js');
const { connect } = await import('../deploy/target/management-client.js');
const { resolveTarget } = await import('../deploy/target/target.js');

/** The tenant of `env`, read with the deploy's target and credentials (read scopes suffice). */
async function liveInput(env: string) {
  loadDotEnv();
  const target = await resolveTarget({ env, startLocalTenant });
  const tenant = connect(target);
  try {
    return await loadLiveForCheck(tenant.mgmt, {
      env,
      domain: target.domain,
      deployClientId: target.clientId,
    });
  } finally {
    await tenant.close();
  }
}

try {
  const envs = args.envs;
  const waivers = loadWaivers(args.waiversFile, relative(process.cwd(), resolve(args.waiversFile)));
  const reports = args.live
    ? [runChecks(await liveInput(envs[0]!), rules, waivers)]
    : envs.map((env) =>
        runChecks(loadDesiredForCheck({ tenantFile: args.tenantFile, env }), rules, waivers),
      );
  process.stdout.write(
    renderReports(reports, args.format, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR),
  );
  process.exit(allPass(reports, args.strict) ? 0 : 1);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Config error — nothing was checked:\n${error.message}\n`);
    process.exit(1);
  }
  // Network, TLS and Management API failures of --live: the deploy's messages (cause and fix, no stack trace).
  exitOnError(error);
}
