// What the asp and introspect commands share: output streams, argument errors, and turning failures into one
// line on stderr plus an exit code (0 ok, 1 failed, 2 usage) — never a stack trace.
import { DEFAULT_AUDIENCE } from '../banking-api/config.js';
import type { BudgetOptions } from '../deploy/http/budget.js';
import type { LocalTenantConnection } from '../deploy/target/target.js';
import type { TenantOptions } from './tenant.js';
import { ToolError, UsageError } from './errors.js';
import { errorCode, errorMessage } from '../lib/guards.js';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** What a command needs from its surroundings; tests pass an in-process tenant's values. */
export interface CommandEnvironment {
  variables: NodeJS.ProcessEnv;
  startLocalTenant?: () => Promise<LocalTenantConnection>;
  budget?: BudgetOptions;
  /** Reads a token given as "-" (introspect). */
  readStdin?: () => Promise<string>;
}

/** Target options for openTenant: --env plus what the surroundings provide. */
export function tenantOptions(env: string, environment: CommandEnvironment): TenantOptions {
  return {
    env,
    variables: environment.variables,
    ...(environment.startLocalTenant ? { startLocalTenant: environment.startLocalTenant } : {}),
    ...(environment.budget ? { budget: environment.budget } : {}),
  };
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The API a command works for: --audience, else AUDIENCE (as the banking API reads it), else the default API. */
export function audienceFrom(option: string | undefined, variables: NodeJS.ProcessEnv): string {
  return option?.trim() || variables.AUDIENCE?.trim() || DEFAULT_AUDIENCE;
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && (errorCode(error) ?? '').startsWith('ERR_PARSE_ARGS');
}

export async function runCommand(
  name: string,
  usage: string,
  output: Output,
  body: () => Promise<void>,
): Promise<number> {
  try {
    await body();
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      output.stderr(`${name}: ${errorMessage(error)}\n\n${usage}`);
      return EXIT_USAGE;
    }
    if (error instanceof ToolError) {
      output.stderr(`${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // A bug, not the user's mistake: still one line (DEBUG=1 shows the stack for whoever fixes it).
    const detail =
      process.env.DEBUG && error instanceof Error
        ? (error.stack ?? error.message)
        : error instanceof Error
          ? error.message
          : String(error);
    output.stderr(`${name}: unexpected failure: ${detail}\n`);
    return EXIT_FAILED;
  }
}
