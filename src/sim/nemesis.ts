/**
 * The simulator's fault injector: it waits, starts one fault (a partition, a crash, a pause),
 * holds it, undoes it (heal, restart, resume), and repeats, each step drawn from its own seeded
 * stream. Every action is recorded as an `info` operation of process "nemesis", so a history
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
}

type ActiveFault = 'partition' | 'crash' | 'pause';

export class Nemesis {
  private readonly kinds: ActiveFault[];
  private undo: (() => void) | null = null;
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
    if (this.kinds.length > 0) this.channel.after(this.draw(this.config.faultGapMs), () => this.strike());
  }

  /** Undo the fault in force, and start no more. */
  stop(): void {
    this.stopped = true;
    this.endFault();
  }

  private strike(): void {
    if (this.stopped) return;
    const kind = this.random.pick(this.kinds);
    this.undo = this.begin(kind);
    this.channel.after(this.draw(this.config.faultHoldMs), () => {
      if (this.stopped) return;
      this.endFault();
      this.channel.after(this.draw(this.config.faultGapMs), () => this.strike());
    });
  }

  private begin(kind: ActiveFault): () => void {
    const nowMs = this.channel.nowMs();
    if (kind === 'partition') {
      const shape = this.random.pick(this.config.partitionShapes);
      const grudge = partitionShape(shape, this.targets.nodes, this.targets.currentLeader(), this.random);
      this.targets.partition(grudge);
      this.record('start-partition', { shape, grudge: describeGrudge(grudge) }, nowMs);
      return () => {
        this.targets.partition(HEALED);
        this.record('stop-partition', null, this.channel.nowMs());
      };
    }
    const nodeId = this.victim();
    if (kind === 'crash') {
      this.targets.crash(nodeId);
      this.record('kill', { node: nodeId }, nowMs);
      return () => {
        this.targets.restart(nodeId);
        this.record('restart', { node: nodeId }, this.channel.nowMs());
      };
    }
    this.targets.pause(nodeId);
    this.record('pause', { node: nodeId }, nowMs);
    return () => {
      this.targets.resume(nodeId);
      this.record('resume', { node: nodeId }, this.channel.nowMs());
    };
  }

  /** Half the time the leader (the most interesting victim), else any node. */
  private victim(): number {
    const leader = this.targets.currentLeader();
    if (leader !== null && this.random.chance(0.5)) return leader;
    return this.random.pick(this.targets.nodes);
  }

  private endFault(): void {
    const undo = this.undo;
    this.undo = null;
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
