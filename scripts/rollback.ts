// npm run rollback [-- --env <name>] [--to <release>] [--yes] [--allow-delete] [--actions-only]
// Goes back to a recorded release: plans from that release's commit (a temporary git worktree), shows the plan as
// `npm run diff` does, asks, applies, verifies, and records the rollback as a release.
import {
  defineCommand,
  envNameProblem,
  exitWithUsageError,
  parseCommandLineOrExit,
} from '../lib/cli-args.js';
import { loadDotEnv } from '../lib/env.js';
import { targetEnvOption } from '../deploy/cli-options.js';
import { exitOnError, progress, renderPlan } from '../deploy/cli.js';
import {
  applyActionsOnly,
  describeStep,
  planActionsOnly,
} from '../deploy/releases/actions-only.js';
import { chooseRelease, shortCommit } from '../deploy/releases/choose.js';
import { confirm, connectTarget } from '../deploy/releases/cli.js';
import { ReleaseError } from '../deploy/releases/errors.js';
import { readDeployClientMetadata } from '../deploy/releases/history.js';
import { readReleases } from '../deploy/releases/store.js';
import { applyRollback, describeActionReturn, planRollback } from '../deploy/releases/rollback.js';
import { repositoryRoot, requireCommit, withWorktree } from '../deploy/releases/worktree.js';

const command = defineCommand({
  command: 'npm run rollback --',
  name: 'rollback',
  summary:
    'Rolls the target tenant back to a recorded release (default: the one before the current state). Plans from\n' +
    "that release's commit in a temporary git worktree, shows the plan like npm run diff, asks, applies and\n" +
    "verifies. Actions whose build matches the release's version go back through Auth0's versions API (no build).",
  options: {
    env: targetEnvOption,
    to: {
      type: 'string',
      value: '<release>',
      description: 'a release number (npm run releases) or a commit prefix',
    },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'apply without asking (required without a terminal)',
    },
    'allow-delete': {
      type: 'boolean',
      description: 'delete resources this repository created that the release does not have',
    },
    'actions-only': {
      type: 'boolean',
      description:
        "emergency: only redeploy the release's Action versions (no git, no build, seconds)",
    },
  },
  examples: [
    'npm run rollback -- --env prod',
    'npm run rollback -- --env prod --to 12 --yes',
    'npm run rollback -- --env prod --actions-only --yes',
  ],
  notes: [
    'Exit codes: 0 = rolled back and verified (or nothing to do), 1 = error or refused, 2 = usage error\n' +
      '(an unknown option or --to, or no terminal to ask and no --yes).',
  ],
});

const started = Date.now();
const seconds = (): string => ((Date.now() - started) / 1000).toFixed(1);

try {
  const { values } = parseCommandLineOrExit(command);
  const envProblem = envNameProblem(values.env);
  if (envProblem) exitWithUsageError(command, envProblem);
  loadDotEnv();
  const tenant = await connectTarget(values.env, progress);
  const context = {
    mgmt: tenant.mgmt,
    deployClientId: tenant.target.clientId,
    progress,
  };
  try {
    const metadata = await readDeployClientMetadata(context);
    const release = chooseRelease(readReleases(metadata), values.to, tenant.target.domain);
    const what = `${tenant.target.domain} (env ${values.env}) to release #${release.number} (${release.kind}, commit ${shortCommit(release)}, ${release.at})`;
    if (values['actions-only']) {
      const steps = await planActionsOnly(context, release);
      process.stdout.write(`Actions-only rollback of ${what}:\n`);
      for (const step of steps) process.stdout.write(`${describeStep(step)}\n`);
      const moving = steps.filter((step) => step.versionId).length;
      if (moving === 0) progress(`Nothing to redeploy (${seconds()} s).`);
      else {
        await confirm(
          `Redeploy ${moving} Action version(s) on ${tenant.target.domain}?`,
          values.yes,
        );
        const outcome = await applyActionsOnly(
          context,
          steps,
          release,
          { env: values.env, metadata },
          progress,
        );
        progress(
          `Rolled back ${outcome.moved} Action(s) to release #${release.number}` +
            `${outcome.recorded ? `, recorded as release #${outcome.recorded.number}` : ''} ` +
            `(${tenant.stats.reads} reads, ${tenant.stats.writes} writes, ${tenant.stats.tokens} token request, ${seconds()} s).`,
        );
      }
      const problems = steps.filter((step) => step.problem).length;
      process.exitCode = problems > 0 ? 1 : 0;
    } else {
      const root = repositoryRoot(process.cwd());
      if (!release.commit)
        throw new ReleaseError(
          `release #${release.number} was deployed outside a git checkout: there is no commit to rebuild it from (--actions-only still redeploys its Action versions)`,
        );
      requireCommit(root, release.commit, `release #${release.number}`);
      await withWorktree(root, release.commit, async (dir) => {
        progress(`checked out ${release.commit} in a temporary worktree; building its Actions`);
        const plan = await planRollback(
          {
            env: values.env,
            target: tenant.target,
            allowDelete: values['allow-delete'],
            log: progress,
          },
          release,
          dir,
        );
        try {
          process.stdout.write(`Rollback of ${what}\n`);
          for (const note of plan.notes) process.stdout.write(`note: ${note}\n`);
          process.stdout.write(renderPlan(plan.prepared.plan, 'text'));
          for (const entry of plan.actions)
            process.stdout.write(`  ${describeActionReturn(entry)}\n`);
          if (plan.prepared.plan.changes.length > 0)
            await confirm(
              `Roll back ${tenant.target.domain} to release #${release.number}?`,
              values.yes,
            );
          const outcome = await applyRollback(plan, {
            allowDelete: values['allow-delete'],
            log: progress,
          });
          for (const entry of plan.actions.filter((e) => e.how === 'version'))
            progress(describeActionReturn(entry));
          const stats = plan.prepared.stats;
          const counts = `${stats.reads + tenant.stats.reads} reads, ${stats.writes} writes, ${seconds()} s`;
          if (!outcome.result.verified) {
            progress(`Applied ${outcome.result.applied} change(s), but the tenant still differs:`);
            for (const change of outcome.result.remaining)
              progress(
                `  ${change.action} ${change.type} "${change.key}": ${change.fields.map((f) => f.path).join(', ')}`,
              );
            process.exitCode = 1;
            return;
          }
          progress(
            `Rolled back to release #${release.number}: ${outcome.result.applied} change(s) applied and verified` +
              `${outcome.release ? `, recorded as release #${outcome.release.number}` : ''} (${counts}).`,
          );
        } finally {
          await plan.prepared.close();
        }
      });
    }
  } finally {
    await tenant.close();
  }
} catch (error) {
  if (error instanceof ReleaseError) {
    process.stderr.write(`rollback: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  exitOnError(error);
}
