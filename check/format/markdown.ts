// The report for a pull-request comment (it goes above the plan).
import { countOf, type Report } from '../run.js';
import type { RuleMeta } from '../types.js';
import { placeOf } from './text.js';

const icons = { error: '⛔', warning: '⚠️', info: 'ℹ️' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatCheckMarkdown(report: Report): string {
  const rules = new Map<string, RuleMeta>(report.rules.map((rule) => [rule.id, rule]));
  const errors = countOf(report, 'error');
  const warnings = countOf(report, 'warning');
  const heading = `### Tenant checks (${report.env}): ${errors} errors, ${warnings} warnings`;
  const open = report.findings.filter((finding) => !finding.waived && finding.severity !== 'info');
  const lines = [heading, ''];
  if (open.length === 0) lines.push('No errors or warnings.');
  else {
    lines.push('| | rule | where | finding | fix |', '| --- | --- | --- | --- | --- |');
    for (const finding of open) {
      const rule = rules.get(finding.ruleId);
      const ruleLink = rule ? `[${finding.ruleId}](${rule.docs})` : finding.ruleId;
      lines.push(
        `| ${icons[finding.severity]} | ${ruleLink} | \`${cell(placeOf(finding))}\` | ${cell(`${finding.resource}: ${finding.message}`)} | ${cell(rule?.fix ?? '')} |`,
      );
    }
  }
  const rest = report.findings.filter((finding) => finding.waived || finding.severity === 'info');
  if (rest.length > 0) {
    lines.push('', `<details><summary>${rest.length} notes and waived findings</summary>`, '');
    for (const finding of rest)
      lines.push(
        `- ${finding.waived ? `waived until ${finding.waived.expires}` : 'note'}: \`${finding.ruleId}\` ${cell(finding.resource)}: ${cell(finding.message)}` +
          (finding.waived ? ` — ${cell(finding.waived.reason)}` : ''),
      );
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
