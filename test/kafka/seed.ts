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

export { mulberry32 as seededRandom } from '../support/mulberry32.js';
