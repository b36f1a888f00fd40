// The one definition of the context Auth0's node runtime gives an Action module: CommonJS `exports`/`module`,
// a `require` limited to Node built-ins and the Action's declared npm dependencies, `console`, and the host globals Actions may rely on. The test kit's
// bundle loader and the local tenant's Actions runtime both build on it, so what we test is what the tenant runs.
// node:vm gives isolation for correctness (no shared globals between Actions), not a security boundary.
import { createContext, type Context } from 'node:vm';
import { createActionRequire, type ActionDependency } from './action-require.js';

export type { ActionDependency };

export type ActionConsole = Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>;

export interface ActionModule {
  exports: Record<string, unknown>;
}

/** `require` as an Action without dependencies sees it: Node built-ins only. */
export function requireBuiltin(id: string, filename: string): unknown {
  return createActionRequire(filename)(id);
}

/**
 * A fresh context for one Action module. `extraGlobals` lets a runtime pass values in (the local tenant hands
 * the event over as JSON so the Action sees plain objects of its own realm).
 */
export function createActionContext(options: {
  filename: string;
  console: ActionConsole;
  /** npm packages the Action declares (Management API `dependencies`); everything else is not found. */
  dependencies?: readonly ActionDependency[];
  extraGlobals?: Record<string, unknown>;
}): {
  context: Context;
  module: ActionModule;
} {
  const module: ActionModule = { exports: {} };
  const context = createContext({
    module,
    exports: module.exports,
    require: createActionRequire(options.filename, options.dependencies),
    console: options.console,
    // Host objects Auth0's node runtime exposes as globals (the language built-ins come with the context).
    Buffer,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    AbortController,
    AbortSignal,
    structuredClone,
    // Auth0's node22 runtime has the WHATWG fetch API as globals.
    fetch,
    Headers,
    Request,
    Response,
    queueMicrotask,
    setTimeout,
    clearTimeout,
    setImmediate,
    clearImmediate,
    ...options.extraGlobals,
  });
  return { context, module };
}
