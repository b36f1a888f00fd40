// Terminal output: terraform-like, colours only when writing to a TTY (and NO_COLOR unset).
import { summarize, type Plan } from '../plan/plan.js';
import { actionSymbol, basisNote, displayLines } from './values.js';

type Paint = (code: number, text: string) => string;

export function formatText(
  plan: Pick<Plan, 'target' | 'changes' | 'pendingDeletes' | 'warnings' | 'basis'>,
  options: { color: boolean },
): string {
  const paint: Paint = options.color
    ? (code, text) => `\u001b[${code}m${text}\u001b[0m`
    : (_code, text) => text;
  const colorOf = { create: 32, update: 33, delete: 31 } as const;
  const lines: string[] = [];
  lines.push(
    paint(
      1,
      `Plan for tenant ${plan.target.domain} (env: ${plan.target.env}${plan.target.source === 'local-tenant' ? ', local tenant' : ''})`,
    ),
  );
  const note = basisNote(plan);
  if (note) lines.push(paint(2, note.charAt(0).toUpperCase() + note.slice(1)));
  if (plan.changes.length > 0) lines.push('');
  for (const change of plan.changes) {
    lines.push(
      paint(
        colorOf[change.action],
        `${actionSymbol[change.action]} ${change.action} ${change.type} "${change.key}"`,
      ) + (change.id && change.id !== change.key ? paint(2, ` (${change.id})`) : ''),
    );
    for (const field of change.fields)
      for (const line of displayLines(change.action, field, 120)) {
        if (line.kind === 'set') lines.push(`    ${line.path}: ${line.after}`);
        else if (line.kind === 'unset') lines.push(paint(2, `    ${line.path}: ${line.before}`));
        else if (line.kind === 'added')
          lines.push(`    ${line.path}: ${paint(32, `+ ${line.after}`)}`);
        else if (line.kind === 'removed')
          lines.push(`    ${line.path}: ${paint(31, `- ${line.before}`)}`);
        else lines.push(`    ${line.path}: ${line.before} ${paint(1, '→')} ${line.after}`);
      }
  }
  if (plan.pendingDeletes.length > 0) {
    lines.push('');
    lines.push(
      paint(
        31,
        'Created by this repository but no longer in the config (deleted only with --allow-delete):',
      ),
    );
    for (const pending of plan.pendingDeletes)
      lines.push(`  - ${pending.type} "${pending.key}" (${pending.id})`);
  }
  for (const warning of plan.warnings) lines.push(paint(33, `warning: ${warning}`));
  const summary = summarize(plan);
  lines.push('');
  lines.push(
    plan.changes.length === 0 && plan.pendingDeletes.length === 0
      ? paint(32, 'No changes. The tenant matches the config.')
      : `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete${summary.pendingDeletes ? `, ${summary.pendingDeletes} deletion(s) held back` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
