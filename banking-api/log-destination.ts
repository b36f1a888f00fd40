// Where the JSON log lines go. One synchronous write(2) per request line roughly doubled the CPU a cached
// GET /balance costs (measured by bench:api), so stdout is written through a buffer: lines are flushed once
// 4 KiB are pending or every 250 ms, and synchronously when the process exits (pino registers that).
import pino from 'pino';

export interface LogDestination {
  /** What Fastify's logger writes its lines to (pino needs only `write`). */
  stream: pino.DestinationStream;
  close(): void;
}

export function createLogDestination(override?: NodeJS.WritableStream): LogDestination {
  if (override) return { stream: override, close: () => undefined };
  const destination = pino.destination({
    dest: 1,
    sync: false,
    minLength: 4096,
    periodicFlush: 250,
  });
  return {
    stream: destination,
    close() {
      // Flush what is buffered but keep fd 1 open: other code in the process may still write to stdout.
      destination.flushSync();
    },
  };
}
