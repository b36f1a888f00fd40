import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['deploy/plan/compare.ts', 'deploy/config/keywords.ts'],
  vitest: { ...base.vitest, configFile: 'mutation/vitest.deploy.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/deploy.json' },
};
