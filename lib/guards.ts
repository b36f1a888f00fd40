// Type guards for values whose type the compiler cannot know (JSON, caught errors, user input): narrowing
// by a runtime check instead of a cast, so a wrong guess fails visibly instead of flowing on.

/** True when the value is an object (not null, not an array): parsed JSON, checked before use. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Node system error (ENOENT, EADDRINUSE …): an Error with a string `code`. */
export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

/** The Node error code of a caught value, if it is a system error. */
export function errorCode(error: unknown): string | undefined {
  return isErrnoException(error) ? error.code : undefined;
}

/** The message of a caught value: thrown values are usually Errors, but JavaScript allows anything. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when value is one of the listed literals: narrows a string to a union such as `'json' | 'text'`. */
export function isOneOf<const T extends string>(list: readonly T[], value: unknown): value is T {
  return list.some((item) => item === value);
}

/** The port of a listening TCP server's address (`server.address()`; a pipe or a closed server has none). */
export function tcpPort(address: string | { port: number } | null): number {
  if (address === null || typeof address === 'string')
    throw new Error(`expected a TCP server listening on a port, got address ${String(address)}`);
  return address.port;
}

/** The value if it is a string (a JSON setting read from a loosely typed record), else undefined. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The strings of a value that should be a string array; anything else counts as empty. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

/** The string-valued entries of a value that should be a string map (client or connection metadata). */
export function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const strings: Record<string, string> = {};
  for (const [key, item] of Object.entries(value))
    if (typeof item === 'string') strings[key] = item;
  return strings;
}
