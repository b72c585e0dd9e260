/**
 * The membership nemesis in the Docker world (KIP-853): a dynamic quorumd cluster of 3 voters and
 * 2 spare controllers in containers (each started fresh, formatted to join later) grows to 5
 * voters and shrinks back to 3, a voter's disk is replaced (a new directory id), and at the end the
 * leader removes itself and is added back, while a partition and a kill come and go and kafkajs
 * clients run throughout; every check of the run pipeline holds (linearizability, the Raft
 * invariants, AtMostOneUncommittedVoterSet among them). The schedule is written out rather than
 * drawn, so each change happens. About a minute: CI's share of the membership nemesis (the drawn
 * schedules on every topology are suites/membership.test.ts, under npm run conformance).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultSchedule } from '../../../src/faults/schedule.js';
import { judgeRun } from '../../../src/run/judge.js';
import { resolveRunOptions } from '../../../src/run/options.js';
import { executeRun, planRun } from '../../../src/run/pipeline.js';
import { SILENT } from '../../../src/run/progress.js';
import { openDockerWorld } from '../../../src/run/worlds/docker-world.js';
import { eventually } from '../../harness/support/eventually.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';

const engine = await dockerEngineForTests();
const log = (line: string): void => console.log(`[docker membership] ${line}`);
const SEED = 853;
const TIME_LIMIT_MS = 48_000;

/**
 * 3 -> 4 -> 5 voters, a voter's disk replaced at 5 (removed, then added on its new disk), a
 * partition and a kill among them, back to 3; then the leader removes itself (3 -> 2) and is added
 * again. Each voter change has the nodes it touches to itself, so the leader removed at the end is
 * free whichever node it is. Changes are 4 s or more apart, and the replaced disk is added back a
 * few seconds after the kill's election: on a loaded machine a node on a fresh disk takes seconds
 * to start, find the leader and catch up, and the nemesis asks a refused change again for 5 s only.
 */
function schedule(nodes: number[]): FaultSchedule {
  const entries: FaultSchedule['entries'] = [
    { id: 0, atMs: 2_000, durationMs: 32_000, action: { kind: 'membership', change: 'add', target: 'random' } },
    { id: 1, atMs: 6_000, durationMs: 24_000, action: { kind: 'membership', change: 'add', target: 'random' } },
    { id: 2, atMs: 9_000, durationMs: 4_000, action: { kind: 'partition', shape: 'isolate-leader' } },
    { id: 3, atMs: 14_000, durationMs: 10_000, action: { kind: 'membership', change: 'replace', target: 'not-leader' } },
    { id: 4, atMs: 17_000, durationMs: 3_000, action: { kind: 'kill', target: 'leader' } },
    { id: 5, atMs: 38_000, durationMs: 5_000, action: { kind: 'membership', change: 'remove', target: 'leader' } },
  ];
  return { seed: SEED, nodes, kinds: ['membership', 'partition', 'kill'], timeLimitMs: TIME_LIMIT_MS, entries };
}

describe.skipIf(!engine.available)('membership faults in the docker world', () => {
  it('grows 3 -> 5 -> 3 voters, replaces a disk and removes the leader under a partition and a kill; every check holds', { timeout: imageBuildTimeoutMs + 240_000 }, async () => {
    const image = await quorumdImageForTests();
    const options = resolveRunOptions({ env: 'docker', nodes: 3, nemesis: ['membership', 'partition', 'kill'], timeLimitMs: TIME_LIMIT_MS }, SEED);
    const plan = planRun(options);
    expect(plan.topology.spares).toEqual([4, 5]);
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-docker-membership-'));
    const world = await openDockerWorld({ topology: plan.topology, nodeConfig: options.nodeConfig, seed: SEED, log }, { image });
    try {
      expect(world.membership).toBeDefined();
      const initial = await eventually(async () => {
        const voters = await world.membership!.voters();
        if (voters === null) throw new Error('no leader answers DescribeQuorum yet');
        return voters;
      }, 120, 500);
      expect(initial.map((voter) => voter.nodeId).sort()).toEqual([1, 2, 3]);
      const record = await executeRun(plan, world, SILENT, runDir, schedule(plan.topology.nodes.map((node) => node.id)));
      const judgement = judgeRun(record);
      const notes = record.resolved.map((fault) => `${fault.id}: ${fault.note ?? `${fault.action.kind} on ${fault.nodes.join(',')}`}`);
      // The partition and the kill happened too, each on a node.
      for (const id of [2, 4]) expect(record.resolved.find((fault) => fault.id === id)?.nodes.length, notes.join('\n')).toBeGreaterThan(0);
      log(`faults: ${notes.join('; ')}`);
      const failing = judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`);
      expect(failing, `run directory ${runDir}; membership notes:\n${notes.join('\n')}`).toEqual([]);
      expect(judgement.checks.map((check) => check.name)).toContain('AtMostOneUncommittedVoterSet');
      // The recovery phase saw every voter back in the node event files and ended there, not at the bound.
      expect(record.recovery?.quorum.quorumMs, record.recovery?.message).not.toBeNull();
      log(`every voter back ${Math.round(record.recovery!.quorum.quorumMs!)} ms after the heal; the phase watched ` +
        `${Math.round(record.recovery!.quorum.watchedUntilMs - record.recovery!.healedAtMs)} ms of its ${record.recovery!.quorum.boundMs} ms bound`);
      // Each change went through, and undone: the cluster ends with three voters.
      expect(notes.find((note) => note.startsWith('0:')), notes.join('\n')).toMatch(/added [45]: ok.*removed [45] again: ok/);
      expect(notes.find((note) => note.startsWith('1:')), notes.join('\n')).toMatch(/added [45]: ok.*removed [45] again: ok/);
      expect(notes.find((note) => note.startsWith('3:')), notes.join('\n')).toMatch(/disk replaced .*removed \d+@\S+: ok; added \d+@\S+: ok/);
      // The leader removed itself (it led until the change committed, then resigned) and came back.
      expect(notes.find((note) => note.startsWith('5:')), notes.join('\n')).toMatch(/^5: removed \d+@\S+: ok; added \d+@\S+: ok$/);
      const final = await world.membership!.voters();
      expect(final?.length, notes.join('\n')).toBe(3);
      expect(record.history.filter((operation) => operation.type === 'ok').length).toBeGreaterThan(20);
      await rm(runDir, { recursive: true, force: true });
    } finally {
      await world[Symbol.asyncDispose]();
    }
  });
});
