// The report for scripts: stable keys, one object.
import { countOf, passes, type Report } from '../run.js';

export function formatCheckJson(report: Report): string {
  return `${JSON.stringify(checkJsonReport(report), null, 2)}\n`;
}

/** The report as an object (several reports print as one array). */
export function checkJsonReport(report: Report) {
  return {
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
  };
}
