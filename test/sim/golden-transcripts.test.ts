/**
 * Golden transcripts of small scripted scenarios (fixtures/sim/*.txt). Each test also asserts the
 * facts the scenario is about, so a rewritten golden file cannot hide a broken behaviour.
 * Regenerate with REWRITE_GOLDEN=1 after a deliberate change to the core, and read the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isolate } from '../../src/faults/partition-shapes.js';
import { HEALED } from '../../src/faults/grudge.js';
import { quorumNodeCore } from '../../src/sim/quorum-node-core.js';
import { simClusterConfig } from '../../src/sim/sim-cluster-config.js';
import { Simulation, type ScriptControls, type SimulationOutcome } from '../../src/sim/simulation.js';
import { formatTranscript } from '../../src/sim/transcript.js';

const REWRITE = process.env.REWRITE_GOLDEN === '1';

interface Scenario {
  title: string;
  file: string;
  seed: number;
  voters: number;
  endMs: number;
  script: (sim: Simulation) => void;
}

function play(scenario: Scenario): { outcome: SimulationOutcome; transcript: string } {
  const voters = Array.from({ length: scenario.voters }, (_, index) => index + 1);
  const config = simClusterConfig({ seed: scenario.seed, voters, observers: [], conditions: [] });
  const sim = new Simulation(config, quorumNodeCore(config.core));
  scenario.script(sim);
  const outcome = sim.runScript(scenario.endMs);
  return { outcome, transcript: formatTranscript(scenario.title, outcome.events, outcome.history) };
}

function matchGolden(file: string, transcript: string): void {
  const path = `fixtures/sim/${file}`;
  if (REWRITE || !existsSync(path)) {
    writeFileSync(path, transcript);
    if (!REWRITE) throw new Error(`${path} did not exist; written now: review it and run again`);
  }
  expect(transcript).toBe(readFileSync(path, 'utf8'));
}

function leadersOf(outcome: SimulationOutcome): { node: number; epoch: number; timeNs: number }[] {
  return outcome.events.filter((event) => event.kind === 'became-leader').map(({ node, epoch, timeNs }) => ({ node, epoch, timeNs }));
}

describe('golden transcripts', () => {
  it('a 3-node cluster elects a leader', () => {
    const { outcome, transcript } = play({
      title: 'a 3-node cluster elects a leader (seed 1, no faults)', file: 'three-nodes-elect-a-leader.txt',
      seed: 1, voters: 3, endMs: 5_000, script: () => {},
    });
    expect(outcome.crash).toBeNull();
    expect(outcome.violations).toEqual([]);
    const leaders = leadersOf(outcome);
    expect(leaders).toHaveLength(1);
    // Every voter ends up following that leader in its epoch.
    const leader = leaders[0]!;
    const followers = new Set(outcome.events
      .filter((event) => event.kind === 'epoch-changed' && event.state === 'follower' && event.leaderId === leader.node && event.epoch === leader.epoch)
      .map((event) => event.node));
    expect(followers.size).toBe(2);
    matchGolden('three-nodes-elect-a-leader.txt', transcript);
  });

  it('a partitioned leader resigns after check-quorum, and the majority elects another', () => {
    let isolated: number | null = null;
    const isolateAtMs = 4_000;
    const { outcome, transcript } = play({
      title: 'a partitioned leader resigns after check-quorum (seed 2; the leader is isolated at 4 s, healed at 12 s)',
      file: 'partitioned-leader-resigns.txt', seed: 2, voters: 3, endMs: 16_000,
      script: (sim) => {
        sim.at(isolateAtMs, (controls: ScriptControls) => {
          isolated = controls.leader();
          if (isolated !== null) controls.partition(isolate([1, 2, 3], isolated));
        });
        sim.at(12_000, (controls) => controls.partition(HEALED));
      },
    });
    expect(outcome.crash).toBeNull();
    expect(outcome.violations).toEqual([]);
    expect(isolated).not.toBeNull();
    const oldLeader = leadersOf(outcome).find((leader) => leader.node === isolated)!;
    // The isolated leader steps down on its own (check-quorum), before the partition heals.
    const stepDown = outcome.events.find((event) => event.node === isolated && event.kind === 'epoch-changed' &&
      event.timeNs > isolateAtMs * 1e6 && event.state !== 'leader');
    expect(stepDown, 'the isolated leader never left the leader state').toBeDefined();
    expect(stepDown!.timeNs).toBeLessThan(12_000 * 1e6);
    // The other two elect a new leader in a higher epoch.
    const newLeader = leadersOf(outcome).find((leader) => leader.timeNs > isolateAtMs * 1e6);
    expect(newLeader?.node).not.toBe(isolated);
    expect(newLeader!.epoch).toBeGreaterThan(oldLeader.epoch);
    matchGolden('partitioned-leader-resigns.txt', transcript);
  });
});
