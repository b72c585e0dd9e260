/**
 * Checking the parts of a partitioned history on several threads, stopping at the first illegal
 * part.
 *
 * When it pays: a worker costs a thread start, a module load and copying its parts (measured on
 * our 2-core machines under load: 170-400 ms compiled, 0.9-1.9 s from TypeScript source through
 * tsx), while most parts of real histories are decided in well under a millisecond. So the check
 * first runs in this thread for a slice about as long as starting a worker (IN_THREAD_SLICE_MS),
 * which decides nearly every history outright; only a history still undecided after the slice,
 * with parts left for more than one thread, goes parallel. This is the ski-rental rule: whatever
 * the history, the check takes at most about twice as long as the better of the two choices made
 * with hindsight. The slice's partial work on the part it was in is lost.
 *
 * Then this thread and `availableParallelism() - 1` workers (at least one) share the remaining
 * parts, largest first so that the longest part starts earliest. This thread takes work too: on a
 * 2-core machine a second worker would only compete with it. A part found invalid raises a shared
 * stop flag that every search reads at its budget checks, so the others stop within milliseconds.
 *
 * Workers run the compiled worker.js from dist/, or worker.ts through tsx when this module itself
 * runs from TypeScript source (vitest, tsx). For the latter, `execArgv: ['--import', 'tsx']` does
 * not work on Node 20 (the worker's entry is resolved before the hooks apply: "Unknown file
 * extension .ts"), so a small bootstrap registers tsx's hooks in the worker and then imports it.
 * Each worker's heap is capped with `resourceLimits` a little above the memory budget: the
 * budget's own checks normally stop the search first, and the cap turns a runaway model into a
 * worker error (an `unknown` part), not a crashed process.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Model } from '../model.js';
import { Budget, StopFlag } from '../budget.js';
import type { Part } from './partitions.js';
import { checkPart, describeError, type PartOutcome } from './check-part.js';
import { referenceFor, type ModelReference } from './model-registry.js';

export interface WorkerRequest {
  part: Part;
  timeLimitMs: number;
  memoryLimitMiB: number;
  startedAtEpochMs: number;
}
export interface WorkerReply {
  outcome: PartOutcome;
  /** The most heap the worker's check added, for the check's report. */
  peakHeapBytes: number;
}

/** The outcomes of the parts checked, and the most heap any thread added doing it. */
export interface PartsChecked {
  outcomes: PartOutcome[];
  peakHeapBytes: number;
}

const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');
/** In-thread time before a check goes parallel: about a worker's start-up; see the module comment. */
export const IN_THREAD_SLICE_MS = RUNNING_FROM_SOURCE ? 1000 : 200;
/** Heap headroom of a worker above the memory budget, for the model's own allocations. */
const WORKER_HEAP_HEADROOM_MIB = 256;

const WORKER_URL = new URL(RUNNING_FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);

export async function checkParts(
  model: Model<unknown>, parts: readonly Part[], budget: Budget, plan: { parallel: boolean; inThreadSliceMs: number },
): Promise<PartsChecked> {
  const queue = [...parts].sort((a, b) => b.calls.length - a.calls.length);
  const checked: PartsChecked = { outcomes: [], peakHeapBytes: 0 };
  if (plan.parallel && queue.length >= 2) {
    if (plan.inThreadSliceMs > 0 && runSlice(model, queue, checked, budget, plan.inThreadSliceMs)) return checked;
    if (queue.length >= 2) {
      const reference = await referenceFor(model);
      if (reference !== null) {
        await shareParts(model, reference, queue, budget, checked);
        return checked;
      }
    }
  }
  for (const part of queue) {
    const outcome = checkPart(model, part, budget);
    checked.outcomes.push(outcome);
    if (outcome.verdict === 'invalid') break;
  }
  checked.peakHeapBytes = Math.max(checked.peakHeapBytes, budget.peakHeapBytes);
  return checked;
}

/**
 * Checks parts in this thread until the slice is spent. Returns true when the check is decided
 * (all parts done, or one invalid); otherwise the undecided parts stay in `queue`.
 */
