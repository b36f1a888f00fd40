// npm run fidelity: replays the recorded Auth0 interactions against a fresh in-process local tenant and
// prints how many of them it answers like Auth0, per resource.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineCommand, parseCommandLineOrExit } from '../lib/cli-args.js';
import {
  fidelityProblems,
  fidelityRows,
  formatFidelityTable,
  loadKnownDifferences,
  runFidelity,
} from '../local-tenant/fidelity/index.js';
import { errorMessage } from '../lib/guards.js';

const defaultRecordings = 'tests/fixtures/auth0-recordings/go-auth0-v1.45.0';
const defaultKnown = 'tests/local-tenant/replay/known-differences.yaml';

const command = defineCommand({
  command: 'npm run fidelity --',
  name: 'fidelity',
  summary:
    'Replays recorded real-Auth0 interactions (go-vcr cassettes) against a fresh in-process local tenant and\n' +
    'prints, per resource, how many it answers like Auth0 (same status, top-level body keys, error message).',
  options: {
    recordings: {
      type: 'string',
      default: defaultRecordings,
      value: '<dir>',
      description: 'cassette folder',
    },
    known: {
      type: 'string',
      default: defaultKnown,
      value: '<file>',
      description: 'deliberate differences, each with its reason',
    },
    filter: {
      type: 'string',
      value: '<text>',
      description: 'only cassettes whose path contains it',
    },
    differences: {
      type: 'boolean',
      description: 'also list every differing interaction (listed ones marked "known")',
    },
  },
  examples: ['npm run fidelity', 'npm run fidelity -- --filter Client --differences'],
  notes: ['Exit code: 0, or 1 when an interaction not on the known list differs.'],
});

async function main(): Promise<number> {
  const { values } = parseCommandLineOrExit(command);
  const known = loadKnownDifferences(resolve(values.known));
  const caDir = mkdtempSync(join(tmpdir(), 'local-tenant-fidelity-'));
  try {
    const outcomes = await runFidelity({
      recordingsDir: resolve(values.recordings),
      caDir,
      ...(values.filter ? { filter: values.filter } : {}),
    });
    process.stdout.write(`${formatFidelityTable(fidelityRows(outcomes, known))}\n`);
    const problems = fidelityProblems(outcomes, known);
    if (values.differences) {
      for (const outcome of outcomes.filter((candidate) => candidate.difference)) {
        const listed = problems.unlisted.includes(outcome) ? '' : ' [known]';
        process.stdout.write(
          `${outcome.cassette} #${outcome.index} ${outcome.request}: ${outcome.difference}${listed}\n`,
        );
      }
    }
    for (const stale of problems.stale)
      process.stdout.write(`now matches, remove from ${values.known}: ${stale}\n`);
    if (problems.unlisted.length > 0) {
      process.stdout.write(
        `${problems.unlisted.length} differing interaction(s) not on ${values.known} (--differences lists them)\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    rmSync(caDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fidelity: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
