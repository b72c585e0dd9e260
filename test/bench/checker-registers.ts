/**
 * The generated histories of the checker benchmark's register corpus (see registersCorpus in
 * checker.ts), shared with checker-porcupine/dump-registers.ts so that Porcupine is timed on the
 * same histories under the same names: etcd-shaped (3 keys, about 3,000 calls per key), valid, and
 * the same with one stale read (invalid).
 */
export interface GeneratedRegisterCase {
  name: string;
  seed: number;
  staleReads: number;
}

export const GENERATED_REGISTER_CASES: readonly GeneratedRegisterCase[] = [1, 2, 3].flatMap((seed) => [0, 1].map((staleReads) => ({
  name: `generated-seed${seed}${staleReads > 0 ? `-stale${staleReads}` : ''}`, seed, staleReads,
})));
