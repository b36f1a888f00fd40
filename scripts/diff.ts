// npm run diff [-- --env <name>] [--format text|markdown|json] [--allow-delete] [--refresh]
// Plan only. Exit codes: 0 = no changes, 2 = changes (drift), 1 = error.
import { exitOnError, parseCli, progress, renderPlan, startLocalTenant } from '../deploy/cli.js';
import { hasChanges } from '../deploy/plan/plan.js';
import { prepare } from '../deploy/run.js';

try {
  const args = parseCli('diff');
  const prepared = await prepare({
    env: args.env,
    tenantFile: args.tenantFile,
    allowDelete: args.allowDelete,
    refresh: args.refresh,
    mayWriteCheckpoint: false,
    startLocalTenant,
    log: progress,
  });
  await prepared.close();
  process.stdout.write(renderPlan(prepared.plan, args.format));
  progress(
    `(${prepared.stats.reads} Management API reads, ${prepared.stats.writes} writes, ${prepared.stats.tokens} token request)`,
  );
  process.exit(hasChanges(prepared.plan) ? 2 : 0);
} catch (error) {
  exitOnError(error);
}
