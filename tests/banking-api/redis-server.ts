// Suites that need a real redis-server skip loudly without the binary; with CI=true a missing binary fails instead.
import { hasRedis } from '../../lib/redis-server.js';

export { freePort, hasRedis, startRedis, type RedisServer } from '../../lib/redis-server.js';

/** Call at the top of a suite file: warns (or, under CI=true, throws) when redis-server is missing. */
export function requireRedisOrSkipLoudly(suite: string): void {
  if (hasRedis) return;
  const message = `redis-server not found: SKIPPING ${suite} (apt-get install redis-server)`;
  if (process.env.CI === 'true')
    throw new Error(`${message} — CI=true, failing instead of skipping`);
  console.warn(`\n!!! ${message}\n`);
}
