// `--format markdown`: a PR comment — one summary line, then a collapsible block per resource.
import { summarize, type Plan } from '../plan/plan.js';
import { actionSymbol, basisNote, displayLines } from './values.js';

export function formatMarkdown(
  plan: Pick<Plan, 'target' | 'changes' | 'pendingDeletes' | 'warnings' | 'basis'>,
): string {
  const summary = summarize(plan);
  const lines: string[] = [];
  const tenant = `\`${plan.target.domain}\` (env \`${plan.target.env}\`)`;
  if (plan.changes.length === 0 && plan.pendingDeletes.length === 0) {
    const note = basisNote(plan);
    lines.push(
      `**Tenant plan for ${tenant}: no changes.**${note ? ` _(${escapeHtml(note)})_` : ''}`,
    );
  } else {
    lines.push(
      `**Tenant plan for ${tenant}: ${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete${summary.pendingDeletes ? `, ${summary.pendingDeletes} deletion(s) held back` : ''}.**`,
    );
  }
  for (const change of plan.changes) {
    lines.push('');
    lines.push(
      `<details><summary><code>${actionSymbol[change.action]}</code> ${change.action} ${change.type} <b>${escapeHtml(change.key)}</b> (${change.fields.length} field${change.fields.length === 1 ? '' : 's'})</summary>`,
    );
    lines.push('');
    lines.push('| field | before | after |');
    lines.push('| --- | --- | --- |');
    for (const field of change.fields)
      for (const line of displayLines(change.action, field, 200))
        lines.push(`| \`${line.path}\` | ${cell(line.before)} | ${cell(line.after)} |`);
    lines.push('');
    lines.push('</details>');
  }
  if (plan.pendingDeletes.length > 0) {
    lines.push('');
    lines.push(
      'Held back (created by this repository, no longer in the config; needs `--allow-delete`):',
    );
    for (const pending of plan.pendingDeletes)
      lines.push(`- ${pending.type} **${escapeHtml(pending.key)}**`);
  }
  for (const warning of plan.warnings) lines.push('', `> ⚠️ ${escapeHtml(warning)}`);
  return `${lines.join('\n')}\n`;
}

function cell(rendered: string | undefined): string {
  return rendered === undefined ? '' : `<code>${escapeHtml(rendered).replace(/\|/g, '\\|')}</code>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
