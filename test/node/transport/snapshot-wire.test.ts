/**
 * A FetchSnapshot response crosses the controller channel: its snapshot (a frozen image in memory)
 * travels as snapshot-file bytes inside the JSON frame and arrives as an equal MetadataSnapshot;
 * other messages pass untouched; a snapshot that does not decode is refused, named.
 */
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../../src/core/host-interface.js';
import { MetadataSnapshot } from '../../../src/core/metadata/index.js';
import { encodeJsonFrame, JsonFrameDecoder } from '../../../src/node/transport/frame-codec.js';
import { envelopeFromWire, envelopeToWire } from '../../../src/node/transport/snapshot-wire.js';
import { bigTopicRecords } from '../storage/test-snapshots.js';

function overTheWire(envelope: PeerEnvelope): PeerEnvelope {
  const [value] = new JsonFrameDecoder(1 << 26).push(encodeJsonFrame(envelopeToWire(envelope)));
  return envelopeFromWire(value as PeerEnvelope);
}

describe('snapshots on the controller channel', () => {
  it('a FetchSnapshot response arrives with an equal snapshot', () => {
    const state = MetadataSnapshot.fromRecords(bigTopicRecords(20_000));
    const sent: PeerEnvelope = {
      from: 1, to: 2,
      message: { type: 'fetch-snapshot-response', epoch: 4, leaderId: 1, snapshot: { endOffset: 77, lastEpoch: 3, state } },
    };
    const received = overTheWire(sent);
    const message = received.message as { type: string; epoch: number; snapshot: { endOffset: number; lastEpoch: number; state: unknown } };
    expect(message.type).toBe('fetch-snapshot-response');
    expect(message.epoch).toBe(4);
    expect(message.snapshot.endOffset).toBe(77);
    expect(message.snapshot.lastEpoch).toBe(3);
    expect(message.snapshot.state).toBeInstanceOf(MetadataSnapshot);
    expect((message.snapshot.state as MetadataSnapshot).digest()).toBe(state.digest());
  });

  it('other messages, and a response without a snapshot, pass untouched', () => {
    const fetch: PeerEnvelope = { from: 1, to: 2, message: { type: 'fetch', epoch: 1, fetchOffset: 3 } };
    expect(overTheWire(fetch)).toEqual(fetch);
    const refused: PeerEnvelope = { from: 1, to: 2, message: { type: 'fetch-snapshot-response', epoch: 1, leaderId: 1, error: 'SNAPSHOT_NOT_FOUND' } };
    expect(overTheWire(refused)).toEqual(refused);
  });

  it('a snapshot whose bytes do not decode, or that names another snapshot than it holds, is refused', () => {
    const wire = envelopeToWire({
      from: 1, to: 2,
      message: { type: 'fetch-snapshot-response', epoch: 4, leaderId: 1, snapshot: { endOffset: 9, lastEpoch: 2, state: MetadataSnapshot.fromRecords([]) } },
    });
    const message = wire.message as { snapshot: { endOffset: number; snapshotBase64: string } };
    const cut = { ...wire, message: { ...message, snapshot: { ...message.snapshot, snapshotBase64: message.snapshot.snapshotBase64.slice(0, 12) } } };
    expect(() => envelopeFromWire(cut)).toThrow(/frame at byte|no trailer/);
    const misnamed = { ...wire, message: { ...message, snapshot: { ...message.snapshot, endOffset: 10 } } };
    expect(() => envelopeFromWire(misnamed)).toThrow(/names snapshot 10\/2 but carries 9\/2/);
  });
});
