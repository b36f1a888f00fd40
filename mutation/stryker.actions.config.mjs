import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['actions/src/**/*.ts', 'lib/banking-api-contract.ts'],
  vitest: { ...base.vitest, configFile: 'mutation/vitest.actions.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/actions.json' },
};
