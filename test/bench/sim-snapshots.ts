/**
 * How often a simulated run takes the snapshot paths (issue 8): the share of seeds, drawn with
 * the default options, in which each happens, counted from the node events. Figures, never
 * assertions: `npm run bench -- sim-snapshots` prints them beside the load average.
 */
import { loadavg } from 'node:os';
import type { NodeEvent } from '../../src/history/node-event.js';
import { resolveRunOptions } from '../../src/run/options.js';
import { executeRun, planRun } from '../../src/run/pipeline.js';
import { SILENT } from '../../src/run/progress.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';

interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

interface Benchmark {
  name: string;
  summary: string;
  run(): Promise<Figure[]>;
}

/** What one run's node events show of the snapshot paths. */
export interface SnapshotPaths {
  /** A node took a snapshot and its log now starts past 0: the prefix behind it is gone. */
  logPrefixDeleted: boolean;
  /** A follower replaced its state with a snapshot fetched from the leader (FetchSnapshot). */
  snapshotInstalled: boolean;
  /** A node started again and loaded a snapshot from its own disk. */
  restartedFromSnapshot: boolean;
  /** A follower dropped a divergent uncommitted tail (not a snapshot path; for comparison). */
  divergentTailTruncated: boolean;
}

/**
 * Reads the paths off each node's own events, in its order: a fetched snapshot is a `snapshot`
 * followed by a `snapshot-loaded` of the same offset; a snapshot loaded at start-up follows
 * `restarted` (local-replica.ts and raft-node.ts emit them so).
 */
export function snapshotPaths(streams: readonly (readonly NodeEvent[])[]): SnapshotPaths {
  const paths: SnapshotPaths = { logPrefixDeleted: false, snapshotInstalled: false, restartedFromSnapshot: false, divergentTailTruncated: false };
  for (const events of streams) {
    let previous: NodeEvent | undefined;
    for (const event of events) {
      if (event.kind === 'snapshot' && (event.logStartOffset ?? 0) > 0) paths.logPrefixDeleted = true;
      if (event.kind === 'log-truncated') paths.divergentTailTruncated = true;
      if (event.kind === 'snapshot-loaded') {
        if (previous?.kind === 'snapshot' && previous.offset === event.offset) paths.snapshotInstalled = true;
        if (previous?.kind === 'restarted') paths.restartedFromSnapshot = true;
      }
      previous = event;
    }
  }
  return paths;
}

const SNAPSHOT_BASE_SEED = 4_100_000;
const SNAPSHOT_SEEDS = 200;

export const SIM_SNAPSHOT_BENCHMARKS: Benchmark[] = [
  {
    name: 'sim-snapshots',
    summary: `the share of ${SNAPSHOT_SEEDS} seeds (default options, 20 s) in which each snapshot path happens, from the node events`,
    async run() {
      const counts: Record<keyof SnapshotPaths, number> = { logPrefixDeleted: 0, snapshotInstalled: 0, restartedFromSnapshot: 0, divergentTailTruncated: 0 };
      let restartedAtAll = 0;
      let all = 0;
      const startedMs = performance.now();
      for (let seed = SNAPSHOT_BASE_SEED; seed < SNAPSHOT_BASE_SEED + SNAPSHOT_SEEDS; seed++) {
        const plan = planRun(resolveRunOptions({ env: 'sim' }, seed));
        const world = await simWorldMaker()(plan, () => undefined);
        const record = await executeRun(plan, world, SILENT, null);
        const streams = record.nodeLogs.map((log) => log.events);
        const paths = snapshotPaths(streams);
        for (const key of Object.keys(counts) as (keyof SnapshotPaths)[]) if (paths[key]) counts[key] += 1;
        if (paths.logPrefixDeleted && paths.snapshotInstalled && paths.restartedFromSnapshot) all += 1;
        if (streams.some((events) => events.some((event) => event.kind === 'restarted'))) restartedAtAll += 1;
      }
      const share = (count: number): number => Math.round((count / SNAPSHOT_SEEDS) * 1000) / 10;
      const note = `seeds ${SNAPSHOT_BASE_SEED}..${SNAPSHOT_BASE_SEED + SNAPSHOT_SEEDS - 1} in ${((performance.now() - startedMs) / 1000).toFixed(0)} s, load average ${loadavg()[0]!.toFixed(1)}`;
      return [
        { name: 'seeds whose log prefix is deleted behind a snapshot', value: share(counts.logPrefixDeleted), unit: '%', note },
        { name: 'seeds in which a follower installs the leader\'s snapshot (FetchSnapshot)', value: share(counts.snapshotInstalled), unit: '%' },
        { name: 'seeds in which a node restarts from a snapshot', value: share(counts.restartedFromSnapshot), unit: '%',
          note: `${share(restartedAtAll)} % of seeds restart a node at all (kill, stop, membership faults)` },
        { name: 'seeds with all three', value: share(all), unit: '%' },
        { name: 'seeds in which a follower truncates a divergent tail', value: share(counts.divergentTailTruncated), unit: '%', note: 'not a snapshot path; for comparison' },
      ];
    },
  },
];
