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
            {
              path: 'callbacks',
              before: ['https://a'],
              after: ['https://b|c'],
              sensitive: false,
              elements: [
                { path: 'callbacks[]', kind: 'removed', before: 'https://a', after: null },
                { path: 'callbacks[]', kind: 'added', before: null, after: 'https://b|c' },
              ],
            },
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
    expect(markdown).toContain('| `callbacks[]` | <code>"https://a"</code> |  |');
    expect(markdown).toContain('| `callbacks[]` |  | <code>"https://b\\|c"</code> |');
    expect(markdown).toContain('**Old &lt;app&gt;**');
    expect(markdown).toContain('> ⚠️ be careful');
  });

  it('text: names tenant and env, colours only when asked', () => {
    const plain = formatText(plan, { color: false });
    expect(plain).toContain('Plan for tenant bank-dev.eu.auth0.com (env: dev)');
    expect(plain).toContain('    callbacks[]: - "https://a"\n    callbacks[]: + "https://b|c"');
    expect(plain).not.toContain('\u001b[');
    expect(formatText(plan, { color: true })).toContain('\u001b[33m~ update clients "Banking SPA"');
  });
});

// A reviewer must see every change: a lengthened scope description once printed identical before and after
// (both cut at 120 characters). Arrays are diffed by element, long values cut only around the difference.
describe('plans never hide a change', () => {
  const scopes = (description: string) => [
    { value: 'view:balance', description: 'Read the account balance' },
    { value: 'transfer:funds', description },
  ];
  const short = 'Move money (the step-up Actions require MFA for it)';
  const long = `${short}; and a fresh login no older than five minutes, as the banking API checks auth_time`;
  const scopePlan = (
    before: string,
    after: string,
  ): Pick<Plan, 'target' | 'changes' | 'pendingDeletes' | 'warnings'> => ({
    target: plan.target,
    changes: [
      {
        type: 'resourceServers',
        key: 'https://my-banking-api',
        action: 'update',
        id: 'rs',
        fields: [{ path: 'scopes', before: scopes(before), after: scopes(after) }],
      },
    ],
    pendingDeletes: [],
    warnings: [],
  });

  it('text and markdown show the changed scope, by its value, in full — and not the unchanged one', () => {
    const text = formatText(scopePlan(short, long), { color: false });
    const line = text.split('\n').find((entry) => entry.includes('transfer:funds'))!;
    const [before, after] = line.split(' → ') as [string, string];
    expect(before).toMatch(/^ {4}scopes\[transfer:funds\]\.description: .*require MFA for it\)"$/);
    expect(after).toMatch(/for it\); and a fresh login no older than five minutes, .* auth_time"$/);
    expect(before).not.toBe(after);
    expect(text).not.toContain('view:balance');
    const markdown = formatMarkdown(scopePlan(short, long));
    expect(markdown).toContain('| `scopes[transfer:funds].description` |');
    expect(markdown).toContain(`<code>${JSON.stringify(long)}</code>`);
    expect(markdown).not.toContain('view:balance');
  });

  it('a long value is cut only around the difference, so both sides differ on screen', () => {
    const head = 'x'.repeat(400);
    const text = formatText(scopePlan(`${head} old tail`, `${head} new tail`), { color: false });
    const line = text.split('\n').find((entry) => entry.includes('scopes[transfer:funds]'))!;
    const [before, after] = line.split(' → ');
    expect(before).toContain('old tail');
    expect(after).toContain('new tail');
    expect(line.length).toBeLessThan(200);
    for (const format of [formatMarkdown(scopePlan(`${head} old tail`, `${head} new tail`))]) {
      expect(format).toContain('old tail');
      expect(format).toContain('new tail');
    }
  });

  it('json lists each changed element next to the full before and after', () => {
    const json = toJsonPlan(scopePlan(short, long));
    expect(json.changes[0]!.fields[0]).toMatchObject({
      before: scopes(short),
      after: scopes(long),
      elements: [
        { path: 'scopes[transfer:funds].description', kind: 'changed', before: short, after: long },
      ],
    });
  });

  it('added and removed elements, nested keys and a pure reordering are each named', () => {
    const text = formatText(
      {
        ...scopePlan(short, short),
        changes: [
          {
            type: 'triggers',
            key: 'post-login',
            action: 'update',
            fields: [
              {
                path: 'bindings',
                before: [{ action_name: 'a' }, { action_name: 'b' }],
                after: [{ action_name: 'b' }, { action_name: 'a' }],
              },
              {
                path: 'scopes',
                before: scopes(short),
                after: [scopes(short)[0], { value: 'close:account', description: 'Close it' }],
              },
              {
                path: 'jwt_configuration',
                before: { alg: 'RS256', lifetime: 1 },
                after: { alg: 'HS256', lifetime: 1 },
              },
            ],
          },
        ],
      },
      { color: false },
    );
    expect(text).toContain('    bindings (order): ["a","b"] → ["b","a"]');
    expect(text).toContain(
      `    scopes[transfer:funds]: - {"value":"transfer:funds","description":${JSON.stringify(short)}}`,
    );
    expect(text).toContain(
      '    scopes[close:account]: + {"value":"close:account","description":"Close it"}',
    );
    expect(text).toContain('    jwt_configuration.alg: "RS256" → "HS256"');
    expect(text).not.toContain('lifetime');
  });

  it('a masked field still says that it changes, never its value', () => {
    const text = formatText(
      {
        ...scopePlan(short, short),
        changes: [
          {
            type: 'users',
            key: 'demo@example.com',
            action: 'update',
            fields: [
              { path: 'password', before: '(sensitive)', after: '(sensitive)', sensitive: true },
            ],
          },
        ],
      },
      { color: false },
    );
    expect(text).toContain('    password: "(sensitive)" → "(sensitive)"');
  });
});
