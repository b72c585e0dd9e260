/**
 * The core reports every time its state machine is replaced by a snapshot (`snapshot-loaded`),
 * which LeaderNeverLoadSnapshot judges: a follower installing the leader's snapshot, and a node
 * starting from its own. Taking a snapshot is not loading one.
 */
import { describe, expect, it } from 'vitest';
import { clusterWithFollowerBehindSnapshot } from '../support/lagging-follower.js';

describe('snapshot-loaded events', () => {
  it('a lagging follower that installs the leader\'s snapshot, and a restart from a snapshot, each report loading it', () => {
    const { cluster, leader, lagging } = clusterWithFollowerBehindSnapshot();
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
