/**
 * The nemesis side of the generator: it plays a fault schedule (faults/schedule.ts) on a world.
 * Each entry waits for its time, resolves its symbolic target against the cluster as it is then
 * (the leader the world reports, the nodes other faults hold), applies the fault through the
 * world's mechanism, holds it, and undoes it. Both ends are recorded as `info` operations of
 * process "nemesis" (`start-<kind>` and `stop-<kind>`, carrying the entry id and the resolved
 * targets), and the entry as resolved goes to schedule.json.
 *
 * A node holds at most one process fault (kill, pause, stop) and one clock fault at a time; the
 * schedule keeps partitions and loss from overlapping. A mechanism that fails (a container gone)
 * is recorded with its error and the run goes on: the fault simply did not happen.
 */
import { describeGrudge, HEALED } from '../faults/grudge.js';
import { resolveTarget, type NodeTarget } from '../faults/node-targets.js';
import { partitionShape } from '../faults/partition-shapes.js';
import { describeFaultAction, type FaultEntry, type FaultSchedule, type ResolvedFault } from '../faults/schedule.js';
import type { HistoryRecorder } from '../history/history-recorder.js';
import type { SeededRandom } from '../sim/random.js';
import type { ProgressSink } from './progress.js';
import type { World } from './world.js';

export class NemesisRunner {
  readonly resolved: ResolvedFault[] = [];
  private readonly inForce = new Map<number, string>();
  private readonly processBusy = new Set<number>();
  private readonly clockBusy = new Set<number>();
  actions = 0;

  constructor(
    private readonly world: World,
    private readonly schedule: FaultSchedule,
    private readonly recorder: HistoryRecorder,
    private readonly random: SeededRandom,
    private readonly sink: ProgressSink,
  ) {}

  /** Descriptions of the faults in force now, for progress lines. */
  faultsInForce(): string[] {
    return [...this.inForce.values()];
  }

  /** Plays every entry, `entry.atMs` after `phaseStartMs` on the world's clock; resolves when all were undone. */
  async run(phaseStartMs: number): Promise<void> {
    await Promise.all(this.schedule.entries.map((entry) => this.play(entry, phaseStartMs)));
  }

  private async play(entry: FaultEntry, phaseStartMs: number): Promise<void> {
    const clock = this.world.clock;
    await clock.sleep(phaseStartMs + entry.atMs - clock.nowMs());
    const leaderId = (await this.world.leader())?.nodeId ?? null;
    const random = this.random.fork(`entry-${entry.id}`);
    const fault: ResolvedFault = {
      id: entry.id, action: entry.action, nodes: [], leaderId, startedAtMs: clock.nowMs(), endedAtMs: null, note: null,
    };
    this.resolved.push(fault);
    let undo: (() => Promise<void>) | null;
    try {
      undo = await this.apply(entry, fault, random);
    } catch (error) {
      this.fail(entry, fault, error);
      return;
    }
    if (undo === null) {
      this.record(`start-${entry.action.kind}`, entry, fault);
      fault.endedAtMs = fault.startedAtMs;
      this.sink.emit({ kind: 'nemesis', atMs: clock.nowMs(), action: 'failed', description: `${describeFaultAction(entry.action)}: ${fault.note ?? 'nothing to do'}` });
      return;
    }
    this.inForce.set(entry.id, `${describeFaultAction(entry.action)} (${fault.nodes.join(',')})`);
    this.record(`start-${entry.action.kind}`, entry, fault);
    this.sink.emit({ kind: 'nemesis', atMs: clock.nowMs(), action: 'start', description: `${describeFaultAction(entry.action)} on ${fault.nodes.join(',')}` });
    await clock.sleep(fault.startedAtMs + entry.durationMs - clock.nowMs());
    try {
      await undo();
    } catch (error) {
      this.fail(entry, fault, error);
    } finally {
      this.inForce.delete(entry.id);
    }
    fault.endedAtMs = clock.nowMs();
    this.record(`stop-${entry.action.kind}`, entry, fault);
    this.sink.emit({ kind: 'nemesis', atMs: clock.nowMs(), action: 'stop', description: `${describeFaultAction(entry.action)} on ${fault.nodes.join(',')}` });
  }

