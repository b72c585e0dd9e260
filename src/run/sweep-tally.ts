/**
 * What a sweep keeps of its seeds while it runs: one byte per seed for its verdict, every seed
 * that is not valid in full, and totals. A valid seed's outcome (its rerun line, its set-up in
 * words: a few hundred bytes) is dropped once counted, so a sweep of 1,000,000 seeds holds about
 * 1 MB for them instead of hundreds, and sweep.json lists valid seeds as ranges.
 */
import type { RunVerdict } from '../history/run-directory-format.js';
import type { SeedOutcome } from './sweep.js';

/** A seed's verdict as a byte: 0 not run (yet). */
const CODES: Readonly<Record<RunVerdict, number>> = { valid: 1, invalid: 2, unknown: 3 };
const NOT_RUN = 0;

/** [first, last]: every `step`-th seed from first to last, both included. */
export type SeedRange = [number, number];

export class SweepTally {
  readonly counts = { valid: 0, invalid: 0, unknown: 0 };
  /** Every seed that is not valid, as its worker reported it. */
  readonly notValid: SeedOutcome[] = [];
  simulatedMs = 0;
  operations = 0;
  /** For each rule some seed gave nothing to judge, in how many seeds (a valid seed did not judge it either). */
  readonly notJudgedSeeds: Record<string, number> = {};
  private readonly verdicts: Uint8Array;

  /**
   * `seeds`: the sweep's seeds in ascending order (a shard's are every `step`-th); throws a
   * RangeError naming the first out of order, since a seed is found by binary search.
   */
  constructor(private readonly seeds: readonly number[], private readonly step: number) {
    if (!Number.isSafeInteger(step) || step < 1) throw new RangeError(`a sweep's seed step must be a positive integer, got ${step}`);
    for (let index = 1; index < seeds.length; index += 1) {
      if (!(seeds[index]! > seeds[index - 1]!)) throw new RangeError(`a sweep's seeds must ascend: ${seeds[index]} follows ${seeds[index - 1]}`);
    }
    this.verdicts = new Uint8Array(seeds.length);
  }

  /** How many seeds were recorded. */
  get done(): number {
    return this.counts.valid + this.counts.invalid + this.counts.unknown;
  }

  record(outcome: SeedOutcome): void {
    const index = this.indexOf(outcome.seed);
    if (index === -1) throw new RangeError(`seed ${outcome.seed} is not one of this sweep's`);
    if (this.verdicts[index] !== NOT_RUN) throw new RangeError(`seed ${outcome.seed} was recorded twice`);
    this.verdicts[index] = CODES[outcome.verdict];
    this.counts[outcome.verdict] += 1;
    this.simulatedMs += outcome.simulatedMs;
    this.operations += outcome.operations;
    for (const rule of outcome.notJudged) this.notJudgedSeeds[rule] = (this.notJudgedSeeds[rule] ?? 0) + 1;
    if (outcome.verdict !== 'valid') this.notValid.push(outcome);
  }

  /** The seeds not valid, in seed order. */
  notValidInOrder(): SeedOutcome[] {
    return [...this.notValid].sort((a, b) => a.seed - b.seed);
  }

  /** The seeds that ran, as ranges of consecutive seeds of the sweep (each `step` apart). */
  ranRanges(): SeedRange[] {
    return this.ranges((code) => code !== NOT_RUN);
  }

  /** The valid seeds, as ranges of the same kind. */
  validRanges(): SeedRange[] {
    return this.ranges((code) => code === CODES.valid);
  }

  private ranges(keep: (code: number) => boolean): SeedRange[] {
    const ranges: SeedRange[] = [];
    let open: SeedRange | null = null;
    for (let index = 0; index < this.seeds.length; index += 1) {
      const seed = this.seeds[index]!;
      if (!keep(this.verdicts[index]!)) {
        open = null;
      } else if (open !== null && seed === open[1] + this.step) {
        open[1] = seed;
      } else {
        open = [seed, seed];
        ranges.push(open);
      }
    }
    return ranges;
  }

  private indexOf(seed: number): number {
    let low = 0;
    let high = this.seeds.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.seeds[middle]!;
      if (value === seed) return middle;
      if (value < seed) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
