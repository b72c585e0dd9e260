/**
 * Every id by which a node matches an answer to its request starts again from 1 when the node
 * restarts: forward ids, DescribeQuorum query ids, fetch ids, and read ids (the host's request
 * ids, which a real host also counts from 1 per process). An answer meant for the previous
 * incarnation may still arrive (a paused leader, a slow link), so each answer names the
 * incarnation that asked and a node drops the others. Each test restarts a follower, leaves one
 * of its requests open (the leader's real answer is held back), hands it answers of every id that
 * its previous incarnation could have been owed, and checks that none of them is taken.
 */
import { okResult } from '../support/client-answers.js';
import { describe, expect, it } from 'vitest';
import type { MetadataBatch } from '../../src/core/metadata-log.js';
import { TinyCluster } from '../support/tiny-cluster.js';

const EARLIER = 'an-earlier-incarnation';
/** Enough ids to cover whatever the new incarnation has used so far. */
const IDS_MAX = 2_000;

/** A 3-voter cluster with a leader, and a follower that has just restarted and follows it again. */
function restartedFollower(): { cluster: TinyCluster; leader: number; follower: number } {
  const cluster = new TinyCluster([1, 2, 3]);
  expect(cluster.run(20_000, () => cluster.leaders().length === 1), 'a leader is elected').toBe(true);
  const leader = cluster.leaders()[0]!;
  const follower = [1, 2, 3].find((id) => id !== leader)!;
  cluster.run(cluster.nowMs + 500);
  cluster.crash(follower);
  cluster.run(cluster.nowMs + 100);
  cluster.start(follower, true);
  const follows = (): boolean => {
    const state = cluster.nodes.get(follower)!.debugState();
    return state.state === 'follower' && state.leaderId === leader;
  };
  expect(cluster.run(cluster.nowMs + 10_000, follows), 'the restarted follower follows the leader').toBe(true);
  cluster.run(cluster.nowMs + 200);
  return { cluster, leader, follower };
}

/** The leader's answers to `follower` are held back from now on, so its requests stay open. */
function holdAnswers(cluster: TinyCluster, leader: number, follower: number): void {
  cluster.held.add(`${leader}->${follower}`);
}

function deliverStale(cluster: TinyCluster, leader: number, follower: number, message: (id: number) => object): void {
  const epoch = cluster.nodes.get(leader)!.debugState().epoch;
  for (let id = 1; id <= IDS_MAX; id++) {
    cluster.act(follower, (node) => node.receive({ from: leader, to: follower, message: { epoch, leaderId: leader, ...message(id) } }, cluster.nowMs));
  }
}

describe('answers meant for an earlier incarnation are dropped', () => {
  it('a forwarded write is not answered by the previous incarnation\'s answer of the same forward id', () => {
    const { cluster, leader, follower } = restartedFollower();
    holdAnswers(cluster, leader, follower);
    const requestId = cluster.submit(follower, { type: 'createTopic', name: 'fresh', numPartitions: 1, replicationFactor: 1 });
    cluster.run(cluster.nowMs + 20);
    deliverStale(cluster, leader, follower, (forwardId) => ({
      type: 'forward-response', incarnationId: EARLIER, forwardId, outcome: 'ok', applyOffset: 0,
      result: { ok: false, error: 'TOPIC_ALREADY_EXISTS', code: 36, message: 'Topic fresh already exists.' },
    }));
    expect(cluster.response(requestId), 'answered by an answer meant for the earlier incarnation').toBeUndefined();
    cluster.release();
    cluster.run(cluster.nowMs + 10_000, () => cluster.response(requestId) !== undefined);
    expect(okResult(cluster.response(requestId))).toMatchObject({ ok: true });
  });

  it('a DescribeQuorum question is not answered by the previous incarnation\'s answer of the same query id', () => {
    const { cluster, leader, follower } = restartedFollower();
    holdAnswers(cluster, leader, follower);
    const requestId = cluster.newRequestId();
    cluster.act(follower, (node) => node.describeQuorum(requestId, cluster.nowMs));
    cluster.run(cluster.nowMs + 20);
    deliverStale(cluster, leader, follower, (queryId) => ({ type: 'describe-quorum-answer', incarnationId: EARLIER, queryId, description: null }));
    expect(cluster.response(requestId), 'answered by an answer meant for the earlier incarnation').toBeUndefined();
    cluster.release();
    cluster.run(cluster.nowMs + 10_000, () => cluster.response(requestId) !== undefined);
    expect(cluster.response(requestId)?.outcome).toBe('ok');
  });

  it('a linearizable read does not take the previous incarnation\'s read index of the same read id', () => {
    const { cluster, leader, follower } = restartedFollower();
    holdAnswers(cluster, leader, follower);
    const requestId = cluster.submit(follower, { type: 'listTopics' }, 'linearizable');
    cluster.run(cluster.nowMs + 20);
    // A read index of 0 is already applied everywhere: taken, it would answer the read at once.
    deliverStale(cluster, leader, follower, (readId) => ({ type: 'read-index-response', incarnationId: EARLIER, readId, readIndex: 0 }));
    expect(cluster.response(requestId), 'answered through a read index meant for the earlier incarnation').toBeUndefined();
    cluster.release();
    cluster.run(cluster.nowMs + 10_000, () => cluster.response(requestId) !== undefined);
    expect(cluster.response(requestId)?.outcome).toBe('ok');
  });

  it('a fetch does not take the previous incarnation\'s fetch answer of the same fetch id', () => {
    const { cluster, leader, follower } = restartedFollower();
    holdAnswers(cluster, leader, follower);
    cluster.run(cluster.nowMs + 20);
    const before = cluster.nodes.get(follower)!.debugState();
    const epoch = before.epoch;
    // Taken, this answer would append an entry the leader never wrote and commit it.
    const forged: { offset: number; epoch: number; record: MetadataBatch } = { offset: before.logEndOffset, epoch, record: [] };
    deliverStale(cluster, leader, follower, (fetchId) => ({
      type: 'fetch-response', incarnationId: EARLIER, fetchId, highWatermark: before.logEndOffset + 1,
      logStartOffset: 0, entries: [forged], readRound: 0,
    }));
    const after = cluster.nodes.get(follower)!.debugState();
    expect(after.logEndOffset, 'appended from an answer meant for the earlier incarnation').toBe(before.logEndOffset);
    expect(after.highWatermark).toBe(before.highWatermark);
  });
});
