// Replays real-Auth0 recordings (go-auth0 v1.45.0 cassettes, tests/fixtures/auth0-recordings) against an
// in-process local tenant and fails when an interaction not on known-differences.yaml answers differently
// (status, top-level body keys, error message), or when a listed difference has started to match.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fidelityProblems,
  fidelityRows,
  formatFidelityTable,
  loadKnownDifferences,
  runFidelity,
  type InteractionOutcome,
  type KnownDifference,
} from '../../../local-tenant/fidelity/index.js';
import { testCaDir } from '../../helpers/local-tenant.js';

const recordingsDir = resolve('tests/fixtures/auth0-recordings/go-auth0-v1.45.0');
const knownPath = resolve('tests/local-tenant/replay/known-differences.yaml');

describe('local tenant answers recorded Auth0 interactions like Auth0', () => {
  let outcomes: InteractionOutcome[] = [];
  let known: KnownDifference[] = [];

  beforeAll(async () => {
    known = loadKnownDifferences(knownPath);
    outcomes = await runFidelity({ recordingsDir, caDir: testCaDir() });
    console.log(
      `\nLocal tenant fidelity (npm run fidelity)\n${formatFidelityTable(fidelityRows(outcomes, known))}\n`,
    );
  });

  it('replays every recorded interaction', () => {
    expect(outcomes.length).toBe(902);
  });

  it('answers every interaction not on the known-differences list like Auth0', () => {
    const unlisted = fidelityProblems(outcomes, known).unlisted.map(
      (outcome) =>
        `${outcome.cassette} #${outcome.index} ${outcome.request}: ${outcome.difference}`,
    );
    expect(unlisted).toEqual([]);
  });

  it('lists only differences that still exist, in cassettes that exist', () => {
    const { stale, unknownCassettes } = fidelityProblems(outcomes, known);
    expect({ stale, unknownCassettes }).toEqual({ stale: [], unknownCassettes: [] });
  });

  it('meets the fidelity targets: 97 % of the core resources, 75 % of all recordings', () => {
    const rows = fidelityRows(outcomes, known);
    const share = (name: string) => {
      const row = rows.find((candidate) => candidate.resource === name);
      return row ? row.matching / row.recorded : 0;
    };
    expect(share('core total')).toBeGreaterThanOrEqual(0.97);
    expect(share('all')).toBeGreaterThanOrEqual(0.75);
  });
});
