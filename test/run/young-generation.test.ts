import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SIM_SEMI_SPACE_MIB, SIM_YOUNG_GENERATION_MIB } from '../../src/run/young-generation.js';

const OLD_GENERATION_MIB = 256;
const HEAP_LIMIT = "process.stdout.write(String(require('node:v8').getHeapStatistics().heap_size_limit))";

/** V8's heap limit (old generation and young generation together) of a worker with these limits. */
function workerHeapLimit(resourceLimits: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const source = "require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)";
    const worker = new Worker(source, { eval: true, resourceLimits });
    worker.once('message', (limit: number) => void worker.terminate().then(() => resolve(limit)));
    worker.once('error', reject);
  });
}

describe('the simulator\'s young generation', () => {
  it('is what the quorumcheck launcher line asks for', async () => {
    const launcher = (await readFile(new URL('../../src/cli/quorumcheck.ts', import.meta.url), 'utf8')).split('\n')[0];
    expect(launcher).toBe(`#!/usr/bin/env -S node --max-semi-space-size=${SIM_SEMI_SPACE_MIB}`);
  });

  it('is as large in a sweep worker as in a process started with the semi-space flag', async () => {
    // heap_size_limit counts the young generation's maximum: equal limits with equal old
    // generations mean the worker's resource limit and the process's flag give the same young
    // generation (V8 sizes it as three semi-spaces), and differ from the default.
    const { stdout } = await promisify(execFile)(process.execPath, [
      `--max-semi-space-size=${SIM_SEMI_SPACE_MIB}`, `--max-old-space-size=${OLD_GENERATION_MIB}`, '-e', HEAP_LIMIT,
    ]);
    const worker = await workerHeapLimit({ maxYoungGenerationSizeMb: SIM_YOUNG_GENERATION_MIB, maxOldGenerationSizeMb: OLD_GENERATION_MIB });
    expect(worker).toBe(Number(stdout));
    expect(await workerHeapLimit({ maxOldGenerationSizeMb: OLD_GENERATION_MIB })).toBeLessThan(worker);
  });
});
