import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: [
    'banking-api/authorization.ts',
    'banking-api/jwt-verifier.ts',
    'banking-api/replay-store.ts',
  ],
  vitest: { ...base.vitest, configFile: 'mutation/vitest.banking-api.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/banking-api.json' },
};
