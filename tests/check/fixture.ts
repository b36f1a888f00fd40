// A private copy of tenant/ per test file, edited per case, so each rule is shown failing on a minimal variant of
// the real configuration and passing on the real one.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDesiredForCheck } from '../../check/desired.js';
import { rules } from '../../check/rules/index.js';
import { runChecks, type Report } from '../../check/run.js';
import type { Finding } from '../../check/types.js';
import { loadWaivers } from '../../check/waivers.js';

export interface Variant {
  /** Edits tenant.yaml's text; must change something. */
  yaml?: (text: string) => string;
  /** Edits the env file's JSON. */
  env?: (
    json: Record<string, unknown> & { AUTH0_KEYWORD_REPLACE_MAPPINGS: Record<string, unknown> },
  ) => void;
  waivers?: string;
}

export type Checked = Report & { lineText(finding: Finding): string };

/** The text of the line a finding points at. */
function lineText(location: { file?: string; line?: number }): string {
  if (!location.file || !location.line) return '';
  return readFileSync(location.file, 'utf8').split('\n')[location.line - 1] ?? '';
}

export class CheckFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'tenant-check-'));
  readonly tenantFile = join(this.dir, 'tenant', 'tenant.yaml');
  private readonly originalYaml: string;

  constructor() {
    cpSync('tenant', join(this.dir, 'tenant'), { recursive: true });
    this.originalYaml = readFileSync(this.tenantFile, 'utf8');
  }

  envFile(env: string): string {
    return join(this.dir, 'tenant', 'env', `${env}.json`);
  }

  /** Runs every rule on the variant (the real configuration when `variant` is empty), then restores the files. */
  check(env: string, variant: Variant = {}, today?: Date): Checked {
    const envPath = this.envFile(env);
    const originalEnv = readFileSync(envPath, 'utf8');
    const waiversPath = join(this.dir, 'tenant', 'check-waivers.yaml');
    try {
      if (variant.yaml) {
        const edited = variant.yaml(this.originalYaml);
        if (edited === this.originalYaml) throw new Error('the yaml edit changed nothing');
        writeFileSync(this.tenantFile, edited);
      }
      if (variant.env) {
        const json = JSON.parse(originalEnv);
        variant.env(json);
        writeFileSync(envPath, `${JSON.stringify(json, null, 2)}\n`);
      }
      if (variant.waivers !== undefined) writeFileSync(waiversPath, variant.waivers);
      const input = loadDesiredForCheck({ tenantFile: this.tenantFile, env, variables: {} });
      const report = runChecks(
        input,
        rules,
        loadWaivers(waiversPath, 'tenant/check-waivers.yaml'),
        today,
      );
      // Read the lines while the variant is still on disk.
      const texts = new Map(
        report.findings.map((finding) => [finding, lineText(finding.location)]),
      );
      return Object.assign(report, { lineText: (finding: Finding) => texts.get(finding) ?? '' });
    } finally {
      writeFileSync(this.tenantFile, this.originalYaml);
      writeFileSync(envPath, originalEnv);
      cpSync('tenant/check-waivers.yaml', waiversPath);
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
