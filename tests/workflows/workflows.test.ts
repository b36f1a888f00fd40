// The GitHub workflows are code too: valid YAML, the structure the README promises (triggers, least-privilege
// permissions, one concurrency group per tenant, environments), and only scripts and files that exist.
import { describe, expect, it } from 'vitest';
import {
  environmentName,
  loadWorkflow,
  needsList,
  npmRunScriptNames,
  packageScripts,
  repoFileExists,
  scriptFileArguments,
  workflowFileNames,
  type Job,
  type WorkflowFile,
} from './workflow-files.js';

const TENANT_SECRETS = [
  'AUTH0_DOMAIN',
  'AUTH0_CLIENT_ID',
  'AUTH0_CLIENT_SECRET',
  'RESOURCE_SERVER_PRIVATE_KEY',
];
const TENANTS = ['dev', 'staging', 'prod'];

const workflows = workflowFileNames().map(loadWorkflow);
const byFile = (file: string): WorkflowFile => {
  const found = workflows.find((workflow) => workflow.file === file);
  if (!found) throw new Error(`.github/workflows/${file} is missing`);
  return found;
};
const runText = (job: Job): string => job.steps.map((step) => step.run ?? '').join('\n');
const matrixTenants = (job: Job): unknown => job.strategy?.matrix['tenant'];

describe('workflow files', () => {
  it('has the three tenant workflows', () => {
    expect(workflowFileNames().sort()).toEqual(
      expect.arrayContaining(['deploy.yml', 'drift.yml', 'tenant-diff.yml']),
    );
  });

  it.each(workflowFileNames())(
    '%s: pins every action to a full commit SHA with the release in a comment',
    (file) => {
      const usesLines = byFile(file)
        .text.split('\n')
        .filter((line) => /^\s*-?\s*uses:/.test(line));
      expect(usesLines.length).toBeGreaterThan(0);
      for (const line of usesLines) {
        expect(line, line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$/);
      }
    },
  );

  it.each(workflowFileNames())(
    '%s: read-only by default; a job widens permissions only where it must',
    (file) => {
      const { workflow } = byFile(file);
      expect(workflow.permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const writes = Object.entries(typeof job.permissions === 'object' ? job.permissions : {})
          .filter(([, level]) => level === 'write')
          .map(([scope]) => scope);
        expect(job.permissions, `${file} ${name}`).not.toBe('write-all');
        // Only the PR-comment job writes to pull requests, and the check job uploads code-scanning results.
        const allowed: Record<string, string[]> = {
          comment: ['pull-requests'],
          check: ['security-events'],
        };
        expect(writes, `${file} ${name}`).toEqual(
          file === 'tenant-diff.yml' ? (allowed[name] ?? []) : [],
        );
      }
    },
  );

  it.each(workflowFileNames())(
    '%s: sets up Node with the npm cache and installs with npm ci before npm run',
    (file) => {
      for (const [name, job] of Object.entries(byFile(file).workflow.jobs)) {
        const runs = runText(job);
        if (!/npm run/.test(runs)) continue;
        const setupNode = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
        expect(setupNode?.with, `${file} ${name}`).toMatchObject({
          cache: 'npm',
          'node-version': '20',
        });
        expect(runs.indexOf('npm ci'), `${file} ${name}`).toBeGreaterThanOrEqual(0);
        expect(runs.indexOf('npm ci')).toBeLessThan(runs.indexOf('npm run'));
        const checkout = job.steps.find((step) => step.uses?.startsWith('actions/checkout@'));
        expect(checkout?.with?.['persist-credentials'], `${file} ${name}`).toBe(false);
      }
    },
  );

  it.each(workflowFileNames())(
    '%s: every `npm run X` is a package.json script whose files exist',
    (file) => {
      const scripts = packageScripts();
      const called = Object.values(byFile(file).workflow.jobs).flatMap((job) =>
        npmRunScriptNames(runText(job)),
      );
      expect(called.length).toBeGreaterThan(0);
      for (const name of called) {
        expect(Object.keys(scripts), `${file} runs npm run ${name}`).toContain(name);
        for (const path of scriptFileArguments(scripts[name] ?? '')) {
          expect(repoFileExists(path), `package.json script "${name}" runs ${path}`).toBe(true);
        }
      }
    },
  );

  it.each(workflowFileNames())('%s: files required by inline scripts exist', (file) => {
    for (const [, path] of byFile(file).text.matchAll(/require\('\.\/([^']+)'\)/g)) {
      expect(repoFileExists(path ?? ''), `${file} requires ./${path}`).toBe(true);
    }
  });

  it.each(workflowFileNames())(
    '%s: jobs that talk to a tenant get its credentials from environment secrets',
    (file) => {
      for (const [name, job] of Object.entries(byFile(file).workflow.jobs)) {
        const tenantStep = job.steps.find((step) =>
          /npm run (--silent )?(deploy|diff)\b/.test(step.run ?? ''),
        );
        if (!tenantStep) continue;
        expect(environmentName(job), `${file} ${name} needs an environment`).toBeDefined();
        for (const secret of TENANT_SECRETS) {
          expect(tenantStep.env?.[secret], `${file} ${name} ${secret}`).toBe(
            `\${{ secrets.${secret} }}`,
          );
        }
      }
    },
  );
});

