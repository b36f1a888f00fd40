import base from './stryker.config.mjs';

export default {
  ...base,
  // The step-up Actions (security logic with thresholds in run.ts); the sample Actions of other triggers are
  // covered by tests/actions/*-samples.test.ts, not mutated, to keep this target's run time.
  mutate: [
    'actions/src/step-up-*.ts',
    'actions/src/lib/step-up-policy.ts',
    'lib/banking-api-contract.ts',
  ],
  vitest: { ...base.vitest, configFile: 'mutation/vitest.actions.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/actions.json' },
};
