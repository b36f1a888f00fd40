// Output formats on a plain plan: stable JSON schema, markdown for PR comments, colour only when asked.
import { describe, expect, it } from 'vitest';
import { toJsonPlan } from '../../deploy/format/json.js';
import { formatMarkdown } from '../../deploy/format/markdown.js';
import { formatText } from '../../deploy/format/text.js';
import type { Plan } from '../../deploy/plan/plan.js';

const plan: Pick<Plan, 'target' | 'changes' | 'pendingDeletes' | 'warnings'> = {
  target: { domain: 'bank-dev.eu.auth0.com', env: 'dev', source: 'environment' },
  changes: [
    {
      type: 'clients',
      key: 'Banking SPA',
      action: 'update',
      id: 'abc',
      fields: [{ path: 'callbacks', before: ['https://a'], after: ['https://b|c'] }],
    },
    {
      type: 'users',
      key: 'demo@example.com',
      action: 'create',
      fields: [{ path: 'password', before: undefined, after: '(sensitive)', sensitive: true }],
    },
  ],
  pendingDeletes: [{ type: 'clients', key: 'Old <app>', id: 'old' }],
  warnings: ['be careful'],
};

describe('formats', () => {
  it('json: schemaVersion 1 with nulls for absent values and explicit sensitivity', () => {
    expect(toJsonPlan(plan)).toEqual({
      schemaVersion: 1,
      target: plan.target,
      summary: { create: 1, update: 1, delete: 0, pendingDeletes: 1, changed: true },
      changes: [
        {
          type: 'clients',
          key: 'Banking SPA',
          action: 'update',
          id: 'abc',
          fields: [
            { path: 'callbacks', before: ['https://a'], after: ['https://b|c'], sensitive: false },
          ],
        },
        {
          type: 'users',
          key: 'demo@example.com',
          action: 'create',
          id: null,
          fields: [{ path: 'password', before: null, after: '(sensitive)', sensitive: true }],
        },
      ],
      pendingDeletes: plan.pendingDeletes,
      warnings: ['be careful'],
      basis: null,
    });
  });

  it('a plan resting on a checkpoint says so in every format', () => {
    const unchanged: Pick<Plan, 'target' | 'changes' | 'pendingDeletes' | 'warnings' | 'basis'> = {
      target: plan.target,
      changes: [],
      pendingDeletes: [],
      warnings: [],
      basis: {
        kind: 'checkpoint',
        verifiedAt: '2026-11-23T18:00:00.000Z',
        sinceLogId: '90000000000000000000000000000000000000000000000000000042',
      },
    };
    const note =
      'unchanged since verified deploy 2026-11-23T18:00:00.000Z (tenant logs since 90000000000000000000000000000000000000000000000000000042); --refresh for a full read';
    expect(formatText(unchanged, { color: false })).toContain(
      `Plan for tenant bank-dev.eu.auth0.com (env: dev)\nU${note.slice(1)}\n`,
    );
    expect(formatMarkdown(unchanged)).toContain(`no changes.** _(${note})_`);
    expect(toJsonPlan(unchanged)).toMatchObject({
      summary: { changed: false },
      basis: unchanged.basis,
    });
  });

  it('markdown: escapes table pipes and HTML in keys', () => {
    const markdown = formatMarkdown(plan);
    expect(markdown).toContain(
      '| `callbacks` | <code>["https://a"]</code> | <code>["https://b\\|c"]</code> |',
    );
    expect(markdown).toContain('**Old &lt;app&gt;**');
    expect(markdown).toContain('> ⚠️ be careful');
  });

  it('text: names tenant and env, colours only when asked', () => {
    const plain = formatText(plan, { color: false });
    expect(plain).toContain('Plan for tenant bank-dev.eu.auth0.com (env: dev)');
    expect(plain).toContain('    callbacks: ["https://a"] → ["https://b|c"]');
    expect(plain).not.toContain('\u001b[');
    expect(formatText(plan, { color: true })).toContain('\u001b[33m~ update clients "Banking SPA"');
  });
});
