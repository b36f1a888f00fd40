// Loads a built Action bundle the way Auth0's runtime does: a fresh node:vm context holding CommonJS `exports`,
// `module`, a `require` limited to node built-ins and the Action's declared npm dependencies, and `console`, plus
// the node globals Actions may rely on. The context itself is actions/runtime/action-context.ts, shared with the
// local tenant's Actions runtime.
import { Script } from 'node:vm';
import {
  createActionContext,
  type ActionConsole,
  type ActionDependency,
} from '../runtime/action-context.js';
import { ACTION_TRIGGERS } from '../runtime/triggers.js';
import type { OnExecutePostLogin } from '../types/post-login.js';

export type { ActionConsole, ActionDependency };

export interface LoadBundleOptions {
  /** Shown in stack traces; default `action.js`. */
  filename?: string;
  /** Where the Action's console output goes; default the host console. */
  console?: ActionConsole;
  /** Limit for the module's top-level code (not the handler), default 1000 ms. */
  timeoutMs?: number;
  /** npm packages the Action declares (tenant.yaml `dependencies`); `require` finds only these and built-ins. */
  dependencies?: readonly ActionDependency[];
}

/** Evaluates the bundle in a fresh context and returns its `module.exports`. */
export function evaluateBundle(
  code: string,
  options: LoadBundleOptions = {},
): Record<string, unknown> {
  const filename = options.filename ?? 'action.js';
  const { context, module } = createActionContext({
    filename,
    console: options.console ?? console,
    ...(options.dependencies ? { dependencies: options.dependencies } : {}),
  });
  new Script(code, { filename }).runInContext(context, { timeout: options.timeoutMs ?? 1000 });
  return module.exports;
}

/** Evaluates the bundle and returns the named handler, failing clearly when the bundle lacks it. */
export function loadActionHandler<Handler = (event: never, api: never) => Promise<void>>(
  code: string,
  handlerName: string,
  options: LoadBundleOptions = {},
): Handler {
  const handler = evaluateBundle(code, options)[handlerName];
  if (typeof handler !== 'function') {
    throw new Error(
      `${options.filename ?? 'action.js'}: bundle does not export an ${handlerName} function`,
    );
  }
  // cast: checked to be a function above; its parameter types cannot be checked at runtime.
  return handler as Handler;
}

/** Evaluates the bundle and returns its `onExecutePostLogin`. */
export function loadPostLoginAction(
  code: string,
  options: LoadBundleOptions = {},
): OnExecutePostLogin {
  return loadActionHandler<OnExecutePostLogin>(
    code,
    ACTION_TRIGGERS['post-login'].handler,
    options,
  );
}
