// docs/checks.md is the rule table users read: it must list every rule with its severity.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { rules } from '../../check/rules/index.js';

it('docs/checks.md lists every rule with its default severity', () => {
  const docs = readFileSync('docs/checks.md', 'utf8');
  const missing = rules.filter((rule) => !docs.includes(`| \`${rule.id}\` | ${rule.severity} |`));
  expect(missing.map((rule) => rule.id)).toEqual([]);
});