describe('tenant-diff.yml', () => {
  const { workflow } = byFile('tenant-diff.yml');

  it('runs on pull requests and supersedes the plan of an older push', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.concurrency).toEqual({
      group: 'tenant-diff-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true,
    });
  });

  it('checks every env without tenant secrets and uploads the SARIF to code scanning', () => {
    const check = workflow.jobs['check'];
    expect(check).toBeDefined();
    expect(JSON.stringify(check)).not.toContain('secrets.');
    const run = check!.steps.map((step) => step.run ?? '').join('\n');
    expect(run).toContain(
      'npm run --silent check -- --all-envs --format sarif > tenant-check.sarif',
    );
    const upload = check!.steps.find((step) =>
      step.uses?.startsWith('github/codeql-action/upload-sarif@'),
    );
    expect(upload?.with).toMatchObject({ sarif_file: 'tenant-check.sarif' });
  });

  it('plans every tenant with the markdown format, read-only environments, and treats exit 2 as "changes"', () => {
    const plan = workflow.jobs['plan'];
    expect(plan).toBeDefined();
    expect(matrixTenants(plan!)).toEqual(TENANTS);
    expect(environmentName(plan!)).toBe('${{ matrix.tenant }}-plan');
    const run = runText(plan!);
    expect(run).toContain('npm run --silent diff -- --env "$TENANT" --format markdown');
    expect(run).toMatch(/"\$status" -ne 0 \] && \[ "\$status" -ne 2/);
    for (const tenant of TENANTS)
      expect(repoFileExists(`tenant/env/${tenant}.json`), `tenant/env/${tenant}.json`).toBe(true);
  });

  it('comments from a separate job that holds no tenant secret and skips fork PRs', () => {
    const comment = workflow.jobs['comment'];
    expect(comment).toBeDefined();
    expect(needsList(comment!)).toEqual(['plan']);
    expect(comment!.if).toContain('always()');
    expect(comment!.if).toContain(
      'github.event.pull_request.head.repo.full_name == github.repository',
    );
    expect(JSON.stringify(comment)).not.toContain('secrets.');
    expect(comment!.steps.some((step) => step.uses?.startsWith('actions/github-script@'))).toBe(
      true,
    );
  });
});

describe('deploy.yml', () => {
  const { workflow } = byFile('deploy.yml');

  it('runs on pushes to main (and by hand)', () => {
    expect(workflow.on['push']).toMatchObject({ branches: ['main'] });
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
  });

  it('deploys dev, then staging, then prod, each in its own environment with --yes', () => {
    expect(Object.keys(workflow.jobs)).toEqual(TENANTS);
    expect(needsList(workflow.jobs['dev']!)).toEqual([]);
    expect(needsList(workflow.jobs['staging']!)).toEqual(['dev']);
    expect(needsList(workflow.jobs['prod']!)).toEqual(['staging']);
    for (const tenant of TENANTS) {
      const job = workflow.jobs[tenant]!;
      expect(environmentName(job)).toBe(tenant);
      expect(runText(job)).toContain(`npm run deploy -- --env ${tenant} --yes`);
      expect(repoFileExists(`tenant/env/${tenant}.json`), `tenant/env/${tenant}.json`).toBe(true);
    }
  });

  it('never runs two deploys of one tenant at once, and never cancels a running deploy', () => {
    const groups = TENANTS.map((tenant) => {
      const concurrency = workflow.jobs[tenant]!.concurrency;
      expect(concurrency).toEqual({ group: `auth0-tenant-${tenant}`, 'cancel-in-progress': false });
      return typeof concurrency === 'object' ? concurrency.group : concurrency;
    });
    expect(new Set(groups).size).toBe(TENANTS.length);
  });
});

describe('drift.yml', () => {
  const { workflow } = byFile('drift.yml');

  it('runs on a schedule (and by hand)', () => {
    const schedule = workflow.on['schedule'] as { cron: string }[];
    expect(schedule).toHaveLength(1);
    expect(schedule[0]!.cron.split(' ')).toHaveLength(5);
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
  });

  it('plans every tenant and fails the run on exit 2 (drift)', () => {
    const drift = workflow.jobs['drift']!;
    expect(matrixTenants(drift)).toEqual(TENANTS);
    expect(drift.strategy?.['fail-fast']).toBe(false);
    expect(environmentName(drift)).toBe('${{ matrix.tenant }}-plan');
    expect(drift.concurrency).toEqual({
      group: 'auth0-tenant-drift-${{ matrix.tenant }}',
      'cancel-in-progress': false,
    });
    const run = runText(drift);
    // --refresh: the daily check reads the whole tenant rather than trusting the deploy checkpoint and tenant logs.
    expect(run).toContain('npm run --silent diff -- --env "$TENANT" --refresh --format markdown');
    expect(run).toMatch(/2\) echo "::error::[^"]*drifted[^"]*"; exit 1/);
  });
});
