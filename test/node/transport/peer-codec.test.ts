/**
 * The binary peer messages: every message a running cluster sends crosses the wire codec
 * unchanged (a tiny cluster whose every message is encoded and decoded on its way: elections,
 * forwarded writes, reads, DescribeQuorum, a follower installing a snapshot), the messages such a
 * run does not produce round-trip by hand, a message the table does not know still travels (as
 * JSON), and bytes that are not a message are refused, naming it.
 */
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../../src/core/host-interface.js';
import { MetadataSnapshot } from '../../../src/core/metadata/index.js';
import { encodeSnapshot } from '../../../src/node/storage/snapshot-format.js';
import { FRAME_LENGTH_BYTES } from '../../../src/node/transport/frame-codec.js';
import { decodePeerPayload, encodeEnvelopeFrame, encodeHelloFrame, PeerCodecError } from '../../../src/node/transport/peer-codec.js';
import { JSON_MESSAGE_CODE, PEER_MESSAGES } from '../../../src/node/transport/peer-messages.js';
import { TinyCluster } from '../../support/tiny-cluster.js';
import { bigTopicRecords } from '../storage/test-snapshots.js';

function overTheWire(envelope: PeerEnvelope): PeerEnvelope {
  const frame = encodeEnvelopeFrame(envelope);
  expect(frame.readUInt32BE(0)).toBe(frame.length - FRAME_LENGTH_BYTES);
  return decodePeerPayload(frame.subarray(FRAME_LENGTH_BYTES)) as PeerEnvelope;
}

/** A message as tests compare it: a snapshot piece's bytes as a Buffer (the core's codec makes plain Uint8Arrays). */
function comparable(envelope: PeerEnvelope): unknown {
  const message = envelope.message as { bytes?: Uint8Array };
  if (message.bytes === undefined) return envelope;
  return { ...envelope, message: { ...message, bytes: Buffer.from(message.bytes) } };
}

