/**
 * BeginQuorumEpoch is the leader's heartbeat to voters that stopped fetching (KRaft's rule). Sweep
 * seed 937162992 (5 voters, partitions, loss, membership): node 3 followed leader 4 in epoch 2,
 * then voted for node 1 standing in epoch 3, whose disk was replaced before it won. Node 4 never
 * heard of epoch 3 (its other followers kept it within check-quorum), and node 3 could neither
 * follow a leader of epoch 2 nor raise anyone's epoch with its pre-votes, which the followers of a
 * live leader refuse: a voter lost to the quorum for good.
 */
import { describe, expect, it } from 'vitest';
import type { VoteRequest } from '../../../src/core/raft/messages.js';
import { RAFT_DEFAULTS } from '../../../src/core/raft/raft-config.js';
import { TinyCluster } from '../../support/tiny-cluster.js';

const VOTERS = [1, 2, 3, 4, 5];

function ledFiveVoters(seed: number): { cluster: TinyCluster; leader: number } {
  const cluster = new TinyCluster(VOTERS, [], {}, seed);
  expect(cluster.run(20_000, () => cluster.leaders().length === 1), 'a leader is elected').toBe(true);
  cluster.run(cluster.nowMs + 1000);
  const leader = cluster.leaders()[0]!;
  for (const id of VOTERS.filter((v) => v !== leader)) {
    expect(cluster.nodes.get(id)!.debugState(), `node ${id}`).toMatchObject({ state: 'follower', leaderId: leader });
  }
  return { cluster, leader };
}

describe('the leader\'s BeginQuorumEpoch heartbeat', () => {
  it.each([1, 2, 3])('brings back a voter that moved to a newer epoch without a leader (seed %i)', (seed) => {
    const { cluster, leader } = ledFiveVoters(seed);
    const [candidate, stranded] = VOTERS.filter((v) => v !== leader) as [number, number];
    const epoch = cluster.nodes.get(leader)!.debugState().epoch;

    // `candidate` stands in the next epoch (as after pre-votes won under loss) and `stranded`
    // votes for it; then the candidate's disk is gone, so that epoch never gets a leader.
    const log = cluster.nodes.get(stranded)!.raftNode.log;
    const vote: VoteRequest = {
      type: 'vote-request', clusterId: 'tiny', candidateEpoch: epoch + 1, candidateId: candidate, candidateDirectoryId: null,
      voterDirectoryId: null, lastEpoch: log.lastEpoch, lastEpochEndOffset: log.endOffset, preVote: false,
    };
    cluster.replaceDisk(candidate);
    cluster.act(stranded, (node) => node.receive({ from: candidate, to: stranded, message: vote }, cluster.nowMs));
    expect(cluster.nodes.get(stranded)!.debugState()).toMatchObject({ state: 'unattached', epoch: epoch + 1 });
    const strandedAtMs = cluster.nowMs;

    // Within a fetch timeout the leader asks the silent voter, learns the newer epoch from its
    // refusal and steps down; the next election (up to two election timeouts) takes the voter in.
    const boundMs = RAFT_DEFAULTS.fetchTimeoutMs + 2 * RAFT_DEFAULTS.electionTimeoutMs + RAFT_DEFAULTS.electionBackoffMaxMs;
    const rejoined = (): boolean => {
      const leaders = cluster.leaders();
      if (leaders.length !== 1) return false;
      const newest = cluster.nodes.get(leaders[0]!)!.debugState();
      const state = cluster.nodes.get(stranded)!.debugState();
      return leaders[0] === stranded || (state.state === 'follower' && state.leaderId === leaders[0] && state.epoch === newest.epoch);
    };
    const states = (): string => [...cluster.nodes].map(([id, n]) => `${id}: ${JSON.stringify(n.debugState())}`).join('; ');
    expect(cluster.run(strandedAtMs + boundMs, rejoined), `node ${stranded} back in the quorum within ${boundMs} ms: ${states()}`).toBe(true);
    expect(cluster.nodes.get(cluster.leaders()[0]!)!.debugState().epoch).toBeGreaterThan(epoch + 1);

    // And it stays there.
    cluster.run(cluster.nowMs + 5000);
    expect(rejoined(), states()).toBe(true);
  });

  it('is not sent to voters that fetch', () => {
    const { cluster, leader } = ledFiveVoters(4);
    let heartbeats = 0;
    cluster.wire = (envelope) => {
      if ((envelope.message as { type: string }).type === 'begin-quorum-epoch') heartbeats++;
      return envelope;
    };
    cluster.run(cluster.nowMs + 10 * RAFT_DEFAULTS.fetchTimeoutMs);
    expect(cluster.leaders()).toEqual([leader]);
    expect(heartbeats).toBe(0);
  });

  it('is sent again to a voter whose fetches stop arriving, every half fetch timeout', () => {
    const { cluster, leader } = ledFiveVoters(5);
    const silent = VOTERS.find((v) => v !== leader)!;
    const sentAtMs: number[] = [];
    cluster.wire = (envelope) => {
      if ((envelope.message as { type: string }).type === 'begin-quorum-epoch' && envelope.to === silent) sentAtMs.push(cluster.nowMs);
      return envelope;
    };
    cluster.cut.add(`${silent}->${leader}`);
    const cutAtMs = cluster.nowMs;
    cluster.run(cutAtMs + 3 * RAFT_DEFAULTS.fetchTimeoutMs);
    expect(sentAtMs.length).toBeGreaterThanOrEqual(4);
    expect(sentAtMs[0]! - cutAtMs).toBeLessThanOrEqual(RAFT_DEFAULTS.fetchTimeoutMs);
    for (let i = 1; i < sentAtMs.length; i++) expect(sentAtMs[i]! - sentAtMs[i - 1]!).toBe(RAFT_DEFAULTS.fetchTimeoutMs / 2);
  });
});
