import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One config for every suite. Files run in parallel worker processes; each suite that needs a local tenant starts
// its own in-process on a random port, and every file keeps to its own temp folders, so files never share state.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    // vitest's default on 2 cores is a single worker; the suites spend much of their time waiting on HTTPS,
    // child processes and Chromium, so one worker per core keeps both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
    // Each worker keeps its loaded modules from one file to the next: importing the Auth0 SDK, Fastify and the
    // engine again for every file cost about half of `npm test`. Files still never share state — each starts its
    // own tenant and servers and restores what it changes (timers, env, spies) — so reusing the modules is safe.
    isolate: false,
    // Stable test CA + NODE_EXTRA_CA_CERTS before workers fork (local tenant over HTTPS).
    globalSetup: ['tests/setup/local-tenant-ca.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The slowest 10 files are listed at the end of every run; CI also keeps a JSON report.
    reporters: process.env.CI
      ? [
          'default',
          './tests/setup/slowest-files.ts',
          ['json', { outputFile: 'test-artifacts/vitest.json' }],
        ]
      : ['default', './tests/setup/slowest-files.ts'],
  },
});
