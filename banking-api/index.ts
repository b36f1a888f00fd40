// Public surface of the banking API for scripts, tests and the demo.
export {
  createBankingApi,
  startBankingApi,
  type BankingApi,
  type BankingApiOverrides,
} from './server.js';
export {
  bankingApiConfig,
  loadConfigFromEnv,
  ConfigError,
  DEFAULT_AUDIENCE,
  type BankingApiConfig,
} from './config.js';
export { mfaClaimName, SCOPES, STEP_UP_MAX_AGE_SECONDS } from './authorization.js';
export { MemoryReplayStore, RedisReplayStore, type ReplayStore } from './replay-store.js';
export {
  MemoryLedger,
  DEMO_BALANCES,
  type Ledger,
  type TransferRecord,
  type AccountBalance,
} from './ledger.js';
export { RedisLedger } from './redis-ledger.js';