describe('binary peer messages', () => {
  it('every message of a running cluster crosses the wire unchanged, none of them as JSON', () => {
    const cluster = new TinyCluster([1, 2, 3], [9], { snapshotIntervalEntries: 5 });
    const seen = new Map<string, number>();
    cluster.wire = (envelope) => {
      const type = (envelope.message as { type: string }).type;
      seen.set(type, (seen.get(type) ?? 0) + 1);
      const frame = encodeEnvelopeFrame(envelope);
      expect(frame[FRAME_LENGTH_BYTES], `${type} has a code of its own`).not.toBe(JSON_MESSAGE_CODE);
      const received = overTheWire(envelope);
      expect(comparable(received), type).toEqual(comparable(envelope));
      return received;
    };
    expect(cluster.run(20_000, () => cluster.leaders().length === 1)).toBe(true);
    // Until every broker has registered, a replication factor of 2 may be refused.
    cluster.run(cluster.nowMs + 3000);
    const leader = cluster.leaders()[0]!;
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    const await_ = (requestId: number) => {
      cluster.run(cluster.nowMs + 10_000, () => cluster.response(requestId) !== undefined);
      return cluster.response(requestId);
    };
    // Writes through the leader, a follower and the observer (forwarded), reads, DescribeQuorum.
    for (const [i, via] of [leader, follower, 9].entries()) {
      const created = await_(cluster.submit(via, { type: 'createTopic', name: `t${i}`, numPartitions: 3, replicationFactor: 2 }));
      expect(created?.outcome).toBe('ok');
      expect(created?.outcome === 'ok' && (created.result as { ok: boolean }).ok, JSON.stringify(created)).toBe(true);
    }
    expect(await_(cluster.submit(follower, { type: 'listTopics' }))?.outcome).toBe('ok');
    const describeId = cluster.newRequestId();
    cluster.act(9, (node) => node.describeQuorum(describeId, cluster.nowMs));
    expect(await_(describeId)?.outcome).toBe('ok');
    // A follower that comes back behind the leader's log start installs its snapshot.
    cluster.crash(follower);
    for (let i = 0; i < 12; i++) expect(await_(cluster.submit(leader, { type: 'createTopic', name: `s${i}`, numPartitions: 1, replicationFactor: 1 }))?.outcome).toBe('ok');
    cluster.start(follower, true);
    cluster.run(cluster.nowMs + 10_000, () => cluster.nodes.get(follower)!.committedImage.topicNames().length === 15);
    expect(cluster.nodes.get(follower)!.committedImage.topicNames()).toHaveLength(15);
    for (const type of ['vote-request', 'vote-response', 'begin-quorum-epoch', 'fetch', 'fetch-response', 'fetch-snapshot',
      'fetch-snapshot-response', 'forward-request', 'forward-response', 'read-index', 'read-index-response',
      'describe-quorum-query', 'describe-quorum-answer']) {
      expect(seen.get(type) ?? 0, `${type} messages seen`).toBeGreaterThan(0);
    }
  });

  it('round-trips the messages such a run does not produce', () => {
    const state = MetadataSnapshot.fromRecords(bigTopicRecords(5000));
    const snapshotBytes = encodeSnapshot({
      endOffset: 8, lastEpoch: 6, state,
      control: { kraftVersion: 1, voters: [{ id: 1, directoryId: 'AAAAAAAAAAAAAAAAAAAAAQ', endpoints: [{ name: 'CONTROLLER', host: 'h', port: 9093 }] }] },
    });
    const messages: unknown[] = [
      { type: 'end-quorum-epoch', clusterId: 'c', epoch: 4, leaderId: 1, preferredSuccessors: [3, 2] },
      { type: 'end-quorum-epoch-response', error: 'FENCED_LEADER_EPOCH', epoch: 5, leaderId: null },
      { type: 'begin-quorum-epoch-response', epoch: 5, leaderId: 2 },
      {
        type: 'fetch-response', epoch: 7, leaderId: 1, fetchId: 2 ** 40, incarnationId: 'abc', highWatermark: 10, logStartOffset: 0,
        entries: [], divergingEpoch: { epoch: 3, endOffset: 9 }, readRound: 4,
      },
      { type: 'fetch-response', epoch: 7, leaderId: 1, fetchId: 3, incarnationId: 'abc', highWatermark: 10, logStartOffset: 8, entries: [], snapshotId: { endOffset: 8, epoch: 6 }, readRound: 0 },
      {
        type: 'fetch-response', error: 'NOT_LEADER_OR_FOLLOWER', epoch: 7, leaderId: 1, fetchId: 4, incarnationId: 'abc', highWatermark: 10,
        logStartOffset: 0, entries: [], readRound: 0, leaderEndpoints: [{ name: 'CONTROLLER', host: 'c1', port: 9093 }],
      },
      {
        type: 'fetch-snapshot-response', epoch: 7, leaderId: 1, snapshotId: { endOffset: 8, epoch: 6 }, size: snapshotBytes.length, position: 4096,
        bytes: snapshotBytes.subarray(4096, 8192),
      },
      { type: 'fetch-snapshot-response', epoch: 7, leaderId: 1, snapshotId: { endOffset: 8, epoch: 6 }, size: 0, position: 0, bytes: new Uint8Array(0) },
      { type: 'fetch-snapshot-response', error: 'SNAPSHOT_NOT_FOUND', epoch: 7, leaderId: 1 },
      { type: 'update-voter', clusterId: 'c', epoch: 2, voterId: 3, voterDirectoryId: null, endpoints: [{ name: 'CONTROLLER', host: '::1', port: 1 }] },
      { type: 'update-voter-response', error: 'INVALID_REQUEST', epoch: 2, leaderId: null },
      { type: 'voter-change-query', clusterId: 'c', epoch: 4, incarnationId: 'i', queryId: 1, change: { type: 'remove', id: 3, directoryId: null } },
      { type: 'voter-change-answer', incarnationId: 'i', queryId: 1, result: { ok: false, error: 'VOTER_NOT_FOUND', message: 'no', mayHaveTakenEffect: false } },
      {
        type: 'forward-response', incarnationId: 'i', forwardId: 5, outcome: 'unknown', error: { code: 'NOT_CONTROLLER', message: 'lost' },
        epoch: 3, leaderId: null,
      },
      // A result far beyond a Kafka string's 32 KiB (a 10,000-partition topic's records).
      {
        type: 'forward-response', incarnationId: 'i', forwardId: 6, outcome: 'ok', result: { ok: true, records: bigTopicRecords(10_000) },
        applyOffset: 40, committedOffset: 39, committedEpoch: 2, epoch: 2, leaderId: 1,
      },
    ];
    for (const message of messages) {
      const envelope: PeerEnvelope = { from: 1, to: 2, message };
      expect(comparable(overTheWire(envelope))).toEqual(comparable(envelope));
    }
    const hello = { type: 'hello' as const, nodeId: 4, clusterId: 'cluster-é' };
    expect(decodePeerPayload(encodeHelloFrame(hello).subarray(FRAME_LENGTH_BYTES))).toEqual(hello);
  });

  it('a message the table does not know still travels, as JSON', () => {
    const envelope: PeerEnvelope = { from: 3, to: 1, message: { type: 'something-new', values: [1, 'two', null] } };
    expect(encodeEnvelopeFrame(envelope)[FRAME_LENGTH_BYTES]).toBe(JSON_MESSAGE_CODE);
    expect(overTheWire(envelope)).toEqual(envelope);
  });

  it('every message of the table has its own code', () => {
    expect(new Set(PEER_MESSAGES.map((m) => m.code)).size).toBe(PEER_MESSAGES.length);
  });

  it('refuses bytes that are not a message, naming the message and what is wrong', () => {
    const frame = encodeEnvelopeFrame({ from: 1, to: 2, message: { type: 'fetch', clusterId: 'c', epoch: 1, replicaId: 2, replicaDirectoryId: null, fetchOffset: 0, lastFetchedEpoch: 0, fetchId: 1, incarnationId: 'x', readRound: 0, maxBytes: 1024 } });
    const payload = frame.subarray(FRAME_LENGTH_BYTES);
    expect(() => decodePeerPayload(payload.subarray(0, payload.length - 3))).toThrow(PeerCodecError);
    expect(() => decodePeerPayload(payload.subarray(0, payload.length - 3))).toThrow(/cannot decode fetch/);
    expect(() => decodePeerPayload(Buffer.concat([payload, Buffer.of(0)]))).toThrow(/cannot decode fetch/);
    const unknownCode = Buffer.from(payload);
    unknownCode[0] = 99;
    expect(() => decodePeerPayload(unknownCode)).toThrow(/message code 99 is unknown/);
    expect(() => decodePeerPayload(Buffer.alloc(0))).toThrow(/an empty frame/);
  });
});
