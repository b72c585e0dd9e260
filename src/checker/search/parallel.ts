/**
 * Checking the parts of a partitioned history on several threads, stopping at the first illegal
 * part.
 *
 * When it pays: a worker costs a thread start, a module load (tens of ms compiled, a few hundred
 * under tsx) and copying its parts, while most parts of real histories are decided in well under a
 * millisecond. So the check first runs in this thread for a short slice (IN_THREAD_SLICE_MS), which
 * decides nearly every history outright; only a history still undecided after the slice, with
 * parts left for more than one thread, goes parallel. The slice's partial work on the part it was
 * in is lost, at most IN_THREAD_SLICE_MS.
 *
 * Then this thread and `availableParallelism() - 1` workers (at least one) share the remaining
 * parts, largest first so that the longest part starts earliest. This thread takes work too: on a
 * 2-core machine a second worker would only compete with it. A part found invalid raises a shared
 * stop flag that every search reads at its budget checks, so the others stop within milliseconds.
 *
 * Workers run the compiled worker.js from dist/, or worker.ts through tsx when this module itself
 * runs from TypeScript source (vitest, tsx). Each worker's heap is capped with `resourceLimits` a
 * little above the memory budget: the budget's own checks normally stop the search first, and
 * the cap turns a runaway model into a worker error (an `unknown` part), not a crashed process.
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
}

/** In-thread time before a check goes parallel; see the module comment. */
export const IN_THREAD_SLICE_MS = 100;
/** Heap headroom of a worker above the memory budget, for the model's own allocations. */
const WORKER_HEAP_HEADROOM_MIB = 256;

const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(RUNNING_FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);

export async function checkParts(
  model: Model<unknown>, parts: readonly Part[], budget: Budget, parallel: boolean,
): Promise<PartOutcome[]> {
  const queue = [...parts].sort((a, b) => b.calls.length - a.calls.length);
  const outcomes: PartOutcome[] = [];
  if (parallel && queue.length >= 2) {
    if (runSlice(model, queue, outcomes, budget)) return outcomes;
    if (queue.length >= 2) {
      const reference = await referenceFor(model);
      if (reference !== null) return [...outcomes, ...(await shareParts(model, reference, queue, budget))];
    }
  }
  for (const part of queue) {
    const outcome = checkPart(model, part, budget);
    outcomes.push(outcome);
    if (outcome.verdict === 'invalid') break;
  }
  return outcomes;
}

/**
 * Checks parts in this thread until the slice is spent. Returns true when the check is decided
 * (all parts done, or one invalid); otherwise the undecided parts stay in `queue`.
 */
function runSlice(model: Model<unknown>, queue: Part[], outcomes: PartOutcome[], budget: Budget): boolean {
  const slice = new Budget({
    timeLimitMs: Math.max(1, Math.min(IN_THREAD_SLICE_MS, budget.remainingMs())),
    memoryLimitMiB: budget.memoryLimitMiB,
  });
  // Smallest first: many small parts are decided within the slice, the big one goes parallel.
  queue.reverse();
  while (queue.length > 0) {
    const outcome = checkPart(model, queue[0]!, slice);
    if (outcome.verdict === 'unknown' && slice.remainingMs() === 0) break;
    queue.shift();
    outcomes.push(outcome);
    if (outcome.verdict === 'invalid') return true;
  }
  queue.reverse();
  return queue.length === 0;
}

async function shareParts(
  model: Model<unknown>, reference: ModelReference, queue: Part[], budget: Budget,
): Promise<PartOutcome[]> {
  const stopFlag = new StopFlag();
  const outcomes: PartOutcome[] = [];
  const workerCount = Math.max(1, Math.min(availableParallelism() - 1, queue.length - 1));
  const workers = Array.from({ length: workerCount }, () => startWorker(reference, stopFlag, budget));
  const request = (part: Part): WorkerRequest => ({
    part, timeLimitMs: budget.timeLimitMs, memoryLimitMiB: budget.memoryLimitMiB, startedAtEpochMs: budget.startedAtEpochMs,
  });
  try {
    const workerLoops = workers.map(async (worker) => {
      for (let part = queue.shift(); part !== undefined && !stopFlag.raised; part = queue.shift()) {
        const outcome = await worker.check(request(part));
        outcomes.push(outcome);
        if (outcome.verdict === 'invalid') stopFlag.raise();
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
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes;
}

interface PartWorker {
  check(request: WorkerRequest): Promise<PartOutcome>;
  terminate(): Promise<void>;
}

function startWorker(reference: ModelReference, stopFlag: StopFlag, budget: Budget): PartWorker {
  const worker = new Worker(WORKER_URL, {
    workerData: { model: reference, stopCells: stopFlag.cells },
    execArgv: RUNNING_FROM_SOURCE ? ['--import', 'tsx'] : [],
    resourceLimits: { maxOldGenerationSizeMb: budget.memoryLimitMiB + WORKER_HEAP_HEADROOM_MIB },
  });
  let pending: { key: string; settle: (outcome: PartOutcome) => void } | null = null;
  let failure: string | null = null;
  const fail = (cause: string): void => {
    failure ??= cause;
    if (pending === null) return;
    const { key, settle } = pending;
    pending = null;
    settle({ verdict: 'unknown', key, statesExplored: 0, cause: `part ${key}: ${failure}` });
  };
  worker.on('message', (reply: WorkerReply) => {
    const current = pending;
    pending = null;
    current?.settle(reply.outcome);
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
