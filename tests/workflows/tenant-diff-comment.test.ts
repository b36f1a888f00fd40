// The PR comment script: one comment per PR, found again by its hidden marker and updated in place.
// GitHub is unreachable here, so the REST client is an in-memory stand-in with Octokit's method shapes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Comment {
  id: number;
  body: string;
  user: { type: 'Bot' | 'User' };
}
interface Plan {
  tenant: string;
  markdown: string;
  exitCode: number | undefined;
}
interface CommentScript {
  MARKER: string;
  buildCommentBody(plans: Plan[], runUrl: string): string;
  upsertTenantDiffComment(args: {
    github: unknown;
    context: unknown;
    plansDir: string;
    tenants: string[];
  }): Promise<{ action: 'created' | 'updated'; id: number }>;
}

const script = createRequire(import.meta.url)(
  '../../.github/scripts/tenant-diff-comment.cjs',
) as CommentScript;

/** Issue comments of one PR, with the four Octokit calls the script uses. */
function fakeGitHub(existing: Comment[]) {
  const comments = [...existing];
  let nextId = 1000;
  const rest = {
    issues: {
      listComments: async (_args: { issue_number: number }) => ({ data: comments }),
      createComment: async ({ body }: { body: string }) => {
        const comment: Comment = { id: nextId++, body, user: { type: 'Bot' } };
        comments.push(comment);
        return { data: comment };
      },
      updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
        const comment = comments.find((candidate) => candidate.id === comment_id);
        if (!comment) throw new Error(`no comment ${comment_id}`);
        comment.body = body;
        return { data: comment };
      },
    },
  };
  const paginate = async (
    method: (args: { issue_number: number }) => Promise<{ data: Comment[] }>,
    args: { issue_number: number },
  ) => (await method(args)).data;
  return { github: { rest, paginate }, comments };
}

const context = {
  repo: { owner: 'bank', repo: 'tenant' },
  payload: { pull_request: { number: 7 } },
  serverUrl: 'https://github.com',
  runId: 42,
};
const plansDir = mkdtempSync(join(tmpdir(), 'plans-'));
afterAll(() => rmSync(plansDir, { recursive: true, force: true }));

function writePlan(tenant: string, markdown: string, exitCode: number) {
  mkdirSync(join(plansDir, `plan-${tenant}`), { recursive: true });
  writeFileSync(join(plansDir, `plan-${tenant}`, 'plan.md'), markdown);
  writeFileSync(join(plansDir, `plan-${tenant}`, 'exit-code'), `${exitCode}\n`);
}

describe('tenant-diff PR comment', () => {
  it('creates one comment, then updates it instead of adding another; leaves other comments alone', async () => {
    const humanQuotingMarker: Comment = {
      id: 1,
      body: `look: ${script.MARKER}`,
      user: { type: 'User' },
    };
    const { github, comments } = fakeGitHub([humanQuotingMarker]);
    writePlan('dev', '1 to update', 2);
    writePlan('prod', 'No changes.', 0);

    const first = await script.upsertTenantDiffComment({
      github,
      context,
      plansDir,
      tenants: ['dev', 'staging', 'prod'],
    });
    expect(first.action).toBe('created');
    expect(comments).toHaveLength(2);
    const ours = comments.find((comment) => comment.id === first.id)!;
    expect(ours.body.startsWith(script.MARKER)).toBe(true);
    expect(ours.body).toContain('### dev: changes\n\n1 to update');
    expect(ours.body).toContain('### staging: plan did not run');
    expect(ours.body).toContain('### prod: no changes');
    expect(ours.body).toContain('https://github.com/bank/tenant/actions/runs/42');

    writePlan('dev', 'No changes.', 0);
    const second = await script.upsertTenantDiffComment({
      github,
      context,
      plansDir,
      tenants: ['dev', 'staging', 'prod'],
    });
    expect(second).toEqual({ action: 'updated', id: first.id });
    expect(comments).toHaveLength(2);
    expect(ours.body).toContain('### dev: no changes');
    expect(humanQuotingMarker.body).toBe(`look: ${script.MARKER}`);
  });

  it("names a failed plan and keeps the body under GitHub's size limit", () => {
    const body = script.buildCommentBody(
      [{ tenant: 'prod', markdown: 'x'.repeat(70_000), exitCode: 1 }],
      'https://github.com/bank/tenant/actions/runs/1',
    );
    expect(body).toContain('### prod: plan failed (exit 1');
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain('truncated');
  });
});
