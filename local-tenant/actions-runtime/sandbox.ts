// Runs one Action's exact deployed code in a fresh node:vm context per execution (the context Auth0 gives an
// Action module: actions/runtime/action-context.ts, the same one the bundle tests use), with a deadline.
import vm from 'node:vm';
import { createActionContext, type ActionConsole } from '../../actions/runtime/action-context.js';

export class ActionExecutionError extends Error {
  constructor(
    message: string,
    readonly kind: 'threw' | 'timeout' | 'invalid_module',
  ) {
    super(message);
  }
}

export interface SandboxRun {
  code: string;
  dependencies?: readonly { name: string; version: string }[];
  /** Serialised into the context with JSON.parse so the Action sees plain objects of its own realm. */
  event: unknown;
  api: object;
  timeoutMs: number;
  filename: string;
  handlerName?: string;
  /** Copy console output (shortened as Auth0 keeps it) to stderr. */
  logToStderr?: boolean;
}

export async function runActionInSandbox({
  code,
  dependencies = [],
  event,
  api,
  timeoutMs,
  filename,
  handlerName = 'onExecutePostLogin',
  logToStderr = false,
}: SandboxRun): Promise<void> {
  const { context, module } = createActionContext({
    filename,
    console: quietConsole(filename, logToStderr),
    dependencies,
    extraGlobals: { __eventJson: JSON.stringify(event), __api: api },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    new vm.Script(code, { filename }).runInContext(context, {
      timeout: Math.max(1, Math.floor(timeoutMs)),
    });
  } catch (error) {
    throw asExecutionError(error, filename);
  }
  const handler = module.exports[handlerName];
  if (typeof handler !== 'function') {
    throw new ActionExecutionError(`${filename} does not export ${handlerName}`, 'invalid_module');
  }
  context.__handlerName = handlerName;
  let result: unknown;
  try {
    // Invoked inside the context so the synchronous part counts against the same vm timeout.
    result = new vm.Script('module.exports[__handlerName](JSON.parse(__eventJson), __api)', {
      filename: `${filename}#invoke`,
    }).runInContext(context, { timeout: Math.max(1, Math.floor(deadline - Date.now())) });
  } catch (error) {
    throw asExecutionError(error, filename);
  }
  await raceWithDeadline(Promise.resolve(result), deadline, filename);
}

async function raceWithDeadline(
  work: Promise<unknown>,
  deadline: number,
  filename: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new ActionExecutionError(`${filename}: Script execution time exceeded`, 'timeout')),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    await Promise.race([work, timeout]);
  } catch (error) {
    throw asExecutionError(error, filename);
  } finally {
    clearTimeout(timer);
  }
}

function asExecutionError(error: unknown, filename: string): ActionExecutionError {
  if (error instanceof ActionExecutionError) return error;
  // Errors from the vm realm are not `instanceof Error` here; read code and message structurally.
  const thrown = typeof error === 'object' && error !== null ? error : {};
  if ('code' in thrown && thrown.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
    return new ActionExecutionError(`${filename}: Script execution time exceeded`, 'timeout');
  const message = 'message' in thrown ? thrown.message : undefined;
  return new ActionExecutionError(typeof message === 'string' ? message : String(error), 'threw');
}

// Action console output is kept short (Auth0 keeps 256 chars per Action) and goes to stderr only when asked.
function quietConsole(filename: string, logToStderr: boolean): ActionConsole {
  const write = (...args: unknown[]): void => {
    if (logToStderr)
      process.stderr.write(`[action ${filename}] ${args.map(String).join(' ').slice(0, 256)}\n`);
  };
  return { log: write, info: write, warn: write, error: write, debug: write };
}
