/**
 * The register workload (Jepsen's etcd register test, in our words): reads, writes and
 * compare-and-sets on a few keys, every written value unique, so a read names the one write it
 * observed. Each worker stays on one key (`k0`, `k1`, ...; groups of consecutive workers share a
 * key, so with one worker per node in a group each key is worked on through every node), and a
 * cas expects the value its worker last saw on that key, so both outcomes (applied, compare
 * failed) are common. Values are `[key, value]` pairs, the keyed register vocabulary of the
 * checker's `etcd-keyed` model (src/checker/models/register.ts).
 *
 * Seeded: each draw comes from the random source the caller gives (the run's per-slot streams,
 * or one source for the whole workload), so a run's operations replay from its seed. Values come
 * from one counter, so they are unique across workers.
 */

export interface RegisterMix {
  read: number;
  write: number;
  cas: number;
}

export interface RegisterWorkloadOptions {
  /** How many keys (default 3). */
  keys?: number;
  /**
   * Consecutive workers that share a key (default 1): with one client per node in a group, each
   * key is worked on through every node (clients are pinned to nodes by process id modulo nodes).
   */
  workersPerKeyGroup?: number;
  /** Shares of read, write and cas (default REGISTER_MIX_DEFAULT). */
  mix?: RegisterMix;
}

export const REGISTER_KEYS_DEFAULT = 3;
export const REGISTER_MIX_DEFAULT: Readonly<RegisterMix> = Object.freeze({ read: 0.4, write: 0.3, cas: 0.3 });

export interface RegisterInvocation {
  f: 'read' | 'write' | 'cas';
  value: [string, unknown];
}

export class RegisterWorkload {
  readonly keyCount: number;
  private readonly mix: RegisterMix;
  private readonly group: number;
  private nextValue = 1;
  /** What each worker last saw on its key (null: nothing, or not yet). */
  private readonly lastSeen = new Map<number, unknown>();

  constructor(private readonly random: () => number, options: RegisterWorkloadOptions = {}) {
    this.keyCount = options.keys ?? REGISTER_KEYS_DEFAULT;
    if (!Number.isInteger(this.keyCount) || this.keyCount < 1) {
      throw new RangeError(`register workload: keys must be a positive integer, got ${this.keyCount}`);
    }
    this.group = options.workersPerKeyGroup ?? 1;
    if (!Number.isInteger(this.group) || this.group < 1) {
      throw new RangeError(`register workload: workersPerKeyGroup must be a positive integer, got ${this.group}`);
    }
    this.mix = { ...(options.mix ?? REGISTER_MIX_DEFAULT) };
    const total = this.mix.read + this.mix.write + this.mix.cas;
    if (!(total > 0) || [this.mix.read, this.mix.write, this.mix.cas].some((share) => share < 0)) {
      throw new RangeError(`register workload: the mix needs non-negative shares with a positive sum, got ${JSON.stringify(this.mix)}`);
    }
  }

  keyOf(worker: number): string {
    return `k${Math.floor(worker / this.group) % this.keyCount}`;
  }

  /** The worker's next operation, drawn from `random` (default: the workload's own source). */
  next(worker: number, random: () => number = this.random): RegisterInvocation {
    const key = this.keyOf(worker);
    const total = this.mix.read + this.mix.write + this.mix.cas;
    const draw = random() * total;
    if (draw < this.mix.read) return { f: 'read', value: [key, null] };
    if (draw < this.mix.read + this.mix.write) return this.write(key);
    return { f: 'cas', value: [key, [this.lastSeen.get(worker) ?? null, this.freshValue()]] };
  }

  /** A write of a value never written before (also the run's recovery probe). */
  write(key: string): RegisterInvocation {
    return { f: 'write', value: [key, this.freshValue()] };
  }

  /** Remembers what a completed operation showed the worker (for its next cas's expectation). */
  observe(worker: number, invocation: RegisterInvocation, completion: { type: string; value?: unknown }): void {
    if (completion.type !== 'ok') return;
    const [, answered] = completion.value as [string, unknown];
    if (invocation.f === 'read' || invocation.f === 'write') this.lastSeen.set(worker, answered);
    else if (Array.isArray(answered)) this.lastSeen.set(worker, answered[1]);
  }

  private freshValue(): number {
    const value = this.nextValue;
    this.nextValue += 1;
    return value;
  }
}
