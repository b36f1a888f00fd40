export { ActionCacheRegistry } from './action-cache.js';
export { RESTRICTED_CLAIM_NAMES } from './post-login-api.js';
export {
  AUTH0_TRIGGER_TIMEOUT_MS,
  applyScopeOperations,
  newPipelineState,
  recordMfaCompleted,
  runPostLoginPipeline,
  type PipelineRun,
} from './pipeline.js';
export type * from './types.js';
export { WorkerActionExecutor, inProcessExecutor, type ActionExecutor } from './executor.js';
export { runTriggerActions, type TriggerOutcome } from './trigger-pipeline.js';
export { TRIGGER_APIS, type TriggerApiContext } from './trigger-apis.js';
