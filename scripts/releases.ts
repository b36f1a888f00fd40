// npm run releases [-- --env <name>]: the releases recorded on the tenant, newest first, and the one it matches now.
import {
  defineCommand,
  envNameProblem,
  exitWithUsageError,
  parseCommandLineOrExit,
} from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';
import { targetEnvOption } from '../deploy/cli-options.js';
import { exitOnError, progress } from '../deploy/cli.js';
import { connectTarget, describeRelease } from '../deploy/releases/cli.js';
import { ReleaseError } from '../deploy/releases/errors.js';
import { readHistory } from '../deploy/releases/history.js';

const command = defineCommand({
  command: 'npm run releases --',
  name: 'releases',
  summary:
    'Lists the releases recorded on the target tenant (one per verified deploy or rollback), newest first, and\n' +
    'marks the one the tenant matches now — or says it drifted. Reads only; needs only the tenant credentials.',
  options: {
    env: targetEnvOption,
  },
  examples: ['npm run releases', 'npm run releases -- --env prod'],
  notes: [
    'Exit codes: 0 = listed (the tenant matches a release, or that cannot be told), 1 = the tenant drifted or an error, 2 = usage error.',
  ],
});

try {
  const { values } = parseCommandLineOrExit(command);
  const envProblem = envNameProblem(values.env);
  if (envProblem) exitWithUsageError(command, envProblem);
  loadDotEnv();
  const tenant = await connectTarget(values.env, progress);
  try {
    const history = await readHistory({
      mgmt: tenant.mgmt,
      deployClientId: tenant.target.clientId,
    });
    const { current } = history;
    const where = `${tenant.target.domain} (env ${values.env})`;
    if (history.releases.length === 0)
      process.stdout.write(
        `No releases recorded on ${where} yet: every verified npm run deploy records one.\n`,
      );
    else process.stdout.write(`Releases on ${where}, newest first:\n`);
    const matching = current.kind === 'matches' ? current.release : undefined;
    for (const release of history.releases)
      process.stdout.write(
        `${release === matching ? '→' : ' '} ${describeRelease(release, history.names)}\n`,
      );
    if (current.kind === 'matches')
      process.stdout.write(
        matching
          ? `The tenant matches release #${matching.number}: verified ${current.verifiedAt}, no tenant log entry since changes state.\n`
          : `The tenant matches the verified deploy of ${current.verifiedAt}, which is not in this history.\n`,
      );
    else if (current.kind === 'drifted')
      process.stdout.write(
        `The tenant drifted from its last verified deploy: ${current.reason}.\n`,
      );
    else
      process.stdout.write(
        `Cannot tell which release the tenant matches: ${current.reason} (npm run diff -- --refresh at a release's commit compares in full).\n`,
      );
    progress(`(${tenant.stats.reads} Management API reads, ${tenant.stats.writes} writes)`);
    process.exitCode = current.kind === 'drifted' ? 1 : 0;
  } finally {
    await tenant.close();
  }
} catch (error) {
  if (error instanceof ReleaseError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  exitOnError(error);
}
