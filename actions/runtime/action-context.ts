// The one definition of the context Auth0's node runtime gives an Action module: CommonJS `exports`/`module`,
// a `require` limited to Node built-ins, `console`, and the host globals Actions may rely on. The test kit's
// bundle loader and the local tenant's Actions runtime both build on it, so what we test is what the tenant runs.
// node:vm gives isolation for correctness (no shared globals between Actions), not a security boundary.
import { builtinModules, createRequire } from 'node:module';
import { createContext, type Context } from 'node:vm';

export type ActionConsole = Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>;

export interface ActionModule {
  exports: Record<string, unknown>;
}

const hostRequire = createRequire(import.meta.url);
const nodeBuiltins = new Set(builtinModules);

/** `require` as an Action sees it: Node built-ins only (bundles carry their own dependencies). */
export function requireBuiltin(id: string, filename: string): unknown {
  const bare = id.replace(/^node:/, '');
  if (!nodeBuiltins.has(bare)) {
    throw new Error(
      `${filename}: Cannot find module '${id}' (Actions here may only require node built-ins; bundle dependencies)`,
    );
  }
  return hostRequire(`node:${bare}`);
}

/**
 * A fresh context for one Action module. `extraGlobals` lets a runtime pass values in (the local tenant hands
 * the event over as JSON so the Action sees plain objects of its own realm).
 */
export function createActionContext(options: {
  filename: string;
  console: ActionConsole;
  extraGlobals?: Record<string, unknown>;
}): {
  context: Context;
  module: ActionModule;
} {
  const module: ActionModule = { exports: {} };
  const context = createContext({
    module,
    exports: module.exports,
    require: (id: string) => requireBuiltin(id, options.filename),
    console: options.console,
    // Host objects Auth0's node runtime exposes as globals (the language built-ins come with the context).
    Buffer,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    AbortController,
    structuredClone,
    queueMicrotask,
    setTimeout,
    clearTimeout,
    setImmediate,
    clearImmediate,
    ...options.extraGlobals,
  });
  return { context, module };
}
