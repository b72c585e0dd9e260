/**
 * How often a simulated node takes a snapshot, drawn from the seed. quorumd's default (20,000
 * entries) is never reached by a run that commits a few hundred, so every snapshot path would go
 * unchecked: the log prefix deleted behind a snapshot, a lagging follower installing the leader's
 * snapshot (FetchSnapshot), a restart that loads a snapshot from disk. Intervals of a few to a
 * few dozen entries make each of these happen in most runs (`npm run bench -- sim-snapshots`;
 * at 89 or 144 entries a follower installed a snapshot in a third of the seeds); one seed in nine
 * keeps the default, so runs without snapshots stay covered too.
 *
 * Drawn from its own stream (`snapshot-interval`): no other draw of the seed moves.
 */
import { SeededRandom } from './random.js';

/** Entries between snapshots a seed draws from; `null`: the node's default (no snapshot in a run). */
export const SNAPSHOT_INTERVALS_ENTRIES = [2, 3, 5, 8, 13, 21, 34, 55, null] as const;

/** The interval `seed` draws, or null for the node's default. */
export function drawSnapshotIntervalEntries(seed: number): number | null {
  return SeededRandom.fromSeed(seed).fork('snapshot-interval').pick(SNAPSHOT_INTERVALS_ENTRIES);
}
