/**
 * The simulator's fault injector: it waits, starts a fault (a partition, a crash, a pause),
 * holds it, undoes it (heal, restart, resume), and repeats, each step drawn from its own seeded
 * stream. With several `slots` that many of these loops run at once, so faults overlap (a crash
 * during a partition); at most one partition is in force, and a node has at most one fault. Every action is recorded as an `info` operation of process "nemesis", so a history
 * shows what the cluster went through. `stop` undoes whatever is in force: the liveness phase
 * starts from a healed cluster.
 */
import { describeGrudge, HEALED, type Grudge } from '../faults/grudge.js';
import { partitionShape, type PartitionShape } from '../faults/partition-shapes.js';
import type { HistoryRecorder } from './history-recorder.js';
import type { SeededRandom } from './random.js';
import type { RequestChannel } from './request-channel.js';
import type { FaultKind } from './run-config.js';

export interface NemesisTargets {
  nodes: readonly number[];
  currentLeader(): number | null;
  partition(grudge: Grudge): void;
  crash(nodeId: number): void;
  restart(nodeId: number): void;
  pause(nodeId: number): void;
  resume(nodeId: number): void;
}

export interface NemesisConfig {
  faults: readonly FaultKind[];
  partitionShapes: readonly PartitionShape[];
  faultGapMs: readonly [number, number];
  faultHoldMs: readonly [number, number];
  /** How many faults may be in force at once. */
  nemesisSlots: number;
}

type ActiveFault = 'partition' | 'crash' | 'pause';

export class Nemesis {
  private readonly kinds: ActiveFault[];
  /** The undo of every fault in force, by slot. */
  private readonly undos = new Map<number, () => void>();
  private partitioned = false;
  private readonly faultedNodes = new Set<number>();
  private stopped = false;
  actions = 0;

  constructor(
    private readonly config: NemesisConfig,
    private readonly random: SeededRandom,
    private readonly channel: RequestChannel,
    private readonly targets: NemesisTargets,
    private readonly recorder: HistoryRecorder,
  ) {
    this.kinds = (['partition', 'crash', 'pause'] as const).filter((kind) => config.faults.includes(kind));
  }

  start(): void {
    if (this.kinds.length === 0) return;
    for (let slot = 0; slot < this.config.nemesisSlots; slot += 1) {
      this.channel.after(this.draw(this.config.faultGapMs), () => this.strike(slot));
    }
  }

  /** Undo every fault in force, and start no more. */
  stop(): void {
    this.stopped = true;
    for (const slot of [...this.undos.keys()].sort((a, b) => a - b)) this.endFault(slot);
  }

  private strike(slot: number): void {
    if (this.stopped) return;
    const undo = this.begin(this.random.pick(this.kinds));
    if (undo !== null) this.undos.set(slot, undo);
    this.channel.after(this.draw(this.config.faultHoldMs), () => {
      if (this.stopped) return;
      this.endFault(slot);
      this.channel.after(this.draw(this.config.faultGapMs), () => this.strike(slot));
    });
  }

  /** Starts a fault of `kind` and returns its undo, or null when it would collide with one in force. */
  private begin(kind: ActiveFault): (() => void) | null {
    const nowMs = this.channel.nowMs();
    if (kind === 'partition') {
      if (this.partitioned) return null;
      this.partitioned = true;
      const shape = this.random.pick(this.config.partitionShapes);
      const grudge = partitionShape(shape, this.targets.nodes, this.targets.currentLeader(), this.random);
      this.targets.partition(grudge);
      this.record('start-partition', { shape, grudge: describeGrudge(grudge) }, nowMs);
      return () => {
        this.partitioned = false;
        this.targets.partition(HEALED);
        this.record('stop-partition', null, this.channel.nowMs());
      };
    }
    const nodeId = this.victim();
    if (nodeId === null) return null;
    this.faultedNodes.add(nodeId);
    if (kind === 'crash') {
      this.targets.crash(nodeId);
      this.record('kill', { node: nodeId }, nowMs);
      return () => {
        this.faultedNodes.delete(nodeId);
        this.targets.restart(nodeId);
        this.record('restart', { node: nodeId }, this.channel.nowMs());
      };
    }
    this.targets.pause(nodeId);
    this.record('pause', { node: nodeId }, nowMs);
    return () => {
      this.faultedNodes.delete(nodeId);
      this.targets.resume(nodeId);
      this.record('resume', { node: nodeId }, this.channel.nowMs());
    };
  }

  /** Half the time the leader (the most interesting victim), else any node without a fault. */
  private victim(): number | null {
    const healthy = this.targets.nodes.filter((node) => !this.faultedNodes.has(node));
    if (healthy.length === 0) return null;
    const leader = this.targets.currentLeader();
    if (leader !== null && healthy.includes(leader) && this.random.chance(0.5)) return leader;
    return this.random.pick(healthy);
  }

  private endFault(slot: number): void {
    const undo = this.undos.get(slot);
    this.undos.delete(slot);
    undo?.();
  }

  private record(f: string, value: unknown, nowMs: number): void {
    this.actions += 1;
    this.recorder.nemesis(f, value, nowMs);
  }

  private draw([min, max]: readonly [number, number]): number {
    return this.random.intBetween(min, max);
  }
}
