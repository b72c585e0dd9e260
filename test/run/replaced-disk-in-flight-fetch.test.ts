/**
 * A disk replaced while a fetch it sent is still on its way (KIP-853). Sweep seed 965476439: node
 * 3's old disk flushed the log to 30 and fetched from 30, then its disk was replaced (same node id,
 * a new directory id); the fetch arrived afterwards, named the old directory id (the one the voter
 * set names), and the leader counted it and moved the high watermark to 30. That is Raft: the old
 * disk held those records when it asked, and a disk lost after it acknowledged is a failed voter
 * that can never vote again (the new disk is another replica, no voter). MajorityReachedHighWatermark
 * used to track flushed ends per node id, so the new disk's 0 overwrote the old disk's 30 and the
 * run was judged invalid; it tracks them per replica (node id, directory id) now.
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../src/history/node-event.js';
import { mergeByTime } from '../../src/checker/invariants/event-log-reader.js';
import { resolveRunOptions, rerunCommand } from '../../src/run/options.js';
import { SILENT } from '../../src/run/progress.js';
import { runOnce } from '../../src/run/run-once.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';

// The sweep found 965476439 (below); since snapshots are fetched in pieces it no longer reaches the
// situation, and 965476444, the first seed after it that did (found with countedOnGoneDisk), kept it
// until seeds drew the log kept behind a snapshot (issue 12: it draws 21 entries). 965476450 is the
// first after it where a node reaches a high watermark counting another node's gone disk
// (965476445 counts only the replaced node's own gone disk, as the node itself learns it), until
// kills behind a paused leader were drawn (issue 8); 965476453 is the first after it that does, until
// leaders answered read rounds only to the voters a read waits on; 965476454, the next seed, does.
const SEED = 965476454;

/**
 * The high watermarks a node reached, after another node's disk was replaced, that only the
 * replaced (old) disk's flushed end makes a majority of the three voters: the situation itself.
 */
function countedOnGoneDisk(events: readonly NodeEvent[], voters: readonly number[]): string[] {
  const directoryOf = new Map<number, string>();
  const flushedOfCurrentDisk = new Map<number, number>();
  /** node -> the flushed end its previous disk had when it was replaced. */
  const goneDiskFlushed = new Map<number, number>();
  const found: string[] = [];
  for (const event of events) {
    if (event.kind === 'replica-started' && event.directoryId !== undefined) {
      const before = directoryOf.get(event.node);
      if (before !== undefined && before !== event.directoryId) goneDiskFlushed.set(event.node, flushedOfCurrentDisk.get(event.node) ?? 0);
      directoryOf.set(event.node, event.directoryId);
    } else if (event.kind === 'log-flushed' && event.offset !== undefined) {
      flushedOfCurrentDisk.set(event.node, event.offset);
    } else if (event.kind === 'high-watermark' && event.highWatermark !== undefined) {
      const hw = event.highWatermark;
      const majority = Math.floor(voters.length / 2) + 1;
      const onCurrentDisks = voters.filter((voter) => (flushedOfCurrentDisk.get(voter) ?? 0) >= hw).length;
      for (const [node, flushed] of goneDiskFlushed) {
        if (onCurrentDisks < majority && onCurrentDisks + 1 >= majority && flushed >= hw && (flushedOfCurrentDisk.get(node) ?? 0) < hw) {
          found.push(`node ${event.node} reached ${hw} at ${event.timeNs} ns counting node ${node}'s gone disk (flushed ${flushed})`);
        }
      }
    }
  }
  return found;
}

describe('a disk replaced with a fetch of the old disk in flight', () => {
  it('the leader counts the old disk, and the run is valid (sweep seed 965476439, now 965476454)', async () => {
    const options = resolveRunOptions({
      env: 'sim', nodes: 3, roles: 'combined', nemesis: ['kill', 'membership'], timeLimitMs: 20_000, concurrency: 5, rate: 400, faultLines: 2,
    }, SEED);
    const report = await runOnce({ options, makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never' });
    const replay = `reproduce with: ${rerunCommand(report.options)}`;
    const events = mergeByTime(report.record.nodeLogs.map((log) => log.events));
    const voters = [1, 2, 3];
    // The situation: a high watermark that a majority reached only with a replaced disk's flush.
    // (The first is the leader's; the followers then learn it.)
    expect(countedOnGoneDisk(events, voters)[0], `${replay}: the situation no longer comes up`)
      .toMatch(/^node 1 reached 143 at \d+ ns counting node 2's gone disk \(flushed 143\)$/);
    // And the verdict: every check holds.
    expect(report.judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`), replay).toEqual([]);
    expect(report.judgement.verdict, replay).toBe('valid');
  });
});
