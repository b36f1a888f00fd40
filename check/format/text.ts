// The report for a terminal: findings grouped by severity, each with where, why and how to fix.
import { countOf, type Report } from '../run.js';
import type { Finding, RuleMeta, Severity } from '../types.js';

const colors: Record<Severity | 'waived' | 'dim', string> = {
  error: '\u001b[31m',
  warning: '\u001b[33m',
  info: '\u001b[36m',
  waived: '\u001b[90m',
  dim: '\u001b[2m',
};
const reset = '\u001b[0m';

export function placeOf(finding: Finding): string {
  const { file, line } = finding.location;
  if (!file) return finding.resource;
  return line ? `${file}:${line}` : file;
}

export function formatCheckText(report: Report, options: { color: boolean }): string {
  const paint = (kind: keyof typeof colors, text: string) =>
    options.color ? `${colors[kind]}${text}${reset}` : text;
  const rules = new Map<string, RuleMeta>(report.rules.map((rule) => [rule.id, rule]));
  const lines = [
    `Tenant checks — ${report.source === 'live' ? 'live tenant' : 'tenant.yaml'}, env ${report.env}`,
  ];
  for (const finding of report.findings) {
    const rule = rules.get(finding.ruleId);
    const label = finding.waived
      ? paint('waived', `waived ${finding.severity}`)
      : paint(finding.severity, finding.severity);
    lines.push(
      '',
      `${label} ${finding.ruleId} ${placeOf(finding)}`,
      `  ${finding.resource}: ${finding.message}`,
    );
    if (finding.waived)
      lines.push(
        paint('dim', `  waived until ${finding.waived.expires}: ${finding.waived.reason}`),
      );
    else if (rule && finding.severity !== 'info') {
      lines.push(paint('dim', `  why: ${rule.why}`));
      lines.push(paint('dim', `  fix: ${rule.fix} (${rule.docs})`));
    }
  }
  const waived = report.findings.filter((finding) => finding.waived).length;
  lines.push(
    '',
    `${countOf(report, 'error')} errors, ${countOf(report, 'warning')} warnings, ${countOf(report, 'info')} notes` +
      (waived ? `, ${waived} waived` : '') +
      ` (${report.rules.length} rules)`,
  );
  return `${lines.join('\n')}\n`;
}
