/**
 * A snapshot inside a peer message. Consensus hands the transport a FetchSnapshot response whose
 * snapshot state is a MetadataSnapshot (a frozen image, not data a JSON frame can carry): on the
 * way out it is replaced by the snapshot's bytes (snapshot-format.ts, base64 inside the JSON
 * frame), and on the way in those bytes are replayed into a MetadataSnapshot again. Every other
 * message passes through untouched.
 */
import type { PeerEnvelope, SnapshotData } from '../../core/host-interface.js';
import { metadataSnapshotOf } from '../../core/metadata/index.js';
import { decodeSnapshot, encodeSnapshot } from '../storage/snapshot-format.js';

interface WireSnapshot {
  endOffset: number;
  lastEpoch: number;
  /** The snapshot in the snapshot file format, base64. */
  snapshotBase64: string;
}

interface SnapshotCarrier {
  type: 'fetch-snapshot-response';
  snapshot?: SnapshotData | WireSnapshot;
}

function carriesSnapshot(message: unknown): message is SnapshotCarrier & { snapshot: object } {
  const carrier = message as Partial<SnapshotCarrier> | null;
  return carrier !== null && typeof carrier === 'object' && carrier.type === 'fetch-snapshot-response' &&
    typeof carrier.snapshot === 'object' && carrier.snapshot !== null;
}

/** The envelope as a JSON frame can carry it. */
export function envelopeToWire(envelope: PeerEnvelope): PeerEnvelope {
  if (!carriesSnapshot(envelope.message)) return envelope;
  const snapshot = envelope.message.snapshot as SnapshotData;
  const bytes = encodeSnapshot({ ...snapshot, state: metadataSnapshotOf(snapshot.state) });
  const wire: WireSnapshot = { endOffset: snapshot.endOffset, lastEpoch: snapshot.lastEpoch, snapshotBase64: bytes.toString('base64') };
  return { ...envelope, message: { ...envelope.message, snapshot: wire } };
}

/**
 * The envelope as consensus expects it; throws SnapshotFormatError (or TypeError) for a snapshot
 * that does not decode, which the connection treats as a bad frame.
 */
export function envelopeFromWire(envelope: PeerEnvelope): PeerEnvelope {
  if (!carriesSnapshot(envelope.message)) return envelope;
  const wire = envelope.message.snapshot as Partial<WireSnapshot>;
  if (typeof wire.snapshotBase64 !== 'string') throw new TypeError('a FetchSnapshot response carries a snapshot without snapshotBase64');
  const snapshot = decodeSnapshot(Buffer.from(wire.snapshotBase64, 'base64'));
  if (snapshot.endOffset !== wire.endOffset || snapshot.lastEpoch !== wire.lastEpoch) {
    throw new TypeError(`a FetchSnapshot response names snapshot ${wire.endOffset}/${wire.lastEpoch} but carries ${snapshot.endOffset}/${snapshot.lastEpoch}`);
  }
  return { ...envelope, message: { ...envelope.message, snapshot } };
}
