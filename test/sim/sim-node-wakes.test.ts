/**
 * SimNode's one-wake-per-node bookkeeping across a pause. A wake that fires while the node is
 * paused runs nothing (the resume ticks the core for it); it must not stay booked as the wake to
 * come, or a core that asks for that same moment after the resume gets no wake at all and sleeps
 * for the rest of the run (sweep seed 128072785: node 2 followed its leader and did nothing for
 * 14 s). A core asking for a moment it was already ticked at is spinning: the simulator gives it
 * the timer resolution and counts it.
 */
import { describe, expect, it } from 'vitest';
import type { ClientRequest, PeerEnvelope, Ready } from '../../src/core/host-interface.js';
import type { MetadataImage } from '../../src/core/metadata/index.js';
import type { ConsensusCore } from '../../src/sim/consensus-core.js';
import { SeededRandom } from '../../src/sim/random.js';
import { SimDisk } from '../../src/sim/sim-disk.js';
import { SimNode, type NodeOutputs } from '../../src/sim/sim-node.js';

/** A core that asks for a tick at `wakeMs`, whatever it was ticked at, and records its ticks. */
class ScriptedCore implements ConsensusCore {
  readonly ticks: number[] = [];
  constructor(public wakeMs: number) {}
  tick(nowMs: number): void { this.ticks.push(nowMs); }
  receive(_envelope: PeerEnvelope, _nowMs: number): void {}
  submit(_request: ClientRequest, _nowMs: number): void {}
  describeQuorum(): void {}
  changeVoters(): void {}
  shutdown(): void {}
  hasReady(): boolean { return false; }
  ready(): Ready { throw new Error('nothing is ready'); }
  advance(): void {}
  nextWakeMs(): number { return this.wakeMs; }
  debugState() { return { state: 'follower', epoch: 1, leaderId: 2, logEndOffset: 0, highWatermark: 0 }; }
  readonly leaderId = 2;
  get committedImage(): MetadataImage { throw new Error('SimNode does not read the image'); }
}

function nodeWith(core: ScriptedCore): { node: SimNode; wakes: { atMs: number; generation: number }[] } {
  const wakes: { atMs: number; generation: number }[] = [];
  const outputs: NodeOutputs = {
    send: () => {}, respond: () => {}, record: () => {}, flushLater: () => {},
    wakeAt: (_nodeId, atMs, generation) => { wakes.push({ atMs, generation }); },
  };
  const node = new SimNode(1, [1, 2, 3], new SimDisk({ tornWrites: false }), () => core, SeededRandom.fromSeed(1), outputs, 0);
  return { node, wakes };
}

describe('SimNode wakes across a pause', () => {
  it('a wake swallowed by a pause is not kept as booked: the same moment asked again after the resume gets a wake', () => {
    const core = new ScriptedCore(100);
    const { node, wakes } = nodeWith(core);
    expect(wakes).toEqual([{ atMs: 100, generation: 1 }]);

    node.pause();
    node.wake(1, 100);
    expect(core.ticks, 'a paused node runs nothing').toEqual([]);

    // The resume ticks the core at once; it still asks for 100 ms.
    node.resume(150);
    expect(core.ticks).toEqual([150]);
    expect(wakes, 'the node is woken again').toHaveLength(2);
    const next = wakes[1]!;
    expect(next.atMs).toBe(150);

    node.wake(next.generation, next.atMs);
    expect(core.ticks).toEqual([150, 150]);
    expect(wakes[2], 'a core asking again for a moment it was ticked at is spinning: it waits the timer resolution').toEqual({ atMs: 151, generation: 3 });
    expect(node.spinningWakes).toBe(1);
  });

  it('a pause that swallows no wake changes nothing: a wake still to come stays booked', () => {
    const core = new ScriptedCore(300);
    const { node, wakes } = nodeWith(core);
    node.pause();
    node.resume(150);
    expect(core.ticks).toEqual([150]);
    expect(wakes, 'the wake at 300 ms is still the one booked').toEqual([{ atMs: 300, generation: 1 }]);
    node.wake(1, 300);
    expect(core.ticks).toEqual([150, 300]);
  });
});
