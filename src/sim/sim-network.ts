/**
 * The simulated network between controllers: per-message delay with jitter, loss, duplication and
 * reordering (a message sometimes takes a much slower path), and partitions as grudges applied at
 * delivery, as iptables drops packets at the receiver. Clients are not partitioned from nodes
 * (as in Jepsen, the nemesis cuts only node-to-node links); they see delay only.
 *
 * The network decides *when* each copy of a message arrives; the simulation schedules them.
 */
import { drops, HEALED, type Grudge } from '../faults/grudge.js';
import type { SeededRandom } from './random.js';

export interface NetworkConfig {
  /** Every message takes at least this long. */
  delayMsMin: number;
  /** And at most this long, uniformly, unless it is one of the slow ones below. */
  delayMsMax: number;
  /** Probability a message is lost. */
  lossProbability: number;
  /** Probability a message is delivered twice. */
  duplicateProbability: number;
  /** Probability a message takes a slow path (up to `slowDelayMsMax`), overtaken by later ones. */
  reorderProbability: number;
  slowDelayMsMax: number;
}

export const QUIET_NETWORK: Readonly<NetworkConfig> = Object.freeze({
  delayMsMin: 1,
  delayMsMax: 5,
  lossProbability: 0,
  duplicateProbability: 0,
  reorderProbability: 0,
  slowDelayMsMax: 5,
});

export interface NetworkCounters {
  sent: number;
  lost: number;
  duplicated: number;
  droppedByPartition: number;
}

export class SimNetwork {
  private grudge: Grudge = HEALED;
  /** Packet loss into single nodes (the nemesis's `loss`), on top of the network's own. */
  private lossInto: ReadonlyMap<number, number> = new Map();
  readonly counters: NetworkCounters = { sent: 0, lost: 0, duplicated: 0, droppedByPartition: 0 };
  /** The delays of the copies of the last message drawn (`drawDelivery`). */
  firstDelayMs = 0;
  secondDelayMs = 0;

  constructor(private config: NetworkConfig, private readonly random: SeededRandom) {
    validateNetworkConfig(config);
  }

  /** Change delays and loss (the liveness phase calms the network down). */
  reconfigure(config: NetworkConfig): void {
    validateNetworkConfig(config);
    this.config = config;
  }

  /** Replaces the partition in force (HEALED heals it). */
  partition(grudge: Grudge): void {
    this.grudge = grudge;
  }

  /** Messages arriving at each of `nodes` are lost with `probability`; replaces the loss in force. */
  setLossInto(nodes: readonly number[], probability: number): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`loss probability must be in [0, 1], got ${probability}`);
    this.lossInto = probability === 0 ? new Map() : new Map(nodes.map((node) => [node, probability]));
  }

  get currentGrudge(): Grudge {
    return this.grudge;
  }

  /**
   * How many copies of a node-to-node message to `to` arrive: none (lost), one, or two, after
   * `firstDelayMs` and `secondDelayMs`, which the next draw overwrites (no list per message: every
   * message is drawn). A draw for loss into `to` is made only while some node has loss set, so runs
   * without it draw exactly what they drew before it existed.
   */
  drawDelivery(to = 0): number {
    this.counters.sent += 1;
    if (this.random.chance(this.config.lossProbability)) {
      this.counters.lost += 1;
      return 0;
    }
    if (this.lossInto.size > 0) {
      const probability = this.lossInto.get(to);
      if (probability !== undefined && this.random.chance(probability)) {
        this.counters.lost += 1;
        return 0;
      }
    }
    this.firstDelayMs = this.delayMs();
    if (!this.random.chance(this.config.duplicateProbability)) return 1;
    this.counters.duplicated += 1;
    this.secondDelayMs = this.delayMs();
    return 2;
  }

  /** A client's request or response: delay only. */
  clientDelayMs(): number {
    return this.random.intBetween(this.config.delayMsMin, this.config.delayMsMax);
  }

  /** Checked when a copy arrives: the partition in force *then* decides. */
  deliverable(from: number, to: number): boolean {
    if (!drops(this.grudge, from, to)) return true;
    this.counters.droppedByPartition += 1;
    return false;
  }

  private delayMs(): number {
    if (this.random.chance(this.config.reorderProbability)) {
      return this.random.intBetween(this.config.delayMsMax, Math.max(this.config.delayMsMax, this.config.slowDelayMsMax));
    }
    return this.random.intBetween(this.config.delayMsMin, this.config.delayMsMax);
  }
}

export function validateNetworkConfig(config: NetworkConfig): void {
  if (!Number.isInteger(config.delayMsMin) || config.delayMsMin < 1) {
    throw new RangeError(`network delayMsMin must be an integer >= 1, got ${config.delayMsMin}`);
  }
  if (!Number.isInteger(config.delayMsMax) || config.delayMsMax < config.delayMsMin) {
    throw new RangeError(`network delayMsMax must be an integer >= delayMsMin, got ${config.delayMsMax}`);
  }
  if (!Number.isInteger(config.slowDelayMsMax) || config.slowDelayMsMax < 1) {
    throw new RangeError(`network slowDelayMsMax must be an integer >= 1, got ${config.slowDelayMsMax}`);
  }
  for (const name of ['lossProbability', 'duplicateProbability', 'reorderProbability'] as const) {
    const probability = config[name];
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`network ${name} must be in [0, 1], got ${probability}`);
  }
}
