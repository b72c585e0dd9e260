/**
 * Dynamic controller membership (KIP-853) on the tiny deterministic host, each test named after
 * the rule it checks: a new controller joins as an observer, catches up, then is added; at most one
 * voter change is uncommitted; a voter removed while partitioned; a leader removing itself; a
 * replaced disk (same node id, new directory id) whose old vote must not count; a change
 * interrupted by a leader crash.
 */
import { describe, expect, it } from 'vitest';
import type { ClientResponse } from '../../../src/core/client-response.js';
import type { QuorumNodeConfigInput } from '../../../src/core/quorum-node-config.js';
import type { QuorumDescription } from '../../../src/core/quorum-description.js';
import type { VoterChange } from '../../../src/core/raft/voter-changes.js';
import type { Voter } from '../../../src/core/raft/voter-set.js';
import type { NodeEvent } from '../../../src/history/node-event.js';
import { InvariantChecker } from '../../../src/checker/invariants/invariant-checker.js';
import { describeViolation } from '../../../src/checker/invariants/violation.js';
import { okResult } from '../../support/client-answers.js';
import { QuorumNode } from '../../../src/core/quorum-node.js';
import { seededRandom, TinyCluster } from '../../support/tiny-cluster.js';

/** Directory ids as format writes them would do; any distinct strings serve the core. */
const directoryOf = (id: number, disk = 'a'): string => `dir-${id}-${disk}`;
const voterOf = (id: number, disk = 'a'): Voter => ({ id, directoryId: directoryOf(id, disk), endpoints: [{ name: 'CONTROLLER', host: `c${id}`, port: 9093 }] });

interface Membership {
  cluster: TinyCluster;
  /** The directory each node runs with now. */
  disks: Map<number, string>;
}

/**
 * A kraft.version 1 cluster: `initial` formatted with `--initial-controllers` (they start as the
 * voters), `joiners` formatted with `--no-initial-controllers` (observers that ask `initial` for the
 * leader). Node ids in `joiners` may be started later with `join`.
 */
function membershipCluster(initial: number[], joiners: number[] = [], seed = 1, overrides: Partial<QuorumNodeConfigInput> = {}): Membership {
  const disks = new Map<number, string>();
  for (const id of [...initial, ...joiners]) disks.set(id, 'a');
  const cluster = new TinyCluster(initial, joiners, { voters: [], kraftVersion: 1, ...overrides }, seed, 1, (id) => ({
    directoryId: directoryOf(id, disks.get(id)),
    bootstrapVoters: initial.includes(id) && disks.get(id) === 'a' ? initial.map((voter) => voterOf(voter)) : null,
    bootstrapServers: initial,
    processRoles: ['broker', 'controller'],
    endpoints: voterOf(id).endpoints,
  }));
  return { cluster, disks };
}

function elect(cluster: TinyCluster, untilMs = cluster.nowMs + 20_000): number {
  expect(cluster.run(untilMs, () => cluster.leaders().length === 1), 'a leader is elected').toBe(true);
  return cluster.leaders()[0]!;
}

function changeVoters(cluster: TinyCluster, via: number, change: VoterChange): number {
  const requestId = cluster.newRequestId();
  cluster.act(via, (node) => node.changeVoters(requestId, change, cluster.nowMs, 5_000));
  return requestId;
}

function awaitResponse(cluster: TinyCluster, requestId: number, forMs = 10_000): ClientResponse | undefined {
  cluster.run(cluster.nowMs + forMs, () => cluster.response(requestId) !== undefined);
  return cluster.response(requestId);
}

function describeVia(cluster: TinyCluster, via: number): QuorumDescription {
  const requestId = cluster.newRequestId();
  cluster.act(via, (node) => node.describeQuorum(requestId, cluster.nowMs, 2_000));
  return okResult(awaitResponse(cluster, requestId) as ClientResponse<'describeQuorum'>);
}

function voterIds(cluster: TinyCluster, node: number): number[] {
  return [...cluster.nodes.get(node)!.raftNode.voters.ids].sort((a, b) => a - b);
}

/**
 * Every Raft invariant over every event so far (SingleLeader, AtMostOneUncommittedVoterSet,
 * MajorityReachedHighWatermark with the voter sets in force, ConsistentCommittedData...).
 */
function expectInvariants(events: readonly NodeEvent[], initialVoters: number[]): void {
  const checker = new InvariantChecker({ voters: initialVoters });
  for (const event of events) checker.observe(event);
  expect(checker.finish([]).map(describeViolation)).toEqual([]);
}

