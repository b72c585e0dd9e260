/**
 * A worker thread that runs seeds for seed-batch.ts: one SummaryRequest in, one SeedSummary out.
 * An exception becomes an `unknown` summary naming it, so one broken seed never takes the batch down.
 */
import { parentPort } from 'node:worker_threads';
import { runSeedSummary, type SeedSummary, type SummaryRequest } from './seed-summary.js';
import { replayCommand } from './run-seed.js';

if (parentPort === null) throw new Error('seed-worker.ts runs only as a worker thread');
const port = parentPort;

port.on('message', (request: SummaryRequest) => {
  runSeedSummary(request).then(
    (summary) => port.postMessage(summary),
    (error: unknown) => {
      const summary: SeedSummary = {
        seed: request.options.seed, verdict: 'unknown', reasons: [`the seed could not be run: ${String(error)}`], warnings: [], setup: 'unknown',
        replay: replayCommand(request.options), runDirectory: null, wallMs: 0, simulatedMs: 0, operations: 0, nodeEvents: 0,
      };
      port.postMessage(summary);
    },
  );
});
