// Runs inside the Actions worker thread (see WorkerActionExecutor): one message = one Action execution.
import { parentPort } from 'node:worker_threads';
import { executeJob, type ExecutionJob } from './executor.js';

parentPort?.on('message', async (job: ExecutionJob) => {
  parentPort?.postMessage(await executeJob(job));
});
