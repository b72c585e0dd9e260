/**
 * Clock faults with libfaketime (see cluster/clock-skew.ts): containers share the kernel's
 * clock, so each node's program reads its wall clock through libfaketime, whose offset file the
 * mechanism rewrites. Three faults, in Jepsen's words:
 * - `bump`: a node's clock jumps by `deltaMs` (forward or back) and stays there;
 * - `skew`: nodes' clocks are set to fixed, different offsets (NTP that disagrees);
 * - `strobe`: a node's clock flips between its offset and offset + `deltaMs` every `periodMs`,
 *   for `durationMs` or until reset.
 * `reset` puts every clock back on the host's time. Only the wall clock moves: the monotonic
 * clock that timers and the event log use is left alone, as on a machine whose NTP steps time.
 */
import { clockOffsetMsMax } from '../cluster/clock-skew.js';
import type { StartedQuorumCluster } from '../cluster/started-quorum-cluster.js';

/**
 * A strobe flips by rewriting the offset file from this process, which libfaketime reads on every
 * clock read; below this a flip is a timer's jitter, not a period.
 */
export const strobePeriodMsMin = 10;

export interface StrobeSpec {
  deltaMs: number;
  periodMs: number;
  durationMs: number;
}

export class ClockFaults {
  /** The offset each node's clock is set to, apart from a strobe's flips. */
  private readonly offsetsMs = new Map<number, number>();
  private readonly strobes = new Map<number, { stop(): Promise<void> }>();

  constructor(private readonly cluster: StartedQuorumCluster) {}

  /** The offsets in force, for the nemesis operation's resolved value. */
  offsets(): Record<string, number> {
    return Object.fromEntries([...this.offsetsMs].filter(([, offsetMs]) => offsetMs !== 0).map(([nodeId, offsetMs]) => [String(nodeId), offsetMs]));
  }

  /** Sets one node's clock to `offsetMs` from the host's (0: the host's time). */
  async set(nodeId: number, offsetMs: number): Promise<void> {
    await this.setOffset(nodeId, offsetMs);
  }

  async bump(nodeId: number, deltaMs: number): Promise<void> {
    await this.setOffset(nodeId, (this.offsetsMs.get(nodeId) ?? 0) + deltaMs);
  }

  async skew(offsetsMs: ReadonlyMap<number, number>): Promise<void> {
    await Promise.all([...offsetsMs].map(([nodeId, offsetMs]) => this.setOffset(nodeId, offsetMs)));
  }

  /** Starts flipping the node's clock; it stops by itself after `durationMs`. */
  async strobe(nodeId: number, spec: StrobeSpec): Promise<void> {
    if (!(Number.isInteger(spec.periodMs) && spec.periodMs >= strobePeriodMsMin)) {
      throw new RangeError(`strobe period must be an integer of at least ${strobePeriodMsMin} ms, got ${spec.periodMs}`);
    }
    await this.stopStrobe(nodeId);
    const node = this.cluster.node(nodeId);
    const baseMs = this.offsetsMs.get(nodeId) ?? 0;
    assertOffset(baseMs + spec.deltaMs);
    let flipped = false;
    let writing: Promise<void> = Promise.resolve();
    const flip = (): void => {
      flipped = !flipped;
      writing = writing.then(() => node.setClockOffset(flipped ? baseMs + spec.deltaMs : baseMs)).catch(() => {
        // A node killed mid-strobe has no file to write; the strobe ends with reset or duration.
      });
    };
    flip();
    const timer = setInterval(flip, spec.periodMs);
    const stop = async (): Promise<void> => {
      clearInterval(timer);
      clearTimeout(ending);
      this.strobes.delete(nodeId);
      await writing;
      await node.setClockOffset(this.offsetsMs.get(nodeId) ?? 0).catch(() => {});
    };
    const ending = setTimeout(() => void stop(), spec.durationMs);
    // A strobe must not keep a finished run's process alive.
    timer.unref();
    ending.unref();
    this.strobes.set(nodeId, { stop });
    await writing;
  }

  /** Every clock back on the host's time, strobes stopped. Nodes that are down are skipped. */
  async reset(): Promise<void> {
    await Promise.all([...this.strobes.keys()].map((nodeId) => this.stopStrobe(nodeId)));
    const skewed = [...this.offsetsMs.keys()];
    this.offsetsMs.clear();
    await Promise.all(skewed.map(async (nodeId) => {
      await this.cluster.node(nodeId).setClockOffset(0).catch(async (error: unknown) => {
        if (await this.cluster.node(nodeId).isRunning()) throw error;
      });
    }));
  }

  private async stopStrobe(nodeId: number): Promise<void> {
    await this.strobes.get(nodeId)?.stop();
  }

  private async setOffset(nodeId: number, offsetMs: number): Promise<void> {
    assertOffset(offsetMs);
    await this.stopStrobe(nodeId);
    await this.cluster.node(nodeId).setClockOffset(offsetMs);
    this.offsetsMs.set(nodeId, offsetMs);
  }
}

function assertOffset(offsetMs: number): void {
  if (!Number.isInteger(offsetMs) || Math.abs(offsetMs) > clockOffsetMsMax) {
    throw new RangeError(`a clock offset must be an integer number of ms within ±${clockOffsetMsMax}, got ${offsetMs}`);
  }
}
