// The checks inside `npm run diff` and `npm run deploy`: the same rules as `npm run check` on the same files,
// shown above the plan; a deploy with an unwaived error finding stops before its first request.
import { dirname, relative, resolve } from 'node:path';
import type { DesiredState } from '../deploy/config/load.js';
import { checkInputOf } from './desired.js';
import { formatCheckMarkdown } from './format/markdown.js';
import { placeOf } from './format/text.js';
import { rules } from './rules/index.js';
import { countOf, passes, runChecks, type Report } from './run.js';
import { loadWaivers } from './waivers.js';

export class ChecksFailed extends Error {
  constructor(readonly report: Report) {
    super(
      `Tenant checks found ${countOf(report, 'error')} error(s) — nothing was sent to the tenant. ` +
        'Fix them, or accept one with a reason and an expiry in tenant/check-waivers.yaml (docs/checks.md).',
    );
  }
}

/** The checks on a desired state the deploy or diff already loaded (with the target's real values). */
export function checkLoadedConfiguration(
  desired: DesiredState,
  tenantFile: string,
  env: string,
): Report {
  const tenantPath = resolve(tenantFile);
  const envPath = resolve(dirname(tenantPath), 'env', `${env}.json`);
  const input = checkInputOf(desired, env, tenantPath, envPath);
  return runChecks(input, rules, waiversBeside(tenantFile));
}

function waiversBeside(tenantFile: string) {
  const waiversPath = resolve(dirname(resolve(tenantFile)), 'check-waivers.yaml');
  return loadWaivers(waiversPath, relative(process.cwd(), waiversPath));
}

/** Throws ChecksFailed when an unwaived error finding remains. */
export function requirePassingChecks(report: Report): void {
  if (!passes(report)) throw new ChecksFailed(report);
}

/** Where the summary goes: above the plan on stdout, or on stderr when stdout must stay one JSON document. */
export function checksOutput(
  report: Report,
  format: 'text' | 'markdown' | 'json',
): { stdout: string; stderr: string } {
  const summary = formatChecksSummary(report, format);
  return format === 'json' ? { stdout: '', stderr: summary } : { stdout: summary, stderr: '' };
}

/** The findings that matter above a plan: errors and warnings, one line each, or one line saying all is well. */
function formatChecksSummary(report: Report, format: 'text' | 'markdown' | 'json'): string {
  if (format === 'markdown') return `${formatCheckMarkdown(report)}\n`;
  const open = report.findings.filter((finding) => !finding.waived && finding.severity !== 'info');
  const waived = report.findings.filter((finding) => finding.waived).length;
  const head = `Tenant checks: ${countOf(report, 'error')} errors, ${countOf(report, 'warning')} warnings${waived ? `, ${waived} waived` : ''} (npm run check -- --env ${report.env} for details)`;
  return (
    [
      head,
      ...open.map(
        (finding) =>
          `  ${finding.severity} ${finding.ruleId} ${placeOf(finding)}: ${finding.resource}: ${finding.message}`,
      ),
    ].join('\n') + '\n'
  );
}
