import { defineConfig } from 'vitest/config';

// Mutation target "banking-api": fast unit tests of authorization, token verification and the replay store
// (replay-store.test.ts runs RedisReplayStore against a real redis-server; skipped loudly without one). The HTTP
// suites are left out: they start servers per file and add minutes without killing more.
export default defineConfig({
  test: {
    include: [
      'tests/banking-api/authorization.test.ts',
      'tests/banking-api/jwt-verifier.test.ts',
      'tests/banking-api/replay-store.test.ts',
      'tests/banking-api/step-up-window.test.ts',
    ],
    testTimeout: 30_000,
  },
});
