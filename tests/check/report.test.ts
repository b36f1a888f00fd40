// Waivers (reason, expiry, environments) and the report formats, SARIF validated against the 2.1.0 schema.
import { readFileSync } from 'node:fs';
import ajvDraft04 from 'ajv-draft-04';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReports } from '../../check/cli.js';
import { formatCheckMarkdown } from '../../check/format/markdown.js';
import { formatCheckText } from '../../check/format/text.js';
import { passes } from '../../check/run.js';
import { ConfigError } from '../../deploy/config/errors.js';
import { CheckFixture } from './fixture.js';

// A CommonJS module: its class is the `default` property of what Node's ESM loader hands us.
const Ajv = ajvDraft04.default;

const fixture = new CheckFixture();
afterAll(() => fixture.remove());

const transferToPartner = (t: string) =>
  t.replace('scope: [view:balance]', 'scope: [view:balance, transfer:funds]');
const partnerWaiver = (expires: string, env = '') =>
  `waivers:\n  - rule: step-up.no-m2m-transfer\n    resource: grant "Banking Partner" → https://my-banking-api\n${env}    reason: accepted for the test of waivers\n    expires: ${expires}\n`;

describe('waivers', () => {
  const today = new Date('2027-01-15T12:00:00Z');

  it('a current waiver accepts the finding, and the check passes', () => {
    const report = fixture.check(
      'prod',
      { yaml: transferToPartner, waivers: partnerWaiver('2027-01-15') },
      today,
    );
    const finding = report.findings.find((f) => f.ruleId === 'step-up.no-m2m-transfer');
    expect(finding?.waived).toEqual({
      reason: 'accepted for the test of waivers',
      expires: '2027-01-15',
    });
    expect(passes(report)).toBe(true);
  });

  it('an expired waiver is an error at its own line, and the finding counts again', () => {
    const report = fixture.check(
      'prod',
      { yaml: transferToPartner, waivers: partnerWaiver('2027-01-14') },
      today,
    );
    const expired = report.findings.find((f) => f.ruleId === 'waivers.expired');
    expect(expired).toMatchObject({ severity: 'error', message: 'expired on 2027-01-14' });
    expect(expired?.location).toEqual({ file: 'tenant/check-waivers.yaml', line: 2 });
    expect(
      report.findings.find((f) => f.ruleId === 'step-up.no-m2m-transfer')?.waived,
    ).toBeUndefined();
    expect(passes(report)).toBe(false);
  });

  it('applies only to the environments it names, and reports a waiver that matches nothing', () => {
    const waivers = partnerWaiver('2030-01-01', '    env: [dev]\n');
    const prod = fixture.check('prod', { yaml: transferToPartner, waivers }, today);
    expect(passes(prod)).toBe(false);
    const dev = fixture.check('dev', { waivers }, today);
    expect(dev.findings.find((f) => f.ruleId === 'waivers.unused')).toMatchObject({
      severity: 'info',
    });
  });

  it('a waiver without a reason or with a bad date is a config error naming the line', () => {
    const bad =
      'waivers:\n  - rule: x\n    resource: y\n    reason: short\n    expires: 30/06/2027\n';
    let error: unknown;
    try {
      fixture.check('prod', { waivers: bad });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/tenant\/check-waivers\.yaml:4: waivers\[0\]\.reason: say why/);
    expect(message).toMatch(/tenant\/check-waivers\.yaml:5: waivers\[0\]\.expires/);
  });
});

describe('formats', () => {
  const failing = () =>
    fixture.check('prod', {
      yaml: (t) => transferToPartner(t).replace('signing_alg: RS256', 'signing_alg: HS256'),
    });

  it('SARIF validates against the SARIF 2.1.0 schema and places results at file and line', () => {
    const schema = JSON.parse(readFileSync('tests/fixtures/sarif/sarif-schema-2.1.0.json', 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const reports = [failing(), fixture.check('local')];
    const sarif = JSON.parse(renderReports(reports, 'sarif', false));
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(sarif.runs).toHaveLength(2);
    const result = sarif.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'apis.signing-alg',
    );
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(
      /tenant\/tenant\.yaml$/,
    );
    expect(result.locations[0].physicalLocation.region.startLine).toBe(8);
    const waived = sarif.runs[0].results.find((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(waived.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
  });

  it('the schema check itself rejects a broken log', () => {
    const schema = JSON.parse(readFileSync('tests/fixtures/sarif/sarif-schema-2.1.0.json', 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    const sarif = JSON.parse(renderReports([failing()], 'sarif', false));
    sarif.runs[0].results[0].level = 'fatal';
    expect(validate(sarif)).toBe(false);
  });

  it('markdown lists errors and warnings with links, and folds waived findings and notes', () => {
    const markdown = formatCheckMarkdown(failing());
    expect(markdown).toContain('### Tenant checks (prod): 2 errors, 0 warnings');
    expect(markdown).toContain(
      '[apis.signing-alg](https://auth0.com/docs/get-started/apis/api-settings)',
    );
    expect(markdown).toMatch(/<details><summary>\d+ notes and waived findings<\/summary>/);
  });

  it('text names the place, the finding, why and how to fix; colour only when asked', () => {
    const text = formatCheckText(failing(), { color: false });
    expect(text).toMatch(
      /error step-up\.no-m2m-transfer \S+tenant\.yaml:\d+\n {2}grant "Banking Partner"/,
    );
    expect(text).toContain('why: A client-credentials token never passes MFA');
    expect(text).toContain('2 errors, 0 warnings');
    expect(text).not.toContain('\u001b[');
    expect(formatCheckText(failing(), { color: true })).toContain('\u001b[31merror');
  });

  it('json has counts and the pass/fail verdict', () => {
    const json = JSON.parse(renderReports([failing()], 'json', false));
    expect(json).toMatchObject({ env: 'prod', passed: false, counts: { error: 2 } });
  });
});
