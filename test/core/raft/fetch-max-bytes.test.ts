/**
 * Fetch answers are bounded by bytes, as Kafka's Fetch is (MaxBytes): the fetcher says how many
 * bytes of entries its frames hold, and the leader sends only as many entries as fit, the first
 * whatever its size so the fetcher always progresses (issue 12: answers bounded by 100,000
 * records could exceed a small socket.request.max.bytes, and the follower never caught up).
 */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src/core/host-interface.js';
import { recordRunOf, type MetadataBatch } from '../../../src/core/metadata-log.js';
import { FETCH_ENTRY_OVERHEAD_BYTES } from '../../../src/core/raft/leader-role.js';
import { createTopicOk, settleLeader } from '../../support/settled-leader.js';
import { TinyCluster } from '../../support/tiny-cluster.js';

const FETCH_MAX_BYTES = 1500;

interface FetchAnswer { type: string; entries?: LogEntry<MetadataBatch>[] }

describe('a fetch answer', () => {
  it('carries only the entries that fit in the bytes the fetcher asked for, the first whatever its size', () => {
    const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 1000 }, 1, 1, () => ({ fetchMaxBytes: FETCH_MAX_BYTES }));
    const answers: { to: number; entries: LogEntry<MetadataBatch>[] }[] = [];
    cluster.wire = (envelope) => {
      const message = envelope.message as FetchAnswer;
      if (message.type === 'fetch-response' && message.entries !== undefined && message.entries.length > 0) {
        answers.push({ to: envelope.to, entries: message.entries });
      }
      return envelope;
    };
    const { leader, lagging } = settleLeader(cluster);
    cluster.crash(lagging);
    const create = (name: string, numPartitions: number): void => {
      createTopicOk(cluster, leader, name, numPartitions);
    };
    for (let i = 0; i < 30; i++) create(`small-${i}`, 2);
    // One entry bigger than the fetcher's bound on its own.
    create('big', 60);
    for (let i = 0; i < 10; i++) create(`after-${i}`, 2);
    answers.length = 0;
    cluster.start(lagging, true);
    const topics = cluster.nodes.get(leader)!.committedImage.topicNames().length;
    expect(cluster.run(cluster.nowMs + 20_000, () => cluster.nodes.get(lagging)!.committedImage.topicNames().length === topics)).toBe(true);

    const bytes = (entries: LogEntry<MetadataBatch>[]): number =>
      entries.reduce((sum, entry) => sum + recordRunOf(entry.record).length + FETCH_ENTRY_OVERHEAD_BYTES, 0);
    const toLagging = answers.filter((answer) => answer.to === lagging);
    // It caught up in several answers, none past the bound but one holding the big entry alone.
    expect(toLagging.length).toBeGreaterThan(3);
    const big = toLagging.filter((answer) => bytes(answer.entries) > FETCH_MAX_BYTES);
    expect(big).toHaveLength(1);
    expect(big[0]!.entries).toHaveLength(1);
    expect(bytes(big[0]!.entries.slice(0, 1))).toBeGreaterThan(FETCH_MAX_BYTES);
    // Answers are full: the next entry would not have fit.
    const sizes = toLagging.map((answer) => bytes(answer.entries));
    expect(Math.max(...sizes.filter((size) => size <= FETCH_MAX_BYTES))).toBeGreaterThan(FETCH_MAX_BYTES / 2);
  });
});
