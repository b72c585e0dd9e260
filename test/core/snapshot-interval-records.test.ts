/**
 * A node takes a snapshot every `snapshotIntervalEntries` entries or `snapshotIntervalRecords`
 * records, whichever comes first (KRaft counts bytes between snapshots), so the log it holds in
 * memory stays bounded when a few entries carry many records: at two million partitions a broker's
 * fencing is 100 entries of 20,000 records, and counted by entries alone it never left memory.
 */
import { describe, expect, it } from 'vitest';
import type { QuorumNode } from '../../src/core/quorum-node.js';
import type { QuorumNodeConfigInput } from '../../src/core/quorum-node-config.js';
import { TinyCluster } from '../support/tiny-cluster.js';

const PARTITIONS_PER_TOPIC = 500;
const TOPICS = 12;

/** Three nodes, TOPICS topics of PARTITIONS_PER_TOPIC partitions created through the leader, each one entry. */
function loadedCluster(settings: Partial<QuorumNodeConfigInput>): TinyCluster {
  const cluster = new TinyCluster([1, 2, 3], [], settings);
  expect(cluster.run(20_000, () => cluster.leaders().length === 1)).toBe(true);
  // Every broker registered and unfenced.
  cluster.run(cluster.nowMs + 3000);
  const leader = cluster.leaders()[0]!;
  for (let t = 0; t < TOPICS; t++) {
    const requestId = cluster.submit(leader, { type: 'createTopic', name: `t${t}`, numPartitions: PARTITIONS_PER_TOPIC, replicationFactor: 3 });
    cluster.run(cluster.nowMs + 10_000, () => cluster.response(requestId) !== undefined);
    const response = cluster.response(requestId);
    expect(response?.outcome === 'ok' && (response.result as { ok: boolean }).ok, JSON.stringify(response)).toBe(true);
  }
  cluster.run(cluster.nowMs + 1000);
  return cluster;
}

/** Records in the log the node holds in memory, and its largest entry. */
function recordsHeld(node: QuorumNode): { records: number; largestEntry: number } {
  const log = node.raftNode.log;
  let records = 0;
  let largestEntry = 0;
  for (let offset = log.startOffset; offset < log.endOffset; offset++) {
    const size = log.entryAt(offset)!.record.length;
    records += size;
    largestEntry = Math.max(largestEntry, size);
  }
  return { records, largestEntry };
}

describe('snapshots by records', () => {
  it('every node snapshots once the records since its last snapshot reach snapshotIntervalRecords, though few entries came', () => {
    const interval = 2000;
    const cluster = loadedCluster({ snapshotIntervalRecords: interval });
    for (const [id, node] of cluster.nodes) {
      const snapshot = cluster.disks.get(id)!.snapshot;
      expect(snapshot, `node ${id} took no snapshot`).not.toBeNull();
      // 12 topics of 501 records (entries: far below snapshotIntervalEntries' 20,000).
      expect(node.raftNode.log.snapshotEndOffset).toBe(snapshot!.endOffset);
      const { records, largestEntry } = recordsHeld(node);
      expect(largestEntry).toBeLessThanOrEqual(PARTITIONS_PER_TOPIC + 1);
      expect(records, `node ${id}'s log in memory`).toBeLessThan(interval);
      expect(node.debugState().logStartOffset, `node ${id}'s log starts at its snapshot`).toBe(snapshot!.endOffset);
    }
  });

  it('counted by entries alone (a records interval above what was written), nothing is snapshotted and every record stays', () => {
    const cluster = loadedCluster({ snapshotIntervalRecords: TOPICS * (PARTITIONS_PER_TOPIC + 1) * 2 });
    for (const [id, node] of cluster.nodes) {
      expect(cluster.disks.get(id)!.snapshot, `node ${id}`).toBeNull();
      expect(recordsHeld(node).records).toBeGreaterThanOrEqual(TOPICS * (PARTITIONS_PER_TOPIC + 1));
    }
  });
});
