/**
 * A FetchSnapshot in flight belongs to the role that sent it, like a Fetch. Sweep seed 128072785:
 * a follower's FetchSnapshot was lost, and its fetch timeout and the FetchSnapshot's request
 * timeout fell on the same moment (both 2 s after the Fetch answer that pointed at the snapshot).
 * The tick at that moment made it prospective before the follower's tick could expire the
 * FetchSnapshot; the FetchSnapshot stayed in flight, and its timeout, already reached, stayed in
 * `nextWakeMs()`, which no tick outside the follower role clears: the node asked to be woken at a
 * moment it had just been ticked at (a host spins on it; the simulator, its wake swallowed by a
 * pause, never woke it again).
 */
import { describe, expect, it } from 'vitest';
import { clusterWithFollowerBehindSnapshot } from '../../support/lagging-follower.js';

describe('a FetchSnapshot in flight when the role changes', () => {
  it('is abandoned with the role: the node never asks to be woken at a moment it has already been ticked at', () => {
    const { cluster, leader, lagging } = clusterWithFollowerBehindSnapshot();

    // The restarted follower learns it needs the leader's snapshot; its FetchSnapshot, and all it
    // sends the leader after, is lost.
    let snapshotFetchSent = false;
    cluster.wire = (envelope) => {
      if (envelope.from === lagging && (envelope.message as { type: string }).type === 'fetch-snapshot') {
        snapshotFetchSent = true;
        cluster.cut.add(`${lagging}->${leader}`);
      }
      return envelope;
    };
    cluster.start(lagging, true);
    const state = (): string => cluster.nodes.get(lagging)!.debugState().state;
    expect(cluster.run(cluster.nowMs + 10_000, () => state() !== 'follower')).toBe(true);
    expect(snapshotFetchSent, 'the follower asked for the snapshot').toBe(true);
    expect(state()).toBe('prospective');
    expect(cluster.nodes.get(lagging)!.nextWakeMs(), 'the next wake lies ahead of the tick that made it prospective').toBeGreaterThan(cluster.nowMs);

    // Heard again, it follows the leader, fetches at once and installs the snapshot.
    cluster.cut.clear();
    cluster.wire = (envelope) => envelope;
    const loaded = (): boolean => cluster.events.some((event) => event.kind === 'snapshot-loaded' && event.node === lagging);
    expect(cluster.run(cluster.nowMs + 10_000, loaded), 'the follower installed the leader\'s snapshot').toBe(true);
    expect(cluster.nodes.get(lagging)!.debugState().leaderId).toBe(leader);
  });
});
