/**
 * The boundary between the IO-free core and a host (the simulator in sim/, the real server in
 * node/). The host owns time, randomness, the network and the disk; the core owns every decision.
 *
 * The host's duties, in order, each time it drives a node (as etcd's raft asks of its hosts):
 *  1. Feed inputs: `tick(nowMs)` when `nextWakeMs()` is reached (or earlier), `receive(envelope,
 *     nowMs)` for every message that arrives, `submit(request, nowMs)` for every client request.
 *  2. While `hasReady()`: take `ready()`.
 *  3. Persist `ready.persist` in this order: quorum state, log truncation, snapshot, log appends,
 *     log-prefix deletion (except that appends holding a local snapshot's last entry go before
 *     that snapshot: snapshot-continuity.ts). When `ready.mustSync` is true these must be durable
 *     (fsync) before step 4: a vote or an acknowledged append that is sent but then lost in a
 *     crash breaks Raft.
 *  4. Send `ready.messages`, deliver `ready.responses` to clients, record `ready.events`
 *     (stamping each with the node id and the current time).
 *  5. Call `advance()`. Only then may the core count what it asked to persist as durable.
 *
 * A restarted node is constructed from what the host recovered from disk (`DurableState`), never
 * from anything volatile.
 */
import type { NodeEvent } from '../history/node-event.js';
import type { ClientResponse } from './client-response.js';
import type { Voter } from './raft/voter-set.js';

/** Seeded randomness from the host; the core never calls Math.random. */
export interface RandomSource {
  /** A float in [0, 1). */
  nextFloat(): number;
}

/** Persisted quorum state, written atomically: KRaft's quorum-state file. */
export interface QuorumStateRecord {
  epoch: number;
  votedFor: number | null;
  leaderId: number | null;
  /** The directory id of the replica voted for (KIP-853); absent or null under kraft.version 0. */
  votedDirectoryId?: string | null;
}

/** One metadata log entry. `record` is opaque to consensus (a metadata record). */
export interface LogEntry<R = unknown> {
  offset: number;
  epoch: number;
  record: R;
}

/**
 * A snapshot of the state machine: what applying offsets [0, endOffset) gave. `state` is the state
 * machine's own immutable value (for metadata, a MetadataSnapshot: the frozen image). Consensus
 * stores it, hands it to the host to persist and to followers that fetch it, and never looks
 * inside; a host's disk and network codecs turn it into bytes and back.
 */
export interface SnapshotData<S = unknown> {
  /** Exclusive end offset: the snapshot covers offsets [0, endOffset). */
  endOffset: number;
  /** Epoch of the record at endOffset - 1. */
  lastEpoch: number;
  state: S;
  /**
   * The raft layer's own state at endOffset (KIP-853's control records): the kraft.version and
   * the voter set, null when none was known. Absent in snapshots of hosts that do not keep it yet;
   * a node then falls back on its configuration.
   */
  control?: SnapshotControl;
}

/**
 * A snapshot's bytes as FetchSnapshot serves them, a chunk at a time by position (Kafka's
 * Position and MaxBytes): a leader never puts a whole snapshot in one message, so a follower far
 * behind a two-million-partition image fetches it in bounded pieces instead of one 70 MB frame.
 */
export interface SnapshotBytes {
  /** The whole snapshot's length in bytes. */
  readonly size: number;
  /** Bytes [position, position + maxBytes), cut at `size`. */
  read(position: number, maxBytes: number): Uint8Array;
  /** The leader serves these bytes no more: whatever was held open for them (a file) may go. */
  release?(): void;
}

/** Which snapshot: its end offset and the epoch of its last record (Kafka's SnapshotId). */
export interface SnapshotId {
  endOffset: number;
  epoch: number;
}

/**
 * Called by a decode once the bytes are verified (the host's framing and checksums, the id in
 * their header), before the new state is built from them: the core drops the state the snapshot
 * replaces there, so the old image and the new one are never held together (a 2M-partition image
 * is 100-200 MiB). A decode that fails after this call is fatal to the node.
 */
export type BeforeSnapshotBuild = (id: SnapshotId) => void;

/**
 * How a host's snapshots become bytes and back: the core chunks and reassembles them without
 * looking inside. `decode` verifies the bytes (the host's framing and checksums) and throws naming
 * what is wrong, so a snapshot fetched whole but damaged is never installed.
 */
