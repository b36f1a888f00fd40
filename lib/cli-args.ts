// Command-line arguments of every `npm run …` script: one description per command gives `--help`/`-h` (usage,
// options, examples) and turns a mistyped flag into one line on stderr and exit 2 instead of node's stack trace.
import { parseArgs } from 'node:util';
import { closestName } from './closest-name.js';
import { errorCode } from './guards.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  default?: string | boolean;
  /** Placeholder shown in help, e.g. "<name>". */
  value?: string;
  description: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** As typed by a user, e.g. "npm run diff --". */
  command: string;
  /** Short name for error lines, e.g. "diff". */
  name: string;
  summary: string;
  options: O;
  /** What positionals mean, e.g. "<token>"; none allowed when absent. */
  positionals?: string;
  examples: readonly string[];
  /** Further help text (exit codes, environment variables). */
  notes?: readonly string[];
  /** Exit code of a usage error; 2 unless 2 already means something else (diff: "changes"). */
  usageExitCode?: number;
}

/** Declares a command; keeps option types literal so the parsed values are typed. */
export function defineCommand<const O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
): CommandSpec<O> {
  return spec;
}

export type ParsedValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K] extends { default: string }
      ? string
      : string | undefined;
};

export type ParseOutcome<O extends Record<string, OptionSpec>> =
  { kind: 'help'; text: string } | { kind: 'args'; values: ParsedValues<O>; positionals: string[] };

/** A command line the command cannot run with; the message is one line naming the fault. */
/** Why `env` cannot name tenant/env/<env>.json (a plain name like local or prod), or undefined when it can. */
export function envNameProblem(env: string): string | undefined {
  return /^[A-Za-z0-9_-]+$/.test(env)
    ? undefined
    : `--env must be a plain name like local or prod (got "${env}")`;
}

export class CommandLineError extends Error {
  override name = 'CommandLineError';
}

const helpOption: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

function optionLabel(name: string, option: OptionSpec): string {
  const flag = `${option.short ? `-${option.short}, ` : ''}--${name}`;
  return option.type === 'string' ? `${flag} ${option.value ?? '<value>'}` : flag;
}

