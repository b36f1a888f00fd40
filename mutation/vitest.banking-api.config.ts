import { defineConfig } from 'vitest/config';

// Mutation target "banking-api": fast unit tests of authorization, token verification and the replay store.
// replay-redis.test.ts runs RedisReplayStore against a real redis-server (skipped loudly without one).
export default defineConfig({
  test: {
    include: [
      'tests/banking-api/authorization.test.ts',
      'tests/banking-api/jwt-verifier.test.ts',
      'tests/banking-api/replay-store.test.ts',
      'tests/banking-api/replay-redis.test.ts',
    ],
    testTimeout: 30_000,
  },
});
