// Builds the tenant-diff PR comment from the plan artifacts and creates it once, then updates it in place:
// the hidden marker identifies our comment among everyone else's. Run by actions/github-script (CommonJS).
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: github-script require()s it */
const fs = require('node:fs');
const path = require('node:path');

const MARKER = '<!-- auth0-tenant-as-code:tenant-diff -->';
// GitHub rejects comment bodies above 65,536 characters; keep room for the truncation note.
const MAX_BODY_CHARS = 60_000;

/** Reads `<plansDir>/plan-<tenant>/{plan.md,exit-code}` as written by the plan jobs. */
function readPlan(plansDir, tenant) {
  const dir = path.join(plansDir, `plan-${tenant}`);
  const read = (name) => {
    const file = path.join(dir, name);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  const exitCode = read('exit-code');
  return {
    tenant,
    markdown: read('plan.md') ?? '',
    exitCode: exitCode === undefined ? undefined : Number(exitCode.trim()),
  };
}

function describe(plan) {
  if (plan.exitCode === 0) return 'no changes';
  if (plan.exitCode === 2) return 'changes';
  if (plan.exitCode === undefined) return 'plan did not run (see the workflow run)';
  return `plan failed (exit ${plan.exitCode}, see the workflow run)`;
}

function buildCommentBody(plans, runUrl) {
  const sections = plans.map(
    (plan) => `### ${plan.tenant}: ${describe(plan)}\n\n${plan.markdown.trim()}\n`,
  );
  let body = [
    MARKER,
    '## Tenant diff',
    `Plan of this PR against each tenant ([workflow run](${runUrl})).`,
    ...sections,
  ].join('\n\n');
  if (body.length > MAX_BODY_CHARS) {
    body = `${body.slice(0, MAX_BODY_CHARS)}\n\n…truncated: the full plans are in the run's artifacts.`;
  }
  return body;
}

async function upsertTenantDiffComment({ github, context, plansDir, tenants }) {
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const runUrl = `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const body = buildCommentBody(
    tenants.map((tenant) => readPlan(plansDir, tenant)),
    runUrl,
  );
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number,
    per_page: 100,
  });
  const ours = comments.find(
    (comment) => comment.user?.type === 'Bot' && comment.body?.includes(MARKER),
  );
  if (ours) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
    return { action: 'updated', id: ours.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: 'created', id: created.data.id };
}

module.exports = { MARKER, buildCommentBody, readPlan, upsertTenantDiffComment };
