import { defineConfig } from 'vitest/config';

// Mutation target "deploy": the plan's field comparison and the keyword substitution, by their unit tests only
// (the deploy suites start local tenants and child processes: minutes per mutant, and blind to mutants anyway).
export default defineConfig({
  test: {
    include: ['tests/deploy/compare.test.ts', 'tests/deploy/keywords.test.ts'],
    testTimeout: 30_000,
  },
});