/** At most one leader per epoch, over every event so far. */
function expectSingleLeaderPerEpoch(events: readonly NodeEvent[]): void {
  const leaders = new Map<number, number>();
  for (const event of events) {
    if (event.kind !== 'became-leader') continue;
    const other = leaders.get(event.epoch);
    expect(other === undefined || other === event.node, `two leaders in epoch ${event.epoch}: ${other} and ${event.node}`).toBe(true);
    leaders.set(event.epoch, event.node);
  }
}

function isolate(cluster: TinyCluster, node: number): void {
  for (const other of cluster.disks.keys()) {
    if (other === node) continue;
    cluster.cut.add(`${node}->${other}`);
    cluster.cut.add(`${other}->${node}`);
  }
}

describe('dynamic membership (KIP-853)', () => {
  it('a standalone controller elects itself and writes its bootstrap voter set into the log', () => {
    const { cluster } = membershipCluster([1]);
    const leader = elect(cluster);
    expect(leader).toBe(1);
    cluster.run(cluster.nowMs + 500);
    const written = cluster.events.filter((event) => event.kind === 'voters-changed');
    expect(written).toHaveLength(1);
    expect(written[0]!.voters).toEqual([`1@${directoryOf(1)}`]);
    const description = describeVia(cluster, 1);
    expect(description.kraftVersion).toBe(1);
    expect(description.voters).toMatchObject([{ nodeId: 1, directoryId: directoryOf(1), endpoints: voterOf(1).endpoints }]);
  });

  it('kraft.version is never downgraded: a node whose log is at 1 refuses a static configuration', () => {
    const { cluster } = membershipCluster([1]);
    elect(cluster);
    cluster.run(cluster.nowMs + 500);
    cluster.crash(1);
    const disk = cluster.disks.get(1)!;
    expect(() => new QuorumNode({
      config: { nodeId: 1, voters: [1], clusterId: 'tiny' },
      recovered: { quorumState: disk.quorumState, snapshot: disk.snapshot, log: [...disk.log] }, random: seededRandom(1), nowMs: cluster.nowMs,
    })).toThrow(/kraft\.version: this node's log is at kraft\.version 1, which is never downgraded/);
  });

  it('a new controller joins as an observer, catches up, then is added; the voter set grows 1 -> 3', () => {
    const { cluster } = membershipCluster([1], [2, 3]);
    elect(cluster);
    cluster.run(cluster.nowMs + 2_000);
    const before = describeVia(cluster, 1);
    expect(before.observers.map((observer) => [observer.nodeId, observer.directoryId])).toEqual([[2, directoryOf(2)], [3, directoryOf(3)]]);
    for (const joiner of [2, 3]) {
      const added = awaitResponse(cluster, changeVoters(cluster, joiner, { type: 'add', voter: voterOf(joiner) }));
      expect(added, `adding ${joiner}`).toMatchObject({ outcome: 'ok' });
      cluster.run(cluster.nowMs + 500);
    }
    for (const node of [1, 2, 3]) expect(voterIds(cluster, node)).toEqual([1, 2, 3]);
    expect(describeVia(cluster, 3).voters.map((voter) => voter.nodeId)).toEqual([1, 2, 3]);
    expectInvariants(cluster.events, [1]);
    // Three voters now: losing the leader, the other two elect one of them.
    cluster.crash(1);
    const next = elect(cluster, cluster.nowMs + 20_000);
    expect([2, 3]).toContain(next);
    expectSingleLeaderPerEpoch(cluster.events);
  });

  it('refuses what would break the rules: a second uncommitted change, a duplicate, an unknown voter, a lagging observer, kraft.version 0', () => {
    const { cluster } = membershipCluster([1, 2, 3], [4, 5]);
    const leader = elect(cluster);
    cluster.run(cluster.nowMs + 2_000);
    // Two changes at once: the second is refused while the first is uncommitted.
    const first = changeVoters(cluster, leader, { type: 'add', voter: voterOf(4) });
    const second = changeVoters(cluster, leader, { type: 'add', voter: voterOf(5) });
    expect(cluster.response(second)).toMatchObject({ outcome: 'failed', error: { code: 'REQUEST_TIMED_OUT' } });
    expect(awaitResponse(cluster, first)).toMatchObject({ outcome: 'ok' });
    expect(awaitResponse(cluster, changeVoters(cluster, leader, { type: 'add', voter: voterOf(2) })))
      .toMatchObject({ outcome: 'failed', error: { code: 'DUPLICATE_VOTER' } });
    expect(awaitResponse(cluster, changeVoters(cluster, leader, { type: 'remove', id: 9, directoryId: directoryOf(9) })))
      .toMatchObject({ outcome: 'failed', error: { code: 'VOTER_NOT_FOUND' } });
    expect(awaitResponse(cluster, changeVoters(cluster, leader, { type: 'remove', id: 2, directoryId: directoryOf(2, 'b') })))
      .toMatchObject({ outcome: 'failed', error: { code: 'VOTER_NOT_FOUND' } });
    // An observer that is not fetching is not caught up.
    cluster.crash(5);
    cluster.run(cluster.nowMs + 5_000);
    expect(awaitResponse(cluster, changeVoters(cluster, leader, { type: 'add', voter: voterOf(5) })))
      .toMatchObject({ outcome: 'failed', error: { code: 'REQUEST_TIMED_OUT' } });

    const fixed = new TinyCluster([1, 2, 3]);
    expect(fixed.run(20_000, () => fixed.leaders().length === 1)).toBe(true);
    fixed.run(fixed.nowMs + 500);
    expect(awaitResponse(fixed, changeVoters(fixed, fixed.leaders()[0]!, { type: 'remove', id: 3, directoryId: null })))
      .toMatchObject({ outcome: 'failed', error: { code: 'UNSUPPORTED_VERSION' } });
  });

  it('a voter removed while partitioned is removed by the others, and cannot disrupt them when it comes back', () => {
    const { cluster } = membershipCluster([1, 2, 3, 4, 5]);
    const leader = elect(cluster);
    cluster.run(cluster.nowMs + 1_000);
    const victim = [1, 2, 3, 4, 5].find((id) => id !== leader)!;
    isolate(cluster, victim);
    const removed = awaitResponse(cluster, changeVoters(cluster, leader, { type: 'remove', id: victim, directoryId: directoryOf(victim) }));
    expect(removed).toMatchObject({ outcome: 'ok' });
    const epochBefore = cluster.nodes.get(leader)!.debugState().epoch;
    // Partitioned, the victim still believes it is a voter and stands again and again (pre-votes only).
    cluster.run(cluster.nowMs + 10_000);
    cluster.cut.clear();
    cluster.run(cluster.nowMs + 10_000);
    expect(cluster.leaders()).toEqual([leader]);
    expect(cluster.nodes.get(leader)!.debugState().epoch).toBe(epochBefore);
    // It caught up as an observer: it knows it is no voter.
    expect(voterIds(cluster, victim)).not.toContain(victim);
    expect(cluster.nodes.get(victim)!.debugState().state).toBe('follower');
    expect(describeVia(cluster, victim).observers.map((observer) => observer.nodeId)).toContain(victim);
    expectSingleLeaderPerEpoch(cluster.events);
    expectInvariants(cluster.events, [1, 2, 3, 4, 5]);
  });

  it('a leader that removes itself keeps leading until the removal commits, then resigns; the rest elect another', () => {
    const { cluster } = membershipCluster([1, 2, 3]);
    const leader = elect(cluster);
    cluster.run(cluster.nowMs + 1_000);
    const requestId = changeVoters(cluster, leader, { type: 'remove', id: leader, directoryId: directoryOf(leader) });
    // Written but not yet committed: still the leader, now counting only the others.
    expect(cluster.leaders()).toEqual([leader]);
    // A follower that has the new set still names where its leader is, so a host keeps the
    // connection it must fetch over to commit the change.
    const unreachable: string[] = [];
    cluster.run(cluster.nowMs + 10_000, () => {
      for (const [id, node] of cluster.nodes) {
        const state = node.debugState();
        if (id === leader || state.leaderId !== leader || voterIds(cluster, id).includes(leader)) continue;
        if (!node.peerEndpoints().has(leader)) unreachable.push(`node ${id} at ${cluster.nowMs} ms`);
      }
      return cluster.response(requestId) !== undefined;
    });
    expect(unreachable).toEqual([]);
    expect(cluster.response(requestId)).toMatchObject({ outcome: 'ok' });
    const committedAt = cluster.nowMs;
    cluster.run(cluster.nowMs + 20_000, () => cluster.leaders().length === 1 && cluster.leaders()[0] !== leader);
    const next = cluster.leaders()[0];
    expect(next).toBeDefined();
    expect(next).not.toBe(leader);
    const resigned = cluster.events.find((event) => event.node === leader && event.kind === 'epoch-changed' && event.state === 'resigned');
    expect(resigned, 'the old leader resigned').toBeDefined();
    expect(resigned!.timeNs).toBeGreaterThanOrEqual(Math.round(committedAt * 1e6) - 1e6);
    cluster.run(cluster.nowMs + 3_000);
    // The old leader goes on as an observer of the new one.
    expect(cluster.nodes.get(leader)!.debugState()).toMatchObject({ state: 'follower', leaderId: next });
    expect(voterIds(cluster, next!)).toEqual([1, 2, 3].filter((id) => id !== leader));
    // Resigning in a tick, it looked for the next leader in that tick, not at a wake due at once.
    expect(cluster.zeroDelayWakes).toEqual([]);
    expectSingleLeaderPerEpoch(cluster.events);
    expectInvariants(cluster.events, [1, 2, 3]);
  });

  it('a replaced disk (same node id, new directory id) is not the voter it replaces: it refuses votes meant for the old one', () => {
    const membership = membershipCluster([1, 2, 3]);
    const { cluster, disks } = membership;
    const leader = elect(cluster);
    cluster.run(cluster.nowMs + 1_000);
    const replaced = [1, 2, 3].find((id) => id !== leader)!;
    const third = [1, 2, 3].find((id) => id !== leader && id !== replaced)!;
    // The disk dies; the node comes back empty with a new directory id, and joins as an observer.
    cluster.replaceDisk(replaced);
    disks.set(replaced, 'b');
    cluster.start(replaced, false);
    cluster.run(cluster.nowMs + 2_000);
    expect(cluster.nodes.get(replaced)!.raftNode.isVoter).toBe(false);
    // The leader dies too: the third node needs a vote from `replaced` as the voter it was.
    cluster.crash(leader);
    const votesBefore = cluster.events.filter((event) => event.kind === 'vote-granted' && event.node === replaced).length;
    cluster.run(cluster.nowMs + 15_000);
    expect(cluster.leaders(), 'no leader without the old voter\'s vote').toEqual([]);
    expect(cluster.events.filter((event) => event.kind === 'vote-granted' && event.node === replaced).length).toBe(votesBefore);
    // Back with the leader, the operator replaces the voter: remove the old directory, add the new.
    cluster.start(leader, true);
    const nextLeader = elect(cluster, cluster.nowMs + 20_000);
    cluster.run(cluster.nowMs + 2_000);
    expect(awaitResponse(cluster, changeVoters(cluster, third, { type: 'remove', id: replaced, directoryId: directoryOf(replaced, 'a') })))
      .toMatchObject({ outcome: 'ok' });
    expect(awaitResponse(cluster, changeVoters(cluster, nextLeader, { type: 'add', voter: voterOf(replaced, 'b') })))
      .toMatchObject({ outcome: 'ok' });
    cluster.run(cluster.nowMs + 1_000);
    expect(cluster.nodes.get(replaced)!.raftNode.isVoter).toBe(true);
    expect(describeVia(cluster, third).voters.find((voter) => voter.nodeId === replaced)?.directoryId).toBe(directoryOf(replaced, 'b'));
    expectSingleLeaderPerEpoch(cluster.events);
    expectInvariants(cluster.events, [1, 2, 3]);
  });

  it('a change interrupted by a leader crash is answered as possibly done, and the cluster settles on one voter set', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { cluster } = membershipCluster([1, 2, 3], [4], seed);
      const leader = elect(cluster);
      cluster.run(cluster.nowMs + 2_000);
      const requestId = changeVoters(cluster, 4, { type: 'add', voter: voterOf(4) });
      // The leader dies a moment after it wrote the new voter set, before it could commit.
      cluster.run(cluster.nowMs + 1 + (seed % 3));
      cluster.crash(leader);
      const answer = awaitResponse(cluster, requestId, 20_000);
      expect(answer?.outcome, `seed ${seed}: ${JSON.stringify(answer)}`).toMatch(/^(ok|unknown)$/);
      const next = elect(cluster, cluster.nowMs + 20_000);
      cluster.run(cluster.nowMs + 3_000);
      const settled = voterIds(cluster, next);
      for (const node of [1, 2, 3, 4].filter((id) => id !== leader)) expect(voterIds(cluster, node), `seed ${seed} node ${node}`).toEqual(settled);
      if (answer?.outcome === 'ok') expect(settled).toContain(4);
      expectSingleLeaderPerEpoch(cluster.events);
      expectInvariants(cluster.events, [1, 2, 3]);
    }
  });
});
