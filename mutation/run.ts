// npm run test:mutation [-- <target>…]: runs Stryker once per target (one after the other: each run is CPU
// heavy), then prints the mutation score of every mutated file with the run's duration, and exits 1 when a file
// is under its threshold. Targets: actions, banking-api, deploy (default: all three).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isOneOf } from '../lib/guards.js';

/** Minimum mutation score per file (percent); files not listed are reported only. */
export const THRESHOLDS: Readonly<Record<string, number>> = {
  'actions/src/lib/step-up-policy.ts': 90,
  'actions/src/step-up-challenge.ts': 90,
  'actions/src/step-up-evidence.ts': 90,
  'banking-api/replay-store.ts': 90,
  'deploy/plan/compare.ts': 85,
  'deploy/config/keywords.ts': 85,
};
const TARGETS = ['actions', 'banking-api', 'deploy'] as const;
type Target = (typeof TARGETS)[number];

/** The part of Stryker's JSON report (mutation-testing-report-schema) the thresholds read. */
const mutationReportSchema = z.object({
  files: z.record(z.string(), z.object({ mutants: z.array(z.object({ status: z.string() })) })),
});

const USAGE = `Usage: npm run test:mutation [-- <target>...]

Runs Stryker mutation testing, one target after the other, and checks the per-file thresholds.
Targets: ${TARGETS.join(', ')} (default: all). Reports: reports/mutation/<target>.json.
Example: npm run test:mutation -- actions`;

function main(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.filter((arg) => !isOneOf(TARGETS, arg));
  if (unknown.length > 0) {
    console.error(`test:mutation: unknown target ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const chosen = args.filter((arg): arg is Target => isOneOf(TARGETS, arg));
  const targets = chosen.length > 0 ? chosen : [...TARGETS];
  const failures: string[] = [];
  const lines: string[] = [];
  for (const target of targets) {
    const started = Date.now();
    const run = spawnSync('npx', ['stryker', 'run', `mutation/stryker.${target}.config.mjs`], {
      stdio: 'inherit',
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    if (run.status !== 0) {
      failures.push(`${target}: stryker exited with ${run.status ?? run.signal}`);
      continue;
    }
    const report = mutationReportSchema.parse(
      JSON.parse(readFileSync(`reports/mutation/${target}.json`, 'utf8')),
    );
    lines.push(`${target} (${Math.floor(seconds / 60)} min ${seconds % 60} s)`);
    for (const [file, { mutants }] of Object.entries(report.files).sort()) {
      const count = (...statuses: string[]) =>
        mutants.filter((mutant) => statuses.includes(mutant.status)).length;
      const detected = count('Killed', 'Timeout');
      const undetected = count('Survived', 'NoCoverage');
      const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
      const threshold = THRESHOLDS[file];
      const verdict =
        threshold === undefined
          ? ''
          : score >= threshold
            ? ` ≥ ${threshold}`
            : ` < ${threshold} FAIL`;
      lines.push(
        `  ${file.padEnd(36)} ${score.toFixed(1).padStart(5)} %  (${detected} killed, ${undetected} survived, ${count('Ignored')} ignored as equivalent)${verdict}`,
      );
      if (threshold !== undefined && score < threshold)
        failures.push(`${file}: ${score.toFixed(1)} % is under ${threshold} %`);
    }
  }
  console.log(`\nMutation scores\n${lines.join('\n')}`);
  for (const failure of failures) console.error(`test:mutation: ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
