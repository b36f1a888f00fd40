import { defineConfig } from 'vitest/config';

// Mutation target "actions": in-process tests of the step-up Actions and their shared policy. The bundle test is
// left out (an instrumented bundle exceeds the 4 KB budget), and step-up.test.ts runs against the sources only:
// its esbuild bundles, run in node:vm, never see the active mutant.
export default defineConfig({
  test: {
    include: ['tests/actions/step-up-policy.test.ts', 'tests/actions/step-up.test.ts'],
    testTimeout: 30_000,
    env: { STEP_UP_SOURCE_ONLY: '1' },
  },
});