export interface SnapshotCodec<S = unknown> {
  bytesOf(snapshot: SnapshotData<S>): SnapshotBytes;
  /** Verifies `bytes` whole, calls `beforeBuild` (when given), then builds the snapshot. */
  decode(bytes: Uint8Array, beforeBuild?: BeforeSnapshotBuild): SnapshotData<S>;
  /**
   * A host that keeps the pieces of a snapshot being fetched itself (a partial file): the core
   * hands each piece over as it comes and holds none of the bytes, then decodes the whole from
   * there. Without one the core keeps the pieces in memory (one buffer of the snapshot's size).
   */
  receiver?: SnapshotReceiver<S>;
  /**
   * A host that keeps snapshot files: the newest snapshot whose file is durable, or null. A leader
   * with such a host points followers at that snapshot and serves only snapshots it can read from
   * a file (`fileBytes`), never encoding one in memory on its event loop: a 2M-partition image
   * takes seconds to encode, during which no fetch is answered. A newer snapshot whose background
   * write has not finished is not served yet: followers wait for its file, or take the older one.
   */
  newestDurable?(): SnapshotId | null;
  /** The bytes of snapshot `id` read from its file, held open until released; null when it has none. */
  fileBytes?(id: SnapshotId): SnapshotBytes | null;
}

/**
 * Where a follower keeps the snapshot it is fetching, piece by piece (see SnapshotCodec.receiver).
 * The core hands over only pieces that continue what is kept; a piece at position 0 starts anew.
 */
export interface SnapshotReceiver<S = unknown> {
  /** Keeps a piece: at position 0 it starts a new snapshot, any other continues the one kept. */
  write(chunk: SnapshotChunk): void;
  /**
   * Decodes the snapshot kept, once whole (verified first, then `beforeBuild`, then built, as
   * SnapshotCodec.decode). A host keeping a file keeps it until the core installs the snapshot
   * (PersistActions.snapshot), so the very bytes verified become the snapshot file.
   */
  decode(beforeBuild?: BeforeSnapshotBuild): SnapshotData<S>;
  /** Forgets what is kept (the fetch is given up, or starts again). */
  discard(): void;
}

/** One fetched piece of the snapshot a follower is fetching, for the receiver that keeps it. */
export interface SnapshotChunk {
  /** The snapshot fetched: its end offset and the epoch of its last record. */
  endOffset: number;
  lastEpoch: number;
  /** Where the piece starts; 0 starts a new partial file. */
  position: number;
  /** The whole snapshot's length: the partial file is complete when it has this many bytes. */
  size: number;
  bytes: Uint8Array;
}

/** What a snapshot records of the quorum itself. */
export interface SnapshotControl {
  kraftVersion: number;
  voters: readonly Voter[] | null;
}

/** What the host must make durable before sending `ready.messages`. */
export interface PersistActions<R = unknown, S = unknown> {
  quorumState?: QuorumStateRecord;
  /** Drop every entry at offset >= truncateToOffset (a divergent, uncommitted tail). */
  truncateToOffset?: number;
  /**
   * Replace everything with this snapshot (a follower that fetched one: a host whose receiver kept
   * its pieces in a partial file makes that file the snapshot's), or add a new local one.
   * A local snapshot (the log continues it) need not be durable before messages are sent: the log
   * still holds what it covers, so a host may write it in the background, as long as it deletes
   * the prefix (`deleteBeforeOffset`) only once the snapshot is durable.
   */
  snapshot?: SnapshotData<S>;
  /** Entries to append, in offset order, contiguous with the log end. */
  append?: LogEntry<R>[];
  /** Entries below this offset may be deleted (they are covered by the latest snapshot). */
  deleteBeforeOffset?: number;
}

/** What a host recovered from disk at start-up. */
export interface DurableState<R = unknown, S = unknown> {
  quorumState: QuorumStateRecord | null;
  snapshot: SnapshotData<S> | null;
  /**
   * Entries after the snapshot, contiguous, in offset order. They may begin before the snapshot's
   * end (the log kept behind it, continuing it): the core keeps what its retention allows behind
   * the snapshot, and takes the first of them only for its epoch.
   */
  log: LogEntry<R>[];
}

/** A message between nodes. `message` is opaque to hosts (they only deliver it). */
export interface PeerEnvelope {
  from: number;
  to: number;
  message: unknown;
}

/** Core events: the host stamps `timeNs` and `node` to make them NodeEvents. */
export type CoreEvent = Omit<NodeEvent, 'timeNs' | 'node'>;

export interface Ready<R = unknown> {
  persist: PersistActions<R>;
  mustSync: boolean;
  messages: PeerEnvelope[];
  responses: ClientResponse[];
  events: CoreEvent[];
}

/** A client request handed to a node: `operation` is a metadata operation (core/metadata). */
export interface ClientRequest {
  /** Unique per node for the host's own matching of responses. */
  requestId: number;
  operation: unknown;
  /** Reads: `linearizable` (read index on the leader, the default) or `cached` (local image). */
  readConsistency?: 'linearizable' | 'cached';
  /** The request fails with REQUEST_TIMED_OUT when not answered within this long. */
  timeoutMs?: number;
}

// The answer to a client request, typed by the request's kind, and what its outcome means for a
// history: client-response.ts.
export type { ClientError, ClientErrorCode, ClientResponse } from './client-response.js';
