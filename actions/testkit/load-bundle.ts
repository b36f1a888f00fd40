// Loads a built Action bundle the way Auth0's runtime does: a fresh node:vm context holding CommonJS `exports`,
// `module`, a `require` limited to node built-ins and `console`, plus the node globals Actions may rely on.
// The context itself is actions/runtime/action-context.ts, shared with the local tenant's Actions runtime.
import { Script } from 'node:vm';
import { createActionContext, type ActionConsole } from '../runtime/action-context.js';
import type { OnExecutePostLogin } from '../types/post-login.js';

export type { ActionConsole };

export interface LoadBundleOptions {
  /** Shown in stack traces; default `action.js`. */
  filename?: string;
  /** Where the Action's console output goes; default the host console. */
  console?: ActionConsole;
  /** Limit for the module's top-level code (not the handler), default 1000 ms. */
  timeoutMs?: number;
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
  });
  new Script(code, { filename }).runInContext(context, { timeout: options.timeoutMs ?? 1000 });
  return module.exports;
}

/** Evaluates the bundle and returns its `onExecutePostLogin`, failing clearly when the bundle lacks one. */
export function loadPostLoginAction(
  code: string,
  options: LoadBundleOptions = {},
): OnExecutePostLogin {
  const handler = evaluateBundle(code, options).onExecutePostLogin;
  if (typeof handler !== 'function') {
    throw new Error(
      `${options.filename ?? 'action.js'}: bundle does not export an onExecutePostLogin function`,
    );
  }
  // cast: checked to be a function above; its parameter types cannot be checked at runtime.
  return handler as OnExecutePostLogin;
}
