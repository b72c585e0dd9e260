/**
 * The seed of a test's randomness: KAFKA_TEST_SEED when set (to reproduce a failure), else a
 * fresh one. Tests put it in every failure message: "reproduce with KAFKA_TEST_SEED=<seed>".
 */
export function testSeed(): number {
  const fromEnv = process.env.KAFKA_TEST_SEED;
  if (fromEnv !== undefined) {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed)) throw new Error(`KAFKA_TEST_SEED must be an integer, got '${fromEnv}'`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

export function reproduce(seed: number): string {
  return `reproduce with KAFKA_TEST_SEED=${seed}`;
}

/** A small deterministic generator (mulberry32) for tests that draw many bytes from one seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
