/**
 * A voter change forwarded to the leader (AddRaftVoter, RemoveRaftVoter reaching a follower) names
 * the epoch of the leader it asks, and only that leader in that epoch makes it. The network may
 * deliver a query late or twice; reaching its former leader in a later epoch, a copy was made
 * again (without the epoch, nothing told it apart from a new request):
 * - after the leader restarted, the copy of an addition that had committed was refused as
 *   DUPLICATE_VOTER, and the asker, whose answer had been lost, told its client the change failed;
 * - without a restart, a query held in the network was made in an epoch its asker never asked.
 * KRaft's UpdateRaftVoter, sent node to node, carries CurrentLeaderEpoch for the same reason
 * (KIP-853); AddRaftVoter and RemoveRaftVoter go from an admin client straight to the leader.
 */
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../src/core/host-interface.js';
import type { Voter } from '../../src/core/raft/voter-set.js';
import { TinyCluster } from '../support/tiny-cluster.js';

const voterOf = (id: number): Voter => ({ id, directoryId: `dir-${id}`, endpoints: [{ name: 'CONTROLLER', host: `c${id}`, port: 9093 }] });

/** kraft.version 1: voters 1-3 from --initial-controllers, node 4 an observer that may be added. */
function membershipCluster(seed: number): TinyCluster {
  const initial = [1, 2, 3];
  return new TinyCluster(initial, [4], { voters: [], kraftVersion: 1 }, seed, 1, (id) => ({
    directoryId: voterOf(id).directoryId,
    bootstrapVoters: initial.includes(id) ? initial.map(voterOf) : null,
    bootstrapServers: initial,
    processRoles: ['broker', 'controller'],
    endpoints: voterOf(id).endpoints,
  }));
}

function leader(cluster: TinyCluster): number {
  expect(cluster.run(cluster.nowMs + 20_000, () => cluster.leaders().length === 1), 'a leader is elected').toBe(true);
  return cluster.leaders()[0]!;
}

/** `wanted` leads again, in a later epoch: the other voters stop standing for election, and a leader among them resigns. */
function leadAgain(cluster: TinyCluster, wanted: number): void {
  for (const [id, node] of cluster.nodes) if (id !== wanted) node.raftNode.stopStandingForElection();
  const current = leader(cluster);
  if (current !== wanted) cluster.act(current, (node) => node.shutdown(cluster.nowMs));
  expect(cluster.run(cluster.nowMs + 20_000, () => cluster.leaders().length === 1 && cluster.leaders()[0] === wanted),
    `node ${wanted} leads again`).toBe(true);
}

function voterIds(cluster: TinyCluster, node: number): number[] {
  return [...cluster.nodes.get(node)!.raftNode.voters.ids].sort((a, b) => a - b);
}

/** The cluster, its leader, a follower that asks, and the query it sends (kept by the wire as sent). */
function askingFollower(seed: number): { cluster: TinyCluster; first: number; asker: number; queries: PeerEnvelope[] } {
  const cluster = membershipCluster(seed);
  const first = leader(cluster);
  cluster.run(cluster.nowMs + 2_000);
  const asker = [1, 2, 3].find((id) => id !== first)!;
  const queries: PeerEnvelope[] = [];
  cluster.wire = (envelope) => {
    if ((envelope.message as { type: string }).type === 'voter-change-query') queries.push(envelope);
    return envelope;
  };
  return { cluster, first, asker, queries };
}

describe('a forwarded voter change names the epoch of the leader it asks', () => {
  for (const seed of [1, 2, 3]) {
    it(`a copy delivered again after its leader restarted is answered unknown, not refused as a duplicate voter (seed ${seed})`, () => {
      const { cluster, first, asker, queries } = askingFollower(seed);
      // The leader's answer to the asker is lost on its way (sent to a node that does not exist).
      const keep = cluster.wire;
      cluster.wire = (envelope) => {
        const sent = keep(envelope);
        return (sent.message as { type: string }).type === 'voter-change-answer' ? { ...sent, to: 99 } : sent;
      };
      const requestId = cluster.newRequestId();
      cluster.act(asker, (node) => node.changeVoters(requestId, { type: 'add', voter: voterOf(4) }, cluster.nowMs, 60_000));
      expect(cluster.run(cluster.nowMs + 5_000, () => {
        const state = cluster.nodes.get(first)!.debugState();
        return voterIds(cluster, first).includes(4) && state.highWatermark === state.logEndOffset;
      }), 'node 4 is added and the change committed').toBe(true);
      expect(queries).toHaveLength(1);
      expect(cluster.response(requestId), 'the asker is still waiting').toBeUndefined();
      // The leader restarts and is elected again; then the network delivers the query a second time.
      cluster.crash(first);
      cluster.start(first, true);
      leadAgain(cluster, first);
      cluster.wire = keep;
      cluster.act(first, (node) => node.receive(queries[0]!, cluster.nowMs));
      cluster.run(cluster.nowMs + 100, () => cluster.response(requestId) !== undefined);
      // The addition committed: "failed" (DUPLICATE_VOTER, nothing done) would be a lie.
      expect(cluster.response(requestId)).toMatchObject({ outcome: 'unknown' });
      expect(voterIds(cluster, first)).toEqual([1, 2, 3, 4]);
    });

    it(`a query held in the network until its leader leads a later epoch is refused, and nothing changes (seed ${seed})`, () => {
      const { cluster, first, asker, queries } = askingFollower(seed);
      cluster.held.add(`${asker}->${first}`);
      const requestId = cluster.newRequestId();
      cluster.act(asker, (node) => node.changeVoters(requestId, { type: 'add', voter: voterOf(4) }, cluster.nowMs, 60_000));
      expect(queries).toHaveLength(1);
      const askedInEpoch = cluster.nodes.get(asker)!.debugState().epoch;
      // The asker's fetches are held too, so the others elect without it; the first leader leads again later.
      cluster.act(first, (node) => node.shutdown(cluster.nowMs));
      expect(cluster.run(cluster.nowMs + 20_000, () => cluster.leaders().length === 1 && cluster.leaders()[0] !== first)).toBe(true);
      leadAgain(cluster, first);
      expect(cluster.nodes.get(first)!.debugState().epoch).toBeGreaterThan(askedInEpoch);
      // Node 4 fetches from it again, so the addition could be made now.
      cluster.run(cluster.nowMs + 2_000);
      cluster.held.delete(`${asker}->${first}`);
      cluster.act(first, (node) => node.receive(queries[0]!, cluster.nowMs));
      cluster.run(cluster.nowMs + 100, () => cluster.response(requestId) !== undefined);
      expect(cluster.response(requestId)).toMatchObject({ outcome: 'failed', error: { code: 'NOT_LEADER_OR_FOLLOWER' } });
      expect((cluster.response(requestId) as { error: { message: string } }).error.message).toMatch(new RegExp(`epoch ${askedInEpoch}\\b`));
      expect(voterIds(cluster, first)).toEqual([1, 2, 3]);
    });
  }
});
