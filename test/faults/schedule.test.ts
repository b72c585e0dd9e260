import { describe, expect, it } from 'vitest';
import {
  buildFaultSchedule, describeFaultAction, NEMESIS_KINDS, parseFaultSchedule, parseNemesisList, type FaultScheduleOptions,
} from '../../src/faults/schedule.js';
import { SeededRandom } from '../../src/sim/random.js';

const OPTIONS: FaultScheduleOptions = { seed: 42, nodes: [1, 2, 3, 4, 5], kinds: [...NEMESIS_KINDS], timeLimitMs: 120_000, lines: 2 };

function build(options: FaultScheduleOptions) {
  return buildFaultSchedule(options, SeededRandom.fromSeed(options.seed).fork('fault-schedule'));
}

describe('the fault schedule (seed 42)', () => {
  it('is a function of the seed and the options', () => {
    expect(build(OPTIONS)).toEqual(build(OPTIONS));
    expect(build({ ...OPTIONS, seed: 43 })).not.toEqual(build(OPTIONS));
  });

  it('uses every kind asked for and no other, ends by the time limit, in start order', () => {
    const schedule = build(OPTIONS);
    expect(new Set(schedule.entries.map((entry) => entry.action.kind))).toEqual(new Set(NEMESIS_KINDS));
    for (const entry of schedule.entries) expect(entry.atMs + entry.durationMs).toBeLessThanOrEqual(OPTIONS.timeLimitMs);
    const starts = schedule.entries.map((entry) => entry.atMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(schedule.entries.map((entry) => entry.id)).toEqual(schedule.entries.map((_, index) => index));
    expect(build({ ...OPTIONS, kinds: ['kill'] }).entries.every((entry) => entry.action.kind === 'kill')).toBe(true);
    expect(build({ ...OPTIONS, kinds: [] }).entries).toEqual([]);
  });

  it('never holds two partitions, or two loss settings, at once (two lines overlap otherwise)', () => {
    for (let seed = 0; seed < 20; seed += 1) {
      const schedule = build({ ...OPTIONS, seed, kinds: ['partition', 'loss'], lines: 3 });
      for (const kind of ['partition', 'loss'] as const) {
        const spans = schedule.entries.filter((entry) => entry.action.kind === kind);
        for (let i = 1; i < spans.length; i += 1) {
          expect(spans[i]!.atMs, `seed ${seed} ${kind}`).toBeGreaterThanOrEqual(spans[i - 1]!.atMs + spans[i - 1]!.durationMs);
        }
      }
    }
  });

  it('round-trips through JSON, and reading names a bad field', () => {
    const schedule = build(OPTIONS);
    expect(parseFaultSchedule(JSON.parse(JSON.stringify(schedule)))).toEqual(schedule);
    const broken = JSON.parse(JSON.stringify(schedule)) as { entries: { action: Record<string, unknown> }[] };
    broken.entries[0]!.action = { kind: 'explode', target: 'leader' };
    expect(() => parseFaultSchedule(broken)).toThrow("schedule.entries[0].action.kind: unknown nemesis \"explode\"");
    expect(() => parseFaultSchedule({ ...schedule, nodes: [1, 2, 3], entries: [{ id: 0, atMs: 1, durationMs: 1, action: { kind: 'partition', shape: 'ping-pong' } }] }))
      .toThrow('needs exactly 5 nodes, got 3');
  });

  it('bad input is refused with a message naming it', () => {
    expect(() => parseNemesisList('partition,teleport')).toThrow("unknown nemesis 'teleport' (known: partition, kill, pause, stop, clock, loss, membership, vote-kill, or none)");
    expect(parseNemesisList('none')).toEqual([]);
    expect(parseNemesisList('kill, kill,pause')).toEqual(['kill', 'pause']);
    expect(() => build({ ...OPTIONS, nodes: [1, 2, 3], partitionShapes: ['ping-pong'] })).toThrow('needs exactly 5 nodes, got 3');
    expect(() => build({ ...OPTIONS, lines: 9 })).toThrow('fault lines must be an integer in [1, 4]');
  });

  it('describes actions in words', () => {
    expect(describeFaultAction({ kind: 'kill', target: 'leader' })).toBe('kill leader');
    expect(describeFaultAction({ kind: 'clock', mode: 'strobe', target: 3, deltaMs: -200, periodMs: 10 }))
      .toBe('clock strobe -200 ms every 10 ms on node 3');
    expect(describeFaultAction({ kind: 'loss', target: 'all', probability: 0.2 })).toBe('loss 20% into all');
    expect(describeFaultAction({ kind: 'vote-kill', target: 'all' })).toBe('vote-kill all');
  });

  it('holds a vote-kill on every node for the whole fault phase, the other kinds drawn beside it as without it', () => {
    const kinds = ['kill', 'partition'] as const;
    for (let seed = 0; seed < 10; seed += 1) {
      const schedule = build({ ...OPTIONS, seed, kinds: [...kinds, 'vote-kill'], lines: 1 });
      const watches = schedule.entries.filter((entry) => entry.action.kind === 'vote-kill');
      expect(watches.map(({ atMs, durationMs, action }) => ({ atMs, durationMs, action })))
        .toEqual([{ atMs: 0, durationMs: OPTIONS.timeLimitMs, action: { kind: 'vote-kill', target: 'all' } }]);
      const others = schedule.entries.filter((entry) => entry.action.kind !== 'vote-kill').map(({ atMs, durationMs, action }) => ({ atMs, durationMs, action }));
      const without = build({ ...OPTIONS, seed, kinds: [...kinds], lines: 1 }).entries.map(({ atMs, durationMs, action }) => ({ atMs, durationMs, action }));
      expect(others, `seed ${seed}`).toEqual(without);
    }
    const schedule = build({ ...OPTIONS, kinds: ['vote-kill'] });
    expect(parseFaultSchedule(JSON.parse(JSON.stringify(schedule)))).toEqual(schedule);
  });
});
