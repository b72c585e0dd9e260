/**
 * The worker thread of a parallel check: rebuilds the model from its registry reference, then
 * checks each part the main thread sends, answering with its outcome. A part found invalid raises
 * the shared stop flag at once, so that every other search stops at its next budget check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Budget, StopFlag } from '../budget.js';
import { checkPart, describeError } from './check-part.js';
import { loadModel, type ModelReference } from './model-registry.js';
import type { WorkerRequest, WorkerReply } from './parallel.js';

interface WorkerSetup {
  model: ModelReference;
  stopCells: Int32Array;
}

const setup = workerData as WorkerSetup;
const port = parentPort!;
const stopFlag = new StopFlag(setup.stopCells);
const modelLoaded = loadModel(setup.model);

port.on('message', (request: WorkerRequest) => {
  void answer(request).then((reply) => port.postMessage(reply));
});

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  const { part } = request;
  try {
    const model = await modelLoaded;
    const budget = new Budget({ timeLimitMs: request.timeLimitMs, memoryLimitMiB: request.memoryLimitMiB }, stopFlag);
    const outcome = checkPart(model, part, budget);
    if (outcome.verdict === 'invalid') stopFlag.raise();
    return { outcome, peakHeapBytes: budget.peakHeapBytes };
  } catch (error) {
    const cause = `part ${part.key}: the worker failed: ${describeError(error)}`;
    return { outcome: { verdict: 'unknown', key: part.key, statesExplored: 0, cause }, peakHeapBytes: 0 };
  }
}
