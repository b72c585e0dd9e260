/**
 * Fetching, the asking side: followers fetch from their leader, observers without a leader ask a
 * voter until one names it. One Fetch and one FetchSnapshot at most are in flight; an answer
 * counts only while its request is (a late answer to an abandoned request is dropped whole), and
 * a fetch unanswered when its answer was due (`fetchExpiryMs`) is given up so the next one can go.
 *
 * A fetch's answer is due within the longest the leader holds a fetch (fetch max wait) plus a round
 * trip, far sooner than the request timeout. Waiting out the whole request timeout for a fetch the
 * network lost (the default, like Kafka's) left a follower deaf for as long as its fetch timeout:
 * with 1 % message loss the simulator's runs did half the work, and a follower that lost its
 * fetch just before a partition healed started an election anyway. A fetch given up that is
 * answered after all, while the next one is out, still counts: on a network slower than the due
 * time a follower keeps making progress instead of giving up every fetch.
 *
 * The fetcher echoes the newest read round it has seen from its leader (read-index.ts) and
 * remembers when a fetch last succeeded, which the pre-vote rule asks (KIP-996: a voter that
 * still hears from a live leader refuses pre-votes).
 *
 * A snapshot is fetched in pieces by position, as Kafka's FetchSnapshot does: each answer carries
 * at most `snapshotMaxBytes` from where the partial snapshot ends, and the next request asks from
 * its new end, until it holds the snapshot's whole size. A partial snapshot is kept only while the
 * follower fetches that same snapshot from the same leader; a role change, another snapshot id or
 * a piece that does not continue it starts again from byte 0. The pieces themselves go to a
 * SnapshotReceiver as they come (the host's partial file, or memory): the fetcher keeps only where
 * the partial snapshot ends.
 */
import { answersThisIncarnation } from '../bug-switches.js';
import type { BeforeSnapshotBuild, SnapshotData, SnapshotReceiver } from '../host-interface.js';
import type { FetchRequest, FetchResponse, FetchSnapshotRequest, FetchSnapshotResponse } from './messages.js';
import type { RaftLog } from './raft-log.js';

interface InflightRequest {
  sentMs: number;
  to: number;
}

/** The snapshot being fetched: the receiver holds its bytes from 0 to `position`. */
interface PartialSnapshot {
  endOffset: number;
  epoch: number;
  /** The whole snapshot's length, once an answer said it (null before the first piece). */
  size: number | null;
  position: number;
}

/** What one FetchSnapshot answer did to the partial snapshot. */
export type SnapshotPiece =
  /** It continued it; `whole` once the last piece came (`decodeWhole` decodes it then). */
  | { kind: 'piece'; endOffset: number; epoch: number; whole: boolean }
  /** It did not continue it (another snapshot, position or size): the partial snapshot is dropped. */
  | { kind: 'mismatch' };

export class FetchClient {
  private nextFetchId = 1;
  /**
   * The fetch in flight: its id (null: none) and when it went. Two fields, not an object per
   * fetch: a follower fetches again as soon as each answer comes.
   */
  private inflightFetchId: number | null = null;
  private inflightFetchSentMs = 0;
  /** The fetch given up last (its answer was overdue): its answer still counts if it comes. */
  private givenUpFetchId: number | null = null;
  private inflightSnapshotFetch: InflightRequest | null = null;
  private partialSnapshot: PartialSnapshot | null = null;
  /** When the next fetch may go (Infinity: not until something schedules one). */
  nextAttemptMs = Infinity;
  /** When a fetch last succeeded against the leader. */
  lastSuccessMs = -Infinity;
  /** The newest read round seen from the current leader; reset when the leader changes. */
  readRoundSeen = 0;

