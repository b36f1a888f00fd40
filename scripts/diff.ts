// npm run diff [-- --env <name>] [--format text|markdown|json] [--allow-delete] [--refresh]
// Plan only, with the tenant checks (npm run check) above it. Exit codes: 0 = no changes, 2 = changes (drift),
// 1 = error. Check findings do not change the exit code here: `npm run check` and `npm run deploy` gate on them.
import type { Report } from '../check/run.js';
import { parseCli } from '../deploy/cli-options.js';

const args = parseCli('diff');
// The engine (and the Auth0 SDK) load once the command line is valid: --help and usage errors answer at once.
const { checkLoadedConfiguration, checksOutput } = await import('../check/gate.js');
const { exitOnError, progress, renderPlan, startLocalTenant } = await import('../deploy/cli.js');
const { hasChanges } = await import('../deploy/plan/plan.js');
const { prepare } = await import('../deploy/run.js');

try {
  let report: Report | undefined;
  const prepared = await prepare({
    env: args.env,
    tenantFile: args.tenantFile,
    allowDelete: args.allowDelete,
    refresh: args.refresh,
    mayWriteCheckpoint: false,
    startLocalTenant,
    log: progress,
    // The checks read the configuration the plan loads (once).
    beforeConnect: (desired) => {
      report = checkLoadedConfiguration(desired, args.tenantFile, args.env);
    },
  });
  await prepared.close();
  const checks = report ? checksOutput(report, args.format) : { stdout: '', stderr: '' };
  process.stderr.write(checks.stderr);
  process.stdout.write(checks.stdout + renderPlan(prepared.plan, args.format));
  progress(
    `(${prepared.stats.reads} Management API reads, ${prepared.stats.writes} writes, ${prepared.stats.tokens} token request)`,
  );
  process.exit(hasChanges(prepared.plan) ? 2 : 0);
} catch (error) {
  exitOnError(error);
}
