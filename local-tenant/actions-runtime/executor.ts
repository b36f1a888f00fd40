// Where an Action execution happens. `inProcessExecutor` runs it in this thread (node:vm timeouts stop
// synchronous loops and hanging promises). `WorkerActionExecutor` runs executions one at a time in a worker
// thread and terminates the thread when one overruns, which also stops an Action that blocks after an `await`
// (something node:vm cannot interrupt); the local tenant server uses it.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ActionCache, type CacheEntry } from './action-cache.js';
import { ACTION_TRIGGERS, type ActionTriggerId } from '../../actions/runtime/triggers.js';
import type { ExecutionControl } from './post-login-api.js';
import { TRIGGER_APIS } from './trigger-apis.js';
import { ActionExecutionError, runActionInSandbox } from './sandbox.js';
import type { PipelineEffects } from './types.js';
import {} from '../../lib/guards.js';

export interface ExecutionJob {
  id: number;
  /** Which trigger's handler and api; default post-login. */
  trigger?: ActionTriggerId;
  code: string;
  /** npm packages the Action version declares (resolved from node_modules, nothing else). */
  dependencies?: { name: string; version: string }[];
  event: unknown;
  effects: PipelineEffects;
  cacheEntries: [string, CacheEntry][];
  canRedirect: boolean;
  timeoutMs: number;
  filename: string;
  /** Copy the Action's console output to stderr (the local tenant's `actionLogs` setting). */
  actionLogs?: boolean;
}

export type ExecutionReply =
  | {
      id: number;
      ok: true;
      effects: PipelineEffects;
      control: ExecutionControl;
      cacheEntries: [string, CacheEntry][];
      durationMs: number;
    }
  | { id: number; ok: false; message: string; kind: ActionExecutionError['kind'] };

export type ExecutionResult = Extract<ExecutionReply, { ok: true }>;

export interface ActionExecutor {
  /** Resolves with the Action's effects, or rejects with ActionExecutionError (threw / timeout). */
  run(job: Omit<ExecutionJob, 'id'>): Promise<ExecutionResult>;
}

/** Executes one job; shared by the in-process executor and the worker thread. */
export async function executeJob(job: ExecutionJob): Promise<ExecutionReply> {
  const entries = new Map<string, CacheEntry>(job.cacheEntries);
  const control: ExecutionControl = {};
  const effects = structuredClone(job.effects);
  const startedAt = performance.now();
  const trigger = job.trigger ?? 'post-login';
  try {
    const createApi = TRIGGER_APIS[trigger];
    if (!createApi) throw new Error(`the local tenant does not run ${trigger} Actions`);
    const api = createApi({
      effects,
      control,
      cache: new ActionCache(entries, Date.now),
      canRedirect: job.canRedirect,
    });
    await runActionInSandbox({
      code: job.code,
      handlerName: ACTION_TRIGGERS[trigger].handler,
      dependencies: job.dependencies ?? [],
      event: job.event,
      api,
      filename: job.filename,
      timeoutMs: job.timeoutMs,
      logToStderr: job.actionLogs === true,
    });
    return {
      id: job.id,
      ok: true,
      effects,
      control,
      cacheEntries: [...entries],
      durationMs: performance.now() - startedAt,
    };
  } catch (error) {
    const kind = error instanceof ActionExecutionError ? error.kind : 'threw';
    const message =
      typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
    return {
      id: job.id,
      ok: false,
      message: String(message ?? error),
      kind,
    };
  }
}

function settle(reply: ExecutionReply): ExecutionResult {
  if (!reply.ok) throw new ActionExecutionError(reply.message, reply.kind);
  return reply;
}

export const inProcessExecutor: ActionExecutor = {
  run: async (job) => settle(await executeJob({ ...job, id: 0 })),
};

const require = createRequire(import.meta.url);
// tsx's ESM register API, so the worker can load this folder's TypeScript in every environment (tsx CLI, vitest).
const tsxRegisterUrl = pathToFileURL(
  require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs'),
).href;
const workerEntryUrl = new URL('./worker-entry.ts', import.meta.url).href;
/** Grace on top of the Action's own budget before the thread is considered stuck. */
const STUCK_GRACE_MS = 250;

interface QueuedJob {
  job: ExecutionJob;
  resolve: (result: ExecutionResult) => void;
  reject: (error: Error) => void;
}

export class WorkerActionExecutor implements ActionExecutor {
  private worker: Worker | undefined;
  private ready: Promise<Worker> | undefined;
  private readonly queue: QueuedJob[] = [];
  private running = false;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: { actionLogs?: boolean } = {}) {}

  run(job: Omit<ExecutionJob, 'id'>): Promise<ExecutionResult> {
    if (this.closed)
      return Promise.reject(new ActionExecutionError('The Actions runtime is shut down', 'threw'));
    return new Promise((resolve, reject) => {
      const actionLogs = job.actionLogs ?? this.options.actionLogs;
      this.queue.push({
        job: { ...job, id: this.nextId++, ...(actionLogs ? { actionLogs } : {}) },
        resolve,
        reject,
      });
      void this.drain();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0))
      queued.reject(new ActionExecutionError('The Actions runtime is shut down', 'threw'));
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    await worker?.terminate();
  }

  private spawn(): Promise<Worker> {
    const boot = `import(${JSON.stringify(tsxRegisterUrl)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerEntryUrl)}); })
      .then(() => require('node:worker_threads').parentPort.postMessage('ready'));`;
    const worker = new Worker(boot, { eval: true });
    worker.unref();
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const queued = this.queue.shift()!;
        try {
          queued.resolve(await this.runOne(queued.job));
        } catch (error) {
          queued.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runOne(job: ExecutionJob): Promise<ExecutionResult> {
    this.ready ??= this.spawn();
    const worker = await this.ready;
    return new Promise<ExecutionResult>((resolve, reject) => {
      const onMessage = (reply: ExecutionReply) => {
        if (reply.id !== job.id) return;
        cleanup();
        try {
          resolve(settle(reply));
        } catch (error) {
          reject(error);
        }
      };
      const onError = (error: Error) => {
        cleanup();
        this.discardWorker(worker);
        reject(new ActionExecutionError(`${job.filename}: ${error.message}`, 'threw'));
      };
      const timer = setTimeout(() => {
        cleanup();
        // The Action blocks the thread: only terminating it stops the Action.
        this.discardWorker(worker);
        reject(
          new ActionExecutionError(`${job.filename}: Script execution time exceeded`, 'timeout'),
        );
      }, job.timeoutMs + STUCK_GRACE_MS);
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(job);
    });
  }

  private discardWorker(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = undefined;
    }
    void worker.terminate();
  }
}
