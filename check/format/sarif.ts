// SARIF 2.1.0 for GitHub code scanning, which annotates the pull request's lines of tenant.yaml and the env files.
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html ;
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
import type { Report } from '../run.js';
import type { Severity } from '../types.js';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export function formatCheckSarif(report: Report): string {
  return `${JSON.stringify(checkSarifLog(report), null, 2)}\n`;
}

/** The SARIF log as an object (several reports merge into one log with a run each). */
export function checkSarifLog(report: Report) {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tenant-check',
            informationUri: 'https://auth0.com/docs/secure/security-guidance',
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.title,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.why },
              help: {
                text: `${rule.fix} ${rule.docs}`,
                markdown: `${rule.fix} [Auth0 docs](${rule.docs})`,
              },
              helpUri: rule.docs,
              defaultConfiguration: { level: levels[rule.severity] },
              properties: {
                area: rule.area,
                ...(rule.checkmate ? { checkmate: rule.checkmate } : {}),
              },
            })),
          },
        },
        // Code scanning groups results per environment when each run has its own category.
        automationDetails: { id: `tenant-check/${report.env}/` },
        results: report.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId),
          level: levels[finding.severity],
          message: { text: `[${report.env}] ${finding.resource}: ${finding.message}` },
          locations: [
            finding.location.file
              ? {
                  physicalLocation: {
                    artifactLocation: { uri: finding.location.file.split('\\').join('/') },
                    ...(finding.location.line
                      ? { region: { startLine: finding.location.line } }
                      : {}),
                  },
                }
              : { logicalLocations: [{ name: finding.resource, kind: 'resource' }] },
          ],
          ...(finding.waived
            ? {
                suppressions: [
                  {
                    kind: 'external',
                    status: 'accepted',
                    justification: `${finding.waived.reason} (until ${finding.waived.expires})`,
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return sarif;
}
