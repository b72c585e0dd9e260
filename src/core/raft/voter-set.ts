/**
 * The voters of the quorum: who may vote and stand, and how many make a majority. Every rule that
 * counts voters asks this set, never the configuration, so that a set read from the log (KIP-853)
 * can take its place without touching the rules.
 */
export class VoterSet {
  private readonly members: ReadonlySet<number>;

  constructor(readonly ids: readonly number[]) {
    this.members = new Set(ids);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The fewest voters that make a majority: ⌊n / 2⌋ + 1. */
  get majority(): number {
    return majorityOf(this.ids.length);
  }

  has(id: number): boolean {
    return this.members.has(id);
  }

  /** Every voter but `self`, in the set's order. */
  others(self: number): number[] {
    return this.ids.filter((id) => id !== self);
  }
}

export function majorityOf(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}