  /** Applies the entry and returns its undo, or null when nothing could be done (no free node). */
  private async apply(entry: FaultEntry, fault: ResolvedFault, random: SeededRandom): Promise<(() => Promise<void>) | null> {
    const world = this.world;
    const nodes = this.schedule.nodes;
    const action = entry.action;
    const targets = (target: NodeTarget, busy: Set<number>): number[] => {
      const resolved = resolveTarget(target, { nodes, leaderId: fault.leaderId, busy }, random);
      fault.note = resolved.note;
      fault.nodes = resolved.nodes;
      return resolved.nodes;
    };
    switch (action.kind) {
      case 'partition': {
        const grudge = partitionShape(action.shape, nodes, fault.leaderId, random);
        fault.grudge = describeGrudge(grudge);
        fault.nodes = [...grudge.keys()].sort((a, b) => a - b);
        await world.applyGrudge(grudge);
        return () => world.applyGrudge(HEALED);
      }
      case 'kill':
      case 'pause':
      case 'stop': {
        const chosen = targets(action.target, this.processBusy);
        if (chosen.length === 0) return null;
        for (const node of chosen) this.processBusy.add(node);
        const release = (): void => { for (const node of chosen) this.processBusy.delete(node); };
        const [begin, end] = action.kind === 'kill' ? [world.kill, world.start] : action.kind === 'pause' ? [world.pause, world.resume] : [world.stop, world.start];
        try {
          await Promise.all(chosen.map((node) => begin.call(world, node)));
        } catch (error) {
          await Promise.allSettled(chosen.map((node) => end.call(world, node)));
          release();
          throw error;
        }
        return async () => {
          try {
            await Promise.all(chosen.map((node) => end.call(world, node)));
          } finally {
            release();
          }
        };
      }
      case 'clock': {
        const chosen = targets(action.target, this.clockBusy);
        if (chosen.length === 0) return null;
        for (const node of chosen) this.clockBusy.add(node);
        const offsets: Record<string, number> = {};
        for (const node of chosen) {
          offsets[String(node)] = action.mode === 'skew' ? random.intBetween(-action.skewMsMax, action.skewMsMax) : action.deltaMs;
        }
        fault.clockOffsetsMs = offsets;
        if (action.mode === 'strobe') {
          await Promise.all(chosen.map((node) => world.strobeClock(node, action.deltaMs, action.periodMs, entry.durationMs)));
        } else {
          await Promise.all(chosen.map((node) => world.setClockOffset(node, offsets[String(node)] as number)));
        }
        return async () => {
          try {
            await Promise.all(chosen.map((node) => world.setClockOffset(node, 0)));
          } finally {
            for (const node of chosen) this.clockBusy.delete(node);
          }
        };
      }
      case 'loss': {
        const chosen = targets(action.target, new Set());
        if (chosen.length === 0) return null;
        await world.setPacketLoss(chosen, action.probability);
        return () => world.setPacketLoss([], 0);
      }
    }
  }

  private fail(entry: FaultEntry, fault: ResolvedFault, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    fault.note = `${fault.note === null ? '' : `${fault.note}; `}the mechanism failed: ${message}`;
    fault.endedAtMs ??= this.world.clock.nowMs();
    this.recorder.nemesis(`fail-${entry.action.kind}`, { id: entry.id, error: message }, this.world.clock.nowMs());
    this.actions += 1;
    this.sink.emit({ kind: 'nemesis', atMs: this.world.clock.nowMs(), action: 'failed', description: `${describeFaultAction(entry.action)}: ${message}` });
  }

  private record(f: string, entry: FaultEntry, fault: ResolvedFault): void {
    const value: Record<string, unknown> = { id: entry.id, ...entry.action, nodes: fault.nodes };
    if (fault.grudge !== undefined) value.grudge = fault.grudge;
    if (fault.clockOffsetsMs !== undefined) value.clockOffsetsMs = fault.clockOffsetsMs;
    if (fault.note !== null) value.note = fault.note;
    if (f.startsWith('stop-')) value.startedAtMs = fault.startedAtMs;
    this.recorder.nemesis(f, value, this.world.clock.nowMs());
    this.actions += 1;
  }
}
