// The per-resource fidelity table and the checks the replay suite enforces.
import { coreResources, resourceNames, type ResourceName } from './cassettes.js';
import { findKnownDifference, type KnownDifference } from './known-differences.js';
import type { InteractionOutcome } from './replay.js';

export interface FidelityRow {
  resource: string;
  recorded: number;
  matching: number;
  /** Differences on the known-differences list. */
  listed: number;
  /** Listed differences with an older Auth0 only (a newer recording agrees with the local tenant). */
  superseded: number;
}

function row(resource: string, outcomes: InteractionOutcome[], known: readonly KnownDifference[]) {
  const differing = outcomes.filter((outcome) => outcome.difference);
  return {
    resource,
    recorded: outcomes.length,
    matching: outcomes.length - differing.length,
    listed: differing.filter((outcome) => findKnownDifference(known, outcome)).length,
    superseded: differing.filter((outcome) => findKnownDifference(known, outcome)?.superseded_by)
      .length,
  };
}

export function fidelityRows(
  outcomes: InteractionOutcome[],
  known: readonly KnownDifference[],
): FidelityRow[] {
  const of = (resources: readonly ResourceName[]) =>
    outcomes.filter((outcome) => resources.includes(outcome.resource));
  return [
    ...coreResources.map((resource) => row(resource, of([resource]), known)),
    row('core total', of(coreResources), known),
    ...resourceNames
      .filter((resource) => !coreResources.includes(resource))
      .map((resource) => row(resource, of([resource]), known)),
    row('all', outcomes, known),
  ];
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;

/**
 * Markdown table: resource | recorded | matching | % | superseded (differs only from an older Auth0) |
 * % matching or superseded | listed differences.
 */
export function formatFidelityTable(rows: FidelityRow[]): string {
  const lines = [
    '| resource | recorded | matching | % | superseded by newer recordings | % incl. superseded | listed differences |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const bold = r.resource === 'core total' || r.resource === 'all';
      const name = bold ? `**${r.resource}**` : r.resource;
      const today = r.matching + r.superseded;
      return `| ${name} | ${r.recorded} | ${r.matching} | ${percent(r.matching, r.recorded)} | ${r.superseded} | ${percent(today, r.recorded)} | ${r.listed} |`;
    }),
  ];
  return lines.join('\n');
}

export interface FidelityProblems {
  /** Differences not on the list: a regression, or a new difference to fix or list with a reason. */
  unlisted: InteractionOutcome[];
  /** List entries (cassette + interaction) that now match: remove them from the list. */
  stale: string[];
  /** List entries naming a cassette (or a superseding cassette) that does not exist. */
  unknownCassettes: string[];
}

export function fidelityProblems(
  outcomes: InteractionOutcome[],
  known: readonly KnownDifference[],
): FidelityProblems {
  const unlisted = outcomes.filter(
    (outcome) => outcome.difference && !findKnownDifference(known, outcome),
  );
  const cassettes = new Set(outcomes.map((outcome) => outcome.cassette));
  const stale = known.flatMap((entry) => {
    const covered = outcomes.filter((outcome) => findKnownDifference([entry], outcome));
    if (!entry.interactions)
      return covered.length > 0 && covered.every((outcome) => !outcome.difference)
        ? [`${entry.cassette} (all interactions match)`]
        : [];
    return covered
      .filter((outcome) => !outcome.difference)
      .map((outcome) => `${entry.cassette} #${outcome.index}`);
  });
  return {
    unlisted,
    stale,
    unknownCassettes: known
      .flatMap((entry) => [entry.cassette, ...(entry.superseded_by ? [entry.superseded_by] : [])])
      .filter((cassette) => !cassettes.has(cassette)),
  };
}