  constructor(
    private readonly clusterId: string,
    private readonly replicaId: number,
    /** This replica's directory id (KIP-853): a voter counts only as the directory its voter set names. */
    private readonly replicaDirectoryId: string | null,
    /** This process's incarnation: fetch ids start again from 1 at every start (messages.ts). */
    private readonly incarnationId: string,
    private readonly requestTimeoutMs: number,
    /** When a fetch's answer is overdue and the next fetch goes (at most the request timeout). */
    private readonly fetchExpiryMs: number,
    /** The most snapshot bytes one FetchSnapshot answer may carry. */
    private readonly snapshotMaxBytes: number,
    /** Where the pieces of the snapshot being fetched are kept. */
    private readonly receiver: SnapshotReceiver,
    /** The most bytes of entries a fetch answer may carry (FetchRequest.maxBytes). */
    private readonly fetchMaxBytes: number,
    /** BUG SWITCH incarnation-check-off: an answer to an earlier incarnation's fetch is taken too. */
    private readonly takesAnyIncarnation = false,
  ) {}

  get fetchInFlight(): boolean {
    return this.inflightFetchId !== null;
  }

  fetchRequest(epoch: number, log: RaftLog<unknown>, nowMs: number): FetchRequest {
    const fetchId = this.nextFetchId++;
    this.inflightFetchId = fetchId;
    this.inflightFetchSentMs = nowMs;
    this.nextAttemptMs = Infinity;
    return {
      type: 'fetch', clusterId: this.clusterId, epoch, replicaId: this.replicaId, replicaDirectoryId: this.replicaDirectoryId,
      fetchOffset: log.endOffset, lastFetchedEpoch: log.lastEpoch, fetchId, incarnationId: this.incarnationId,
      readRound: this.readRoundSeen, maxBytes: this.fetchMaxBytes,
    };
  }

  /** Asks for the next piece of `snapshotId`: from the partial snapshot's end, or from 0 for another snapshot. */
  snapshotRequest(to: number, epoch: number, snapshotId: { endOffset: number; epoch: number }, nowMs: number): FetchSnapshotRequest {
    const partial = this.partialSnapshot;
    if (partial === null || partial.endOffset !== snapshotId.endOffset || partial.epoch !== snapshotId.epoch) {
      this.partialSnapshot = { endOffset: snapshotId.endOffset, epoch: snapshotId.epoch, size: null, position: 0 };
    }
    this.inflightSnapshotFetch = { sentMs: nowMs, to };
    return {
      type: 'fetch-snapshot', clusterId: this.clusterId, epoch, replicaId: this.replicaId, replicaDirectoryId: this.replicaDirectoryId,
      snapshotId: { endOffset: snapshotId.endOffset, epoch: snapshotId.epoch }, position: this.partialSnapshot!.position,
      maxBytes: this.snapshotMaxBytes,
    };
  }

  /** The snapshot being fetched, while a partial one is held. */
  get partialSnapshotId(): { endOffset: number; epoch: number } | null {
    const partial = this.partialSnapshot;
    return partial === null ? null : { endOffset: partial.endOffset, epoch: partial.epoch };
  }

  /**
   * Hands an answer's piece to the receiver if it continues the partial snapshot: the same
   * snapshot, starting where the partial one ends, the same size as before. Anything else drops
   * the partial snapshot. When the last piece came the partial snapshot is whole: the fetcher
   * forgets it, and `decodeWhole` decodes what the receiver kept.
   */
  takeSnapshotPiece(response: FetchSnapshotResponse): SnapshotPiece {
    const partial = this.partialSnapshot;
    const { snapshotId, size, position, bytes } = response;
    const continues = partial !== null && snapshotId !== undefined && size !== undefined && bytes !== undefined &&
      snapshotId.endOffset === partial.endOffset && snapshotId.epoch === partial.epoch && position === partial.position &&
      (partial.size === null || partial.size === size) && position + bytes.length <= size && (bytes.length > 0 || position === size);
    if (!continues) {
      this.dropPartialSnapshot();
      return { kind: 'mismatch' };
    }
    partial.size = size;
    this.receiver.write({ endOffset: partial.endOffset, lastEpoch: partial.epoch, position: partial.position, size, bytes });
    partial.position += bytes.length;
    const whole = partial.position === size;
    if (whole) this.partialSnapshot = null;
    return { kind: 'piece', endOffset: partial.endOffset, epoch: partial.epoch, whole };
  }

