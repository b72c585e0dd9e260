import { describe, expect, it } from 'vitest';
import type { Grudge } from '../../src/faults/grudge.js';
import { PARTITION_SHAPES } from '../../src/faults/partition-shapes.js';
import { EventQueue } from '../../src/sim/event-queue.js';
import { HistoryRecorder } from '../../src/sim/history-recorder.js';
import { Nemesis } from '../../src/sim/nemesis.js';
import { SeededRandom } from '../../src/sim/random.js';
import type { RequestChannel } from '../../src/sim/request-channel.js';

/** The nemesis against a cluster that only keeps score: which faults are in force. */
function runNemesis(seed: number, slots: number, endMs: number) {
  const queue = new EventQueue<() => void>();
  let nowMs = 0;
  const channel: RequestChannel = {
    nowMs: () => nowMs,
    after: (delayMs, action) => queue.schedule(nowMs + delayMs, action),
    request: () => { throw new Error('the nemesis sends no requests'); },
  };
  const nodes = [1, 2, 3, 4, 5];
  const down = new Set<number>();
  let grudge: Grudge = new Map();
  let partitions = 0;
  let overlaps = 0;
  const note = (): void => {
    if (down.size + (grudge.size > 0 ? 1 : 0) > 1) overlaps += 1;
  };
  const fault = (nodeId: number): void => {
    expect(down.has(nodeId), `node ${nodeId} got a second fault`).toBe(false);
    down.add(nodeId);
    note();
  };
  const recorder = new HistoryRecorder();
  const nemesis = new Nemesis(
    { faults: ['partition', 'crash', 'pause'], partitionShapes: PARTITION_SHAPES, faultGapMs: [100, 1000], faultHoldMs: [500, 3000], nemesisSlots: slots },
    SeededRandom.fromSeed(seed), channel,
    {
      nodes, currentLeader: () => 1,
      partition: (next) => {
        if (next.size > 0) {
          expect(grudge.size, 'a second partition while one is in force').toBe(0);
          partitions += 1;
        }
        grudge = next;
        note();
      },
      crash: fault, pause: fault,
      restart: (nodeId) => { down.delete(nodeId); },
      resume: (nodeId) => { down.delete(nodeId); },
    },
    recorder,
  );
  nemesis.start();
  for (let next = queue.pop(); next !== undefined && next.atMs <= endMs; next = queue.pop()) {
    nowMs = next.atMs;
    next.event();
  }
  nemesis.stop();
  return { down, grudge, partitions, overlaps, history: recorder.operations };
}

describe('Nemesis', () => {
  it('with two slots overlaps faults, but never two on one node or two partitions (seeds 1-5)', () => {
    for (let seed = 1; seed <= 5; seed += 1) {
      const run = runNemesis(seed, 2, 60_000);
      expect(run.overlaps, `seed ${seed}`).toBeGreaterThan(0);
      expect(run.partitions, `seed ${seed}`).toBeGreaterThan(0);
      // stop() undoes everything still in force.
      expect(run.down.size, `seed ${seed}`).toBe(0);
      expect(run.grudge.size, `seed ${seed}`).toBe(0);
      expect(run.history.every((op) => op.process === 'nemesis' && op.type === 'info')).toBe(true);
    }
  });

  it('with one slot never overlaps (seed 7)', () => {
    const run = runNemesis(7, 1, 60_000);
    expect(run.overlaps).toBe(0);
    expect(run.history.length).toBeGreaterThan(10);
  });
});
