// npm run deploy [-- --env <name>] [--allow-delete] [--yes] [--format text|markdown|json] [--refresh]
// Builds the Actions, loads the configuration once, runs the tenant checks on it (an unwaived error stops it
// before any request to the tenant), plans, shows the plan, applies exactly that plan, verifies.
import { createInterface } from 'node:readline/promises';
import { parseCli } from '../deploy/cli-options.js';

const started = Date.now();
const args = parseCli('deploy');
// The engine (and the Auth0 SDK) load once the command line is valid: --help and usage errors answer at once.
const { ChecksFailed, checkLoadedConfiguration, checksOutput } = await import('../check/gate.js');
const { passes } = await import('../check/run.js');
const { DeployAborted, exitOnError, progress, renderPlan, startLocalTenant } =
  await import('../deploy/cli.js');
const { hasChanges } = await import('../deploy/plan/plan.js');
const { applyPrepared, prepare } = await import('../deploy/run.js');

try {
  const prepared = await prepare({
    env: args.env,
    tenantFile: args.tenantFile,
    allowDelete: args.allowDelete,
    refresh: args.refresh,
    startLocalTenant,
    log: progress,
    // The tenant checks on the configuration the plan loads (read once); an error stops before any request.
    beforeConnect: (desired) => {
      const checks = checkLoadedConfiguration(desired, args.tenantFile, args.env);
      const shown = checksOutput(checks, args.format);
      process.stdout.write(shown.stdout);
      process.stderr.write(shown.stderr);
      if (!passes(checks)) {
        progress(new ChecksFailed(checks).message);
        process.exit(1);
      }
    },
  });
  try {
    process.stdout.write(renderPlan(prepared.plan, args.format));
    const deletes = prepared.plan.changes.filter((change) => change.action === 'delete').length;
    if (deletes > 0 && !args.yes) {
      if (!process.stdin.isTTY)
        throw new DeployAborted(
          `The plan deletes ${deletes} resource(s); pass --yes to confirm in CI. Nothing was changed.`,
        );
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await prompt.question(
        `Delete ${deletes} resource(s) on ${prepared.target.domain}? Type "yes" to apply: `,
      );
      prompt.close();
      if (answer.trim() !== 'yes') throw new DeployAborted('Not confirmed. Nothing was changed.');
    }
    // A plan without changes goes through the apply too: it may leave the checkpoint of this verified state.
    const outcome = await applyPrepared(prepared, { allowDelete: args.allowDelete, log: progress });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!outcome.result.verified) {
      progress(`Applied ${outcome.result.applied} change(s), but the tenant still differs:`);
      for (const change of outcome.result.remaining)
        progress(
          `  ${change.action} ${change.type} "${change.key}": ${change.fields.map((f) => f.path).join(', ')}`,
        );
      process.exit(1);
    }
    if (!hasChanges(prepared.plan)) {
      progress(
        `Nothing to do (${outcome.stats.reads} reads, ${outcome.stats.writes} writes${outcome.checkpointWritten ? ': the checkpoint' : ''}, ${seconds} s).`,
      );
    } else
      progress(
        `Applied ${outcome.result.applied} change(s) and verified (${outcome.stats.reads} reads, ${outcome.stats.writes} writes, ${outcome.stats.retries} retries, ${seconds} s).`,
      );
  } finally {
    await prepared.close();
  }
} catch (error) {
  exitOnError(error);
}
