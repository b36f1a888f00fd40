// Every problem found in the desired state, reported together and before any request is made.
export interface ConfigProblem {
  file: string;
  /** 1-based line, when the problem has a place in the file. */
  line?: number;
  /** Path inside the document, e.g. clients[0].callbacks. */
  path?: string;
  message: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const place = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${place}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}