export function helpText<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const entries = Object.entries({ ...spec.options, help: helpOption });
  const labels = entries.map(([name, option]) => optionLabel(name, option));
  const width = Math.max(...labels.map((label) => label.length));
  const lines = [
    `Usage: ${usageLine(spec)}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...entries.map(([, option], index) => {
      const fallback =
        option.type === 'string' && option.default !== undefined
          ? ` (default: ${String(option.default)})`
          : '';
      return `  ${labels[index]!.padEnd(width)}  ${option.description}${fallback}`;
    }),
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
  ];
  if (spec.notes?.length) lines.push('', ...spec.notes);
  return `${lines.join('\n')}\n`;
}

export function usageLine<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const flags = Object.entries(spec.options).map(([name, option]) =>
    option.type === 'string' ? `[--${name} ${option.value ?? '<value>'}]` : `[--${name}]`,
  );
  return [spec.command, ...flags, ...(spec.positionals ? [spec.positionals] : [])].join(' ');
}

/** Parses argv; throws CommandLineError for an unknown flag, a missing value or a stray argument. */
export function parseCommandLine<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: string[],
): ParseOutcome<O> {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; short?: string; default?: string | boolean }
  > = {};
  for (const [name, option] of Object.entries({ ...spec.options, help: helpOption })) {
    options[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.default !== undefined
        ? { default: option.default }
        : option.type === 'boolean'
          ? { default: false }
          : {}),
    };
  }
  // --help wins over everything else on the line, even a mistyped flag next to it.
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: helpText(spec) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: spec.positionals !== undefined });
  } catch (error) {
    throw new CommandLineError(describeParseError(error, Object.keys(options)));
  }
  return {
    kind: 'args',
    // cast: parseArgs was given exactly spec.options (plus help), so each value has the type its spec declares.
    values: parsed.values as ParsedValues<O>,
    positionals: parsed.positionals,
  };
}

function describeParseError(error: unknown, known: string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const guess = closestName(unknown.replace(/^-+/, ''), known);
    return `unknown option ${unknown}${guess ? ` (did you mean --${guess}?)` : ''}`;
  }
  const positional = /Unexpected argument '([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && positional)
    return `unexpected argument "${positional}"`;
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message)?.[1];
  if (missing) return `${missing} needs a value`;
  return message.split('\n')[0] ?? message;
}

/** The one line a usage error prints: the fault, the short usage and where the full help is. */
export function usageErrorLine<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  message: string,
): string {
  return `${spec.name}: ${message}. Usage: ${usageLine(spec)} (${spec.command.replace(/ --$/, '')} -- --help for more)\n`;
}

/**
 * For scripts: prints help (exit 0) or a one-line usage error (exit 2 by default) and ends the process; returns
 * the values otherwise.
 */
export function parseCommandLineOrExit<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: string[] = process.argv.slice(2),
): { values: ParsedValues<O>; positionals: string[] } {
  try {
    const outcome = parseCommandLine(spec, argv);
    if (outcome.kind === 'help') {
      process.stdout.write(outcome.text);
      process.exit(0);
    }
    return outcome;
  } catch (error) {
    if (error instanceof CommandLineError) exitWithUsageError(spec, error.message);
    throw error;
  }
}

/** A value the command rejects after parsing (a bad --format, a port out of range): same one line, same exit code. */
export function exitWithUsageError<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  message: string,
): never {
  process.stderr.write(usageErrorLine(spec, message));
  process.exit(spec.usageExitCode ?? 2);
}

/** A command made of subcommands (`npm run partner -- create …`), each described by its own CommandSpec. */
export interface SubcommandSet {
  /** As typed by a user, e.g. "npm run partner --". */
  command: string;
  name: string;
  summary: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subcommand has its own option types
  subcommands: Readonly<Record<string, CommandSpec<any>>>;
  examples: readonly string[];
  notes?: readonly string[];
}

export function subcommandSetHelp(set: SubcommandSet): string {
  const names = Object.keys(set.subcommands);
  const width = Math.max(...names.map((name) => name.length));
  const lines = [
    `Usage: ${set.command} <${names.join('|')}> [options]`,
    '',
    set.summary,
    '',
    'Commands:',
    ...names.map(
      (name) => `  ${name.padEnd(width)}  ${set.subcommands[name]!.summary.split('\n')[0]}`,
    ),
    '',
    `${set.command.replace(/ --$/, '')} -- <command> --help shows a command's options.`,
    '',
    'Examples:',
    ...set.examples.map((example) => `  ${example}`),
  ];
  if (set.notes?.length) lines.push('', ...set.notes);
  return `${lines.join('\n')}\n`;
}

/**
 * Splits off the subcommand (the first argument): the set's help for a line starting with `--help`/`-h`, else the
 * subcommand's name and the rest of the line for parseCommandLine. Throws CommandLineError for a missing or
 * unknown subcommand.
 */
export function splitSubcommand(
  set: SubcommandSet,
  argv: string[],
): { kind: 'help'; text: string } | { kind: 'subcommand'; name: string; rest: string[] } {
  const [first, ...rest] = argv;
  const names = Object.keys(set.subcommands);
  if (first === undefined) throw new CommandLineError(`missing command (${names.join(', ')})`);
  if (first.startsWith('-')) {
    if (argv.includes('--help') || argv.includes('-h'))
      return { kind: 'help', text: subcommandSetHelp(set) };
    throw new CommandLineError(`the command (${names.join(', ')}) comes before ${first}`);
  }
  if (!Object.hasOwn(set.subcommands, first)) {
    const guess = closestName(first, names);
    throw new CommandLineError(
      `unknown command "${first}"${guess ? ` (did you mean ${guess}?)` : ` (${names.join(', ')})`}`,
    );
  }
  return { kind: 'subcommand', name: first, rest };
}
