// Loads a built Action bundle the way Auth0's runtime does: a fresh node:vm context holding CommonJS `exports`,
// `module`, a `require` limited to node built-ins and `console`, plus the node globals Actions may rely on.
// Used by the bundle tests and by the local tenant's Actions runtime, so what we deploy is what we tested.
import { builtinModules, createRequire } from 'node:module';
import { Script, createContext } from 'node:vm';
import type { OnExecutePostLogin } from '../types/post-login.js';

export type ActionConsole = Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>;

export interface LoadBundleOptions {
  /** Shown in stack traces; default `action.js`. */
  filename?: string;
  /** Where the Action's console output goes; default the host console. */
  console?: ActionConsole;
  /** Limit for the module's top-level code (not the handler), default 1000 ms. */
  timeoutMs?: number;
}

const hostRequire = createRequire(import.meta.url);
const nodeBuiltins = new Set(builtinModules);

/** Evaluates the bundle in a fresh context and returns its `module.exports`. */
export function evaluateBundle(code: string, options: LoadBundleOptions = {}): Record<string, unknown> {
  const filename = options.filename ?? 'action.js';
  const module = { exports: {} as Record<string, unknown> };
  const context = createContext({
    module,
    exports: module.exports,
    require: (id: string) => requireBuiltin(id, filename),
    console: options.console ?? console,
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
  });
  new Script(code, { filename }).runInContext(context, { timeout: options.timeoutMs ?? 1000 });
  return module.exports;
}

/** Evaluates the bundle and returns its `onExecutePostLogin`, failing clearly when the bundle lacks one. */
export function loadPostLoginAction(code: string, options: LoadBundleOptions = {}): OnExecutePostLogin {
  const handler = evaluateBundle(code, options).onExecutePostLogin;
  if (typeof handler !== 'function') {
    throw new Error(`${options.filename ?? 'action.js'}: bundle does not export an onExecutePostLogin function`);
  }
  return handler as OnExecutePostLogin;
}

function requireBuiltin(id: string, filename: string): unknown {
  if (!nodeBuiltins.has(id.replace(/^node:/, ''))) {
    throw new Error(`${filename}: Cannot find module '${id}' (Actions here may only require node built-ins)`);
  }
  return hostRequire(id);
}
