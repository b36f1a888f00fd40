// The report for scripts: stable keys, one object.
import { countOf, passes, type Report } from '../run.js';

export function formatCheckJson(report: Report): string {
  return `${JSON.stringify(
    {
      env: report.env,
      source: report.source,
      passed: passes(report),
      counts: {
        error: countOf(report, 'error'),
        warning: countOf(report, 'warning'),
        info: countOf(report, 'info'),
        waived: report.findings.filter((finding) => finding.waived).length,
      },
      findings: report.findings,
    },
    null,
    2,
  )}\n`;
}
