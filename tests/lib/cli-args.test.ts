// Every command's line: --help/-h print usage with examples (exit 0); a mistyped flag is one line on stderr and
// exit 2 (diff: 1, since its 2 means "changes") — never node's ERR_PARSE_ARGS stack trace.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CommandLineError,
  defineCommand,
  helpText,
  parseCommandLine,
  splitSubcommand,
  type SubcommandSet,
} from '../../lib/cli-args.js';
import { readCliArguments } from '../../deploy/cli-options.js';

const run = promisify(execFile);

const sample = defineCommand({
  command: 'npm run sample --',
  name: 'sample',
  summary: 'A sample command.',
  options: {
    format: { type: 'string', default: 'text', value: 'text|json', description: 'output format' },
    yes: { type: 'boolean', short: 'y', description: 'confirm' },
  },
  examples: ['npm run sample -- --format json'],
});

describe('parseCommandLine', () => {
  it('returns typed values with defaults', () => {
    const outcome = parseCommandLine(sample, ['-y']);
    expect(outcome).toEqual({
      kind: 'args',
      values: { format: 'text', yes: true, help: false },
      positionals: [],
    });
  });

  it('answers --help and -h with usage, options and examples, even next to a mistyped flag', () => {
    for (const argv of [['--help'], ['-h'], ['--formt', 'x', '-h']]) {
      const outcome = parseCommandLine(sample, argv);
      expect(outcome.kind).toBe('help');
    }
    const text = helpText(sample);
    expect(text).toContain('Usage: npm run sample -- [--format text|json] [--yes]');
    expect(text).toContain('--format text|json');
    expect(text).toContain('(default: text)');
    expect(text).toContain('-y, --yes');
    expect(text).toContain('Examples:\n  npm run sample -- --format json');
  });

  it('names an unknown flag and suggests the closest known one', () => {
    expect(() => parseCommandLine(sample, ['--formt', 'json'])).toThrow(
      new CommandLineError('unknown option --formt (did you mean --format?)'),
    );
    expect(() => parseCommandLine(sample, ['--zzzzzzzz'])).toThrow(
      new CommandLineError('unknown option --zzzzzzzz'),
    );
    expect(() => parseCommandLine(sample, ['stray'])).toThrow(/unexpected argument "stray"/);
    expect(() => parseCommandLine(sample, ['--format'])).toThrow(/--format needs a value/);
  });
});

describe('deploy and diff arguments', () => {
  it('rejects a bad --format or --env as a command-line error', () => {
    expect(() => readCliArguments('diff', ['--format', 'html'])).toThrow(
      /--format must be text, markdown or json/,
    );
    expect(() => readCliArguments('deploy', ['--env', '../prod'])).toThrow(/plain name/);
    expect(readCliArguments('deploy', ['--env', 'dev', '-y'])).toMatchObject({
      env: 'dev',
      yes: true,
    });
    expect(() => readCliArguments('diff', ['--yes'])).toThrow(/unknown option --yes/);
  });
});

describe('splitSubcommand', () => {
  const set: SubcommandSet = {
    command: 'npm run tool --',
    name: 'tool',
    summary: 'A tool with commands.',
    subcommands: {
      create: {
        ...sample,
        command: 'npm run tool -- create',
        summary: 'Creates one.\nMore detail.',
      },
      list: { ...sample, command: 'npm run tool -- list', summary: 'Lists them.' },
    },
    examples: ['npm run tool -- list'],
  };

  it('hands the rest of the line to the named command', () => {
    expect(splitSubcommand(set, ['create', '--yes', 'x'])).toEqual({
      kind: 'subcommand',
      name: 'create',
      rest: ['--yes', 'x'],
    });
  });

  it('answers --help before a command with the list of commands (first summary line each)', () => {
    for (const argv of [['--help'], ['-h'], ['--formt', '--help']]) {
      const outcome = splitSubcommand(set, argv);
      if (outcome.kind !== 'help') throw new Error('expected help');
      expect(outcome.text).toContain('Usage: npm run tool -- <create|list> [options]');
      expect(outcome.text).toMatch(/ {2}create {2}Creates one\.\n {2}list {4}Lists them\.\n/);
    }
  });

  it('names a missing, misspelt or misplaced command in one line', () => {
    expect(() => splitSubcommand(set, [])).toThrow(
      new CommandLineError('missing command (create, list)'),
    );
    expect(() => splitSubcommand(set, ['lsit'])).toThrow(
      'unknown command "lsit" (did you mean list?)',
    );
    expect(() => splitSubcommand(set, ['frobnicate'])).toThrow(
      'unknown command "frobnicate" (create, list)',
    );
    expect(() => splitSubcommand(set, ['--yes', 'list'])).toThrow(
      'the command (create, list) comes before --yes',
    );
    expect(() => splitSubcommand(set, ['toString'])).toThrow('unknown command "toString"');
  });
});

describe('every script', () => {
  it('declares its command line through lib/cli-args (or its own usage with --help)', () => {
    for (const file of readdirSync('scripts').filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(`scripts/${file}`, 'utf8');
      if (file === 'check-cycles.ts') continue; // the lint step, not a user command
      const ownUsage = /run(Asp|Introspect|Partner)Command/.test(source); // --help and usage errors in tenant-tools
      expect(
        ownUsage || /parseCommandLineOrExit|parseCli\(/.test(source),
        `scripts/${file} parses its arguments without lib/cli-args`,
      ).toBe(true);
      expect(source, `scripts/${file}`).not.toMatch(/\bparseArgs\(/);
    }
  });

  const script = (file: string, args: string[]) =>
    run(process.execPath, ['--import', 'tsx', `scripts/${file}`, ...args]).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it.each([
    ['diff.ts', ['--help']],
    ['deploy.ts', ['-h']],
    ['keys.ts', ['--help']],
  ])('%s %s prints usage and examples, exit 0', { timeout: 30_000 }, async (file, args) => {
    const result = await script(file, args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run /);
    expect(result.stdout).toContain('Examples:');
  });

  it.each([
    ['deploy.ts', 2],
    ['keys.ts', 2],
    ['diff.ts', 1],
  ])(
    '%s --formt: one line naming the flag, no stack trace',
    { timeout: 30_000 },
    async (file, code) => {
      const result = await script(file, ['--formt', 'json']);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(/unknown option --formt/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    },
  );
});
