// Runs the rules over one tenant, applies waivers and decides the outcome.
import type { CheckInput, Finding, Rule, RuleMeta, Severity } from './types.js';
import { isExpired, waiverApplies, type Waiver } from './waivers.js';

export interface Report {
  env: string;
  source: CheckInput['source'];
  findings: Finding[];
  rules: RuleMeta[];
}

const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export const waiverRules: Record<'expired' | 'unused', RuleMeta> = {
  expired: {
    id: 'waivers.expired',
    severity: 'error',
    area: 'waivers',
    title: 'Waivers are renewed before they expire',
    why: 'An expired waiver means an accepted risk is due for review; the finding it covered counts again.',
    fix: 'Fix the finding and remove the waiver, or review it and move its expires date.',
    docs: 'https://auth0.com/docs/secure/security-guidance',
  },
  unused: {
    id: 'waivers.unused',
    severity: 'info',
    area: 'waivers',
    title: 'Every waiver still matches a finding',
    why: 'A waiver that matches nothing would silently accept the next, unrelated finding of the same rule and resource.',
    fix: 'Remove the waiver.',
    docs: 'https://auth0.com/docs/secure/security-guidance',
  },
};

export function runChecks(
  input: CheckInput,
  rules: readonly Rule[],
  waivers: Waiver[] = [],
  today = new Date(),
): Report {
  const findings: Finding[] = rules.flatMap((rule) =>
    rule.run(input).map((hit) => ({
      ruleId: rule.id,
      severity: hit.severity ?? rule.severity,
      resource: hit.resource,
      message: hit.message,
      location: input.locate(hit.path),
    })),
  );
  const applicable = waivers.filter((waiver) => waiverApplies(waiver, input.env));
  const used = new Set<Waiver>();
  for (const finding of findings) {
    const waiver = applicable.find(
      (candidate) => candidate.rule === finding.ruleId && candidate.resource === finding.resource,
    );
    if (!waiver) continue;
    used.add(waiver);
    if (!isExpired(waiver, today))
      finding.waived = { reason: waiver.reason, expires: waiver.expires };
  }
  for (const waiver of applicable) {
    const location = { file: waiver.file, line: waiver.line };
    if (isExpired(waiver, today))
      findings.push({
        ruleId: waiverRules.expired.id,
        severity: 'error',
        resource: `waiver of ${waiver.rule} for ${waiver.resource}`,
        message: `expired on ${waiver.expires}`,
        location,
      });
    else if (!used.has(waiver))
      findings.push({
        ruleId: waiverRules.unused.id,
        severity: 'info',
        resource: `waiver of ${waiver.rule} for ${waiver.resource}`,
        message: 'matches no finding',
        location,
      });
  }
  findings.sort(
    (a, b) =>
      Number(Boolean(a.waived)) - Number(Boolean(b.waived)) ||
      order[a.severity] - order[b.severity] ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const metas: RuleMeta[] = [...rules, ...Object.values(waiverRules)].map(
    ({ id, severity, area, title, why, fix, docs, checkmate }) => ({
      id,
      severity,
      area,
      title,
      why,
      fix,
      docs,
      checkmate,
    }),
  );
  return { env: input.env, source: input.source, findings, rules: metas };
}

export function countOf(report: Report, severity: Severity): number {
  return report.findings.filter((finding) => finding.severity === severity && !finding.waived)
    .length;
}

/** Errors fail; with `strict`, unwaived warnings fail too. */
export function passes(report: Report, strict = false): boolean {
  return countOf(report, 'error') === 0 && (!strict || countOf(report, 'warning') === 0);
}
