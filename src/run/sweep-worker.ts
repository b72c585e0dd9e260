/**
 * A worker thread of a sweep (sweep.ts): one SeedRequest in, one SeedOutcome out. An exception
 * becomes an `unknown` outcome naming it, so one broken seed never takes the sweep down.
 */
import { parentPort } from 'node:worker_threads';
import { failedSeed, runSweepSeed, type SeedRequest } from './sweep.js';

if (parentPort === null) throw new Error('sweep-worker.ts runs only as a worker thread');
const port = parentPort;

port.on('message', (request: SeedRequest) => {
  runSweepSeed(request).then(
    (outcome) => port.postMessage(outcome),
    (error: unknown) => port.postMessage(failedSeed(request, error)),
  );
});
