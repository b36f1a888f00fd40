// A fetch that sends its requests through an undici dispatcher (a connect timeout, an extra trusted CA), typed
// as the global fetch the Auth0 SDK and openid-client expect.
import {
  fetch as undiciFetch,
  type Dispatcher,
  type RequestInit as UndiciRequestInit,
} from 'undici';

export function fetchThrough(dispatcher: Dispatcher): typeof globalThis.fetch {
  const viaDispatcher = (input: string | URL, init?: UndiciRequestInit) =>
    undiciFetch(input, { ...init, dispatcher });
  // Node's global fetch is undici's, declared twice with separately written (structurally different) types;
  // callers pass a URL string or URL and a plain RequestInit.
  // cast: the same function under the global fetch's declaration.
  return viaDispatcher as unknown as typeof globalThis.fetch;
}
