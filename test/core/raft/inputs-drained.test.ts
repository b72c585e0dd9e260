/**
 * Group commit: a leader gathers proposals for up to the append linger, but a host that has no
 * more inputs at hand says so (QuorumNode.inputsDrained) and what was gathered is appended at once.
 */
import { describe, expect, it } from 'vitest';
import { TinyCluster } from '../../support/tiny-cluster.js';

const LINGER_MS = 5000;

describe('inputsDrained', () => {
  it('appends the proposals a leader gathered without waiting out the append linger', () => {
    const cluster = new TinyCluster([1, 2, 3], [], { appendLingerMs: LINGER_MS });
    expect(cluster.run(60_000, () => cluster.leaders().length === 1)).toBe(true);
    cluster.run(cluster.nowMs + 2 * LINGER_MS);
    const leader = cluster.leaders()[0]!;
    const node = cluster.nodes.get(leader)!;
    const endBefore = node.debugState().logEndOffset;
    cluster.submit(leader, { type: 'createTopic', name: 'a', numPartitions: 1, replicationFactor: 1 });
    cluster.submit(leader, { type: 'createTopic', name: 'b', numPartitions: 1, replicationFactor: 1 });
    // Still gathering: the linger has not run out.
    expect(node.debugState().logEndOffset).toBe(endBefore);
    cluster.act(leader, (n) => n.inputsDrained(cluster.nowMs));
    // Both writes (and whatever else was gathered, broker heartbeats), with no time passing.
    expect(node.debugState().logEndOffset).toBeGreaterThanOrEqual(endBefore + 2);
  });

  it('does nothing on a follower', () => {
    const cluster = new TinyCluster([1, 2, 3], [], { appendLingerMs: LINGER_MS });
    cluster.run(60_000, () => cluster.leaders().length === 1);
    cluster.run(cluster.nowMs + 2 * LINGER_MS);
    const follower = [1, 2, 3].find((id) => id !== cluster.leaders()[0])!;
    const node = cluster.nodes.get(follower)!;
    const before = node.debugState();
    cluster.act(follower, (n) => n.inputsDrained(cluster.nowMs));
    expect(node.debugState().logEndOffset).toBe(before.logEndOffset);
    expect(node.debugState().state).not.toBe('leader');
  });
});
