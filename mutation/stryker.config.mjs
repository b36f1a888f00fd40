// Shared Stryker settings; mutation/run.ts picks a target (files to mutate + the vitest config of its fast
// in-process tests) and passes it on the command line. Thresholds per file are checked by mutation/run.ts.
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { related: false },
  coverageAnalysis: 'perTest',
  // Mutation runs are CPU heavy; two workers at most on the 2-core machines this runs on.
  concurrency: 2,
  reporters: ['clear-text', 'json', 'progress-append-only'],
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // The sandbox copies the repository; these folders are not needed by any mutation target.
  ignorePatterns: [
    'bench',
    'web/dist',
    'dist',
    'test-artifacts',
    'reports',
    '.local-tenant',
    'docs',
  ],
  timeoutMS: 20_000,
};