function runSlice(model: Model<unknown>, queue: Part[], checked: PartsChecked, budget: Budget, sliceMs: number): boolean {
  const slice = new Budget({
    timeLimitMs: Math.max(1, Math.min(sliceMs, budget.remainingMs())),
    memoryLimitMiB: budget.memoryLimitMiB,
  });
  // Smallest first: many small parts are decided within the slice, the big one goes parallel.
  queue.reverse();
  let decided = false;
  while (queue.length > 0) {
    const outcome = checkPart(model, queue[0]!, slice);
    if (outcome.verdict === 'unknown' && slice.remainingMs() === 0) break;
    queue.shift();
    checked.outcomes.push(outcome);
    if (outcome.verdict === 'invalid') {
      decided = true;
      break;
    }
  }
  queue.reverse();
  checked.peakHeapBytes = Math.max(checked.peakHeapBytes, slice.peakHeapBytes);
  return decided || queue.length === 0;
}

async function shareParts(
  model: Model<unknown>, reference: ModelReference, queue: Part[], budget: Budget, checked: PartsChecked,
): Promise<void> {
  const stopFlag = new StopFlag();
  const { outcomes } = checked;
  const workerCount = Math.max(1, Math.min(availableParallelism() - 1, queue.length - 1));
  const workers = Array.from({ length: workerCount }, () => startWorker(reference, stopFlag, budget));
  const request = (part: Part): WorkerRequest => ({
    part, timeLimitMs: budget.timeLimitMs, memoryLimitMiB: budget.memoryLimitMiB, startedAtEpochMs: budget.startedAtEpochMs,
  });
  try {
    const workerLoops = workers.map(async (worker) => {
      for (let part = queue.shift(); part !== undefined && !stopFlag.raised; part = queue.shift()) {
        const reply = await worker.check(request(part));
        outcomes.push(reply.outcome);
        checked.peakHeapBytes = Math.max(checked.peakHeapBytes, reply.peakHeapBytes);
        if (reply.outcome.verdict === 'invalid') stopFlag.raise();
      }
    });
    // This thread takes the smallest parts from the other end, yielding between parts so that
    // workers' replies are received.
    const threadBudget = new Budget(
      { timeLimitMs: budget.timeLimitMs, memoryLimitMiB: budget.memoryLimitMiB, startedAtEpochMs: budget.startedAtEpochMs },
      stopFlag,
    );
    for (let part = queue.pop(); part !== undefined && !stopFlag.raised; part = queue.pop()) {
      const outcome = checkPart(model, part, threadBudget);
      outcomes.push(outcome);
      if (outcome.verdict === 'invalid') stopFlag.raise();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(workerLoops);
    checked.peakHeapBytes = Math.max(checked.peakHeapBytes, threadBudget.peakHeapBytes);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Worker code that registers tsx's loader, then runs worker.ts. */
function tsxBootstrap(): string {
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const worker = JSON.stringify(WORKER_URL.href);
  return `import(${tsxApi}).then((tsx) => { tsx.register(); return import(${worker}); });`;
}

interface PartWorker {
  check(request: WorkerRequest): Promise<WorkerReply>;
  terminate(): Promise<void>;
}

function startWorker(reference: ModelReference, stopFlag: StopFlag, budget: Budget): PartWorker {
  const options = {
    workerData: { model: reference, stopCells: stopFlag.cells },
    resourceLimits: { maxOldGenerationSizeMb: budget.memoryLimitMiB + WORKER_HEAP_HEADROOM_MIB },
  };
  const worker = RUNNING_FROM_SOURCE
    ? new Worker(tsxBootstrap(), { ...options, eval: true })
    : new Worker(WORKER_URL, options);
  let pending: { key: string; settle: (reply: WorkerReply) => void } | null = null;
  let failure: string | null = null;
  const fail = (cause: string): void => {
    failure ??= cause;
    if (pending === null) return;
    const { key, settle } = pending;
    pending = null;
    settle({ outcome: { verdict: 'unknown', key, statesExplored: 0, cause: `part ${key}: ${failure}` }, peakHeapBytes: 0 });
  };
  worker.on('message', (reply: WorkerReply) => {
    const current = pending;
    pending = null;
    current?.settle(reply);
  });
  worker.on('error', (error) => fail(`the worker failed: ${describeError(error)}`));
  worker.on('exit', (code) => fail(`the worker exited with code ${code}`));
  return {
    check(request) {
      return new Promise((settle) => {
        pending = { key: request.part.key, settle };
        if (failure !== null) fail(failure);
        else worker.postMessage(request);
      });
    },
    async terminate() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
