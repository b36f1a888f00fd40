// The table bench:api prints: one row per scenario, its ratio to the target's baseline and PASS/FAIL.

export interface Row {
  scenario: string;
  requestsPerSecond: number;
  p99Ms?: number;
  /** Server process CPU (user + system) per request: what throughput on one free core would be bounded by. */
  cpuMicrosPerRequest?: number;
  problems?: string;
}

export interface TableEntry {
  row: Row;
  ratio?: number;
  cpuRatio?: number;
  target?: string;
  /** Pass when ratio ≥ this (rows without it are information). */
  minimum?: number;
  pass?: boolean;
}

export const formatCount = (value: number) => Math.round(value).toLocaleString('en-US');

export function renderTable(entries: TableEntry[]): string {
  for (const entry of entries)
    if (entry.ratio !== undefined && entry.minimum !== undefined)
      entry.pass = entry.ratio >= entry.minimum && !entry.row.problems;
  const header = [
    'scenario',
    'req/s (or verify/s)',
    'p99 ms',
    'server CPU µs/req',
    'ratio',
    'CPU-based ratio',
    'target',
    'result',
  ];
  const lines = entries.map(({ row, ratio, cpuRatio, target, pass }) => [
    row.scenario,
    formatCount(row.requestsPerSecond),
    row.p99Ms === undefined ? '' : String(row.p99Ms),
    row.cpuMicrosPerRequest === undefined ? '' : row.cpuMicrosPerRequest.toFixed(1),
    ratio === undefined ? '' : ratio.toFixed(2),
    cpuRatio === undefined ? '' : cpuRatio.toFixed(2),
    target ?? '',
    pass === undefined
      ? (row.problems ?? '')
      : pass
        ? 'PASS'
        : `FAIL${row.problems ? ` (${row.problems})` : ''}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const render = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    render(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.map(render),
  ].join('\n');
}