  /**
   * Decodes the snapshot whose last piece `takeSnapshotPiece` just took (SnapshotReceiver.decode:
   * verified, then `beforeBuild`, then built); throws what the decode throws.
   */
  decodeWhole(beforeBuild: BeforeSnapshotBuild): SnapshotData {
    return this.receiver.decode(beforeBuild);
  }

  /** Forgets the partial snapshot (the leader no longer has it, or its bytes did not verify). */
  dropPartialSnapshot(): void {
    if (this.partialSnapshot !== null) this.receiver.discard();
    this.partialSnapshot = null;
  }

  /**
   * Whether `response` answers the fetch in flight, or the one given up just before it; if so,
   * neither is in flight any more. An answer to an earlier incarnation's fetch of the same id does
   * not count: it was checked against that incarnation's log, not this one's.
   */
  claimFetchResponse(response: FetchResponse): boolean {
    if (!answersThisIncarnation(this.incarnationId, response.incarnationId, this.takesAnyIncarnation)) return false;
    const answersInflight = this.inflightFetchId !== null && this.inflightFetchId === response.fetchId;
    if (!answersInflight && this.givenUpFetchId !== response.fetchId) return false;
    this.inflightFetchId = null;
    this.givenUpFetchId = null;
    return true;
  }

  /** Whether a FetchSnapshot answer from `from` answers the one in flight; if so, it no longer is. */
  claimSnapshotResponse(from: number): boolean {
    if (this.inflightSnapshotFetch === null || this.inflightSnapshotFetch.to !== from) return false;
    this.inflightSnapshotFetch = null;
    return true;
  }

  /**
   * A role change: the fetch and the snapshot fetch in flight were for the old role's leader. A
   * snapshot fetch left in flight kept its timeout in `timeoutMs()` although only the follower's
   * tick expires it, so a node that became prospective asked to be woken at a moment already past
   * (sweep seed 128072785), and as a follower again it could not fetch until the old timeout.
   */
  abandonFetch(): void {
    this.inflightFetchId = null;
    this.givenUpFetchId = null;
    this.inflightSnapshotFetch = null;
    // Pieces from another leader or epoch are not known to be of the same bytes.
    this.dropPartialSnapshot();
  }

  /** Gives up a fetch whose answer is overdue, so the next fetch can go now. */
  expireFetch(nowMs: number): void {
    if (this.inflightFetchId !== null && nowMs >= this.inflightFetchSentMs + this.fetchExpiryMs) {
      this.givenUpFetchId = this.inflightFetchId;
      this.inflightFetchId = null;
      this.nextAttemptMs = nowMs;
    }
  }

  expireSnapshotFetch(nowMs: number): void {
    if (this.inflightSnapshotFetch !== null && nowMs >= this.inflightSnapshotFetch.sentMs + this.requestTimeoutMs) {
      this.inflightSnapshotFetch = null;
      this.nextAttemptMs = nowMs;
    }
  }

  /** Neither a fetch nor a snapshot fetch is in flight. */
  get idle(): boolean {
    return this.inflightFetchId === null && this.inflightSnapshotFetch === null;
  }

  /** When the next fetch is due, for a node that fetches in its role; Infinity while one is in flight. */
  dueMs(): number {
    return this.idle ? this.nextAttemptMs : Infinity;
  }

  /** When a request in flight times out. */
  timeoutMs(): number {
    let deadline = Infinity;
    if (this.inflightFetchId !== null) deadline = this.inflightFetchSentMs + this.fetchExpiryMs;
    if (this.inflightSnapshotFetch !== null) deadline = Math.min(deadline, this.inflightSnapshotFetch.sentMs + this.requestTimeoutMs);
    return deadline;
  }
}
