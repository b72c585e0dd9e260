/**
 * Read rounds (read-index.ts): a linearizable read is answered only once a majority of voters
 * echoed a round that began after the read arrived, and the leader spends fetch answers on read
 * rounds only where an echo can confirm a read: voters, while a read waits on a newer round than
 * they echoed. Observers' echoes count for nothing, so their held fetches stay held.
 */
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../../src/core/host-interface.js';
import type { FetchRequest, FetchResponse } from '../../../src/core/raft/messages.js';
import { RAFT_DEFAULTS } from '../../../src/core/raft/raft-config.js';
import { TinyCluster } from '../../support/tiny-cluster.js';

interface Sent {
  atMs: number;
  envelope: PeerEnvelope;
}

/** A settled cluster whose every message is logged as it is sent. */
function loggedCluster(observers: number[] = []): { cluster: TinyCluster; leader: number; sent: Sent[] } {
  const cluster = new TinyCluster([1, 2, 3], observers);
  expect(cluster.run(20_000, () => cluster.leaders().length === 1), 'a leader is elected').toBe(true);
  // Long enough for the epoch to commit and every fetch to be held at the leader.
  cluster.run(cluster.nowMs + 1000);
  const sent: Sent[] = [];
  cluster.wire = (envelope) => {
    sent.push({ atMs: cluster.nowMs, envelope });
    return envelope;
  };
  return { cluster, leader: cluster.leaders()[0]!, sent };
}

function listTopics(cluster: TinyCluster, via: number): number {
  return cluster.submit(via, { type: 'listTopics' }, 'linearizable');
}

function fetchResponses(sent: Sent[], from: number, to: number): (Sent & { response: FetchResponse })[] {
  return sent.filter((s) => s.envelope.from === from && s.envelope.to === to && (s.envelope.message as { type: string }).type === 'fetch-response')
    .map((s) => ({ ...s, response: s.envelope.message as FetchResponse }));
}

describe('read rounds', () => {
  it('a read that arrives while a round is out waits for a round that began after it', () => {
    const { cluster, leader, sent } = loggedCluster();
    const followers = [1, 2, 3].filter((id) => id !== leader);
    // The leader's answers wait on the links, so the first read's round is out and unechoed
    // when the second read arrives.
    for (const follower of followers) cluster.held.add(`${leader}->${follower}`);
    const first = listTopics(cluster, leader);
    cluster.run(cluster.nowMs + 1);
    const roundOut = Math.max(...followers.flatMap((f) => fetchResponses(sent, leader, f)).map((s) => s.response.readRound));
    expect(roundOut, 'the first read opened a round and the leader sent it').toBeGreaterThan(0);
    const second = listTopics(cluster, leader);
    cluster.release();

    expect(cluster.run(cluster.nowMs + 1000, () => cluster.response(first) !== undefined), 'the first read is answered').toBe(true);
    expect(cluster.response(second), 'the second read is answered on echoes of a round sent before it arrived').toBeUndefined();

    expect(cluster.run(cluster.nowMs + 1000, () => cluster.response(second) !== undefined), 'the second read is answered').toBe(true);
    const answeredAtMs = cluster.nowMs;
    const newerEchoes = sent.filter((s) => s.envelope.to === leader && followers.includes(s.envelope.from) &&
      (s.envelope.message as { type: string }).type === 'fetch' && (s.envelope.message as FetchRequest).readRound > roundOut &&
      s.atMs + cluster.latencyMs <= answeredAtMs);
    expect(newerEchoes.length, 'a voter echoed a round newer than the one out when the read arrived').toBeGreaterThan(0);
    expect(cluster.response(second)).toMatchObject({ outcome: 'ok' });
  });

  it('reads that arrive while a round is out share the next round', () => {
    const { cluster, leader, sent } = loggedCluster();
    const followers = [1, 2, 3].filter((id) => id !== leader);
    for (const follower of followers) cluster.held.add(`${leader}->${follower}`);
    const first = listTopics(cluster, leader);
    const later: number[] = [];
    for (let i = 0; i < 3; i++) {
      cluster.run(cluster.nowMs + 1);
      later.push(listTopics(cluster, leader));
    }
    cluster.release();
    const all = [first, ...later];
    expect(cluster.run(cluster.nowMs + 1000, () => all.every((id) => cluster.response(id) !== undefined)), 'every read is answered').toBe(true);
    for (const follower of followers) {
      expect(fetchResponses(sent, leader, follower).length, `answers to ${follower}: the first read's round and one for the three after it`).toBe(2);
    }
  });

  it('an observer\'s held fetch is not answered for a read round: its echo confirms nothing', () => {
    const observer = 9;
    const { cluster, leader, sent } = loggedCluster([observer]);
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    for (let i = 0; i < 20; i++) {
      const read = listTopics(cluster, leader);
      expect(cluster.run(cluster.nowMs + 1000, () => cluster.response(read) !== undefined), `read ${i} is answered`).toBe(true);
      cluster.run(cluster.nowMs + 5);
    }
    expect(fetchResponses(sent, leader, follower).length, 'each read round went to the voters').toBeGreaterThanOrEqual(20);
    const fetchSentMs = new Map<number, number>();
    for (const s of sent) {
      if (s.envelope.from === observer && (s.envelope.message as { type: string }).type === 'fetch') fetchSentMs.set((s.envelope.message as FetchRequest).fetchId, s.atMs);
    }
    let highWatermarkSent: number | undefined;
    for (const { atMs, response } of fetchResponses(sent, leader, observer)) {
      const news = response.entries.length > 0 || response.highWatermark !== highWatermarkSent;
      highWatermarkSent = response.highWatermark;
      if (news) continue;
      const heldMs = atMs - (fetchSentMs.get(response.fetchId) ?? -Infinity) - cluster.latencyMs;
      expect(heldMs, `fetch ${response.fetchId} answered with nothing new before the max wait`).toBeGreaterThanOrEqual(RAFT_DEFAULTS.fetchMaxWaitMs);
    }
  });
});
