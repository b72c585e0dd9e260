/**
 * The core reports every time its state machine is replaced by a snapshot (`snapshot-loaded`),
 * which LeaderNeverLoadSnapshot judges: a follower installing the leader's snapshot, and a node
 * starting from its own. Taking a snapshot is not loading one.
 */
import { describe, expect, it } from 'vitest';
import { TinyCluster } from '../support/tiny-cluster.js';

describe('snapshot-loaded events', () => {
  it('a lagging follower that installs the leader\'s snapshot, and a restart from a snapshot, each report loading it', () => {
    const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 3 });
    expect(cluster.run(20_000, () => cluster.leaders().length === 1)).toBe(true);
    const leader = cluster.leaders()[0]!;
    const lagging = [1, 2, 3].find((id) => id !== leader)!;
    cluster.run(cluster.nowMs + 500);
    cluster.crash(lagging);
    for (let i = 0; i < 12; i++) {
      const id = cluster.submit(leader, { type: 'createTopic', name: `t${i}`, numPartitions: 1, replicationFactor: 1 });
      cluster.run(cluster.nowMs + 5_000, () => cluster.response(id) !== undefined);
    }
    const loaded = () => cluster.events.filter((event) => event.kind === 'snapshot-loaded' && event.node === lagging);
    expect(cluster.events.some((event) => event.kind === 'snapshot' && event.node === leader), 'the leader took a snapshot').toBe(true);
    expect(cluster.events.some((event) => event.kind === 'snapshot-loaded' && event.node === leader), 'taking is not loading').toBe(false);

    cluster.start(lagging, true);
    cluster.run(cluster.nowMs + 3_000, () => loaded().length > 0);
    expect(loaded(), 'the restarted follower installed the leader\'s snapshot').toHaveLength(1);

    cluster.run(cluster.nowMs + 500);
    cluster.crash(lagging);
    cluster.start(lagging, true);
    const events = cluster.events.filter((event) => event.node === lagging).slice(-4).map((event) => event.kind);
    expect(events.slice(0, 2), 'a restart reports itself, then the snapshot it loaded from disk').toEqual(['restarted', 'snapshot-loaded']);
  });
});
