import { defineConfig } from 'vitest/config';

// One config for every suite. Files run in parallel worker processes (2 cores in CI);
// each suite that needs a local tenant starts its own in-process on a random port.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    // Stable test CA + NODE_EXTRA_CA_CERTS before workers fork (local tenant over HTTPS).
    globalSetup: ['tests/setup/local-tenant-ca.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]]
      : ['default'],
  },
});
