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

/**
 * The most bytes a FetchSnapshot answer carries, drawn per seed: a simulated image is a few KB,
 * far under the node's default (1 MiB), so without a small piece size every fetched snapshot would
 * come in one piece and the piece-by-piece path (positions, the next request, a leader change or
 * a lost answer halfway) would go unchecked. `null` keeps the default: one piece.
 */
export const FETCH_SNAPSHOT_MAX_BYTES = [64, 256, 1024, 4096, null] as const;

/** The FetchSnapshot piece size `seed` draws (its own stream, `fetch-snapshot-bytes`), or null for the default. */
export function drawFetchSnapshotMaxBytes(seed: number): number | null {
  return SeededRandom.fromSeed(seed).fork('fetch-snapshot-bytes').pick(FETCH_SNAPSHOT_MAX_BYTES);
}

/**
 * How much log a snapshot leaves behind it (core/raft/log-retention.ts), drawn per seed: entries,
 * and records in them. Most seeds keep none, the core's default, so a follower behind a snapshot
 * still fetches it (and those seeds run as they did before retention existed); the others keep a
 * few entries, or a few dozen, some bounded by records first, so followers catch up from the
 * log behind a snapshot and the log start moves by retention rather than to the snapshot's end.
 */
export const LOG_RETENTIONS = [null, null, null, null, { entries: 3, size: 1_000_000 }, { entries: 21, size: 1_000_000 }, { entries: 34, size: 24 }] as const;

/** The log retention `seed` draws (its own stream, `log-retention`), or null for the core's default (none). */
export function drawLogRetention(seed: number): { entries: number; size: number } | null {
  return SeededRandom.fromSeed(seed).fork('log-retention').pick(LOG_RETENTIONS);
}
