/**
 * The active controller: what the leader of the quorum does with metadata writes. It plans each
 * write against its latest image (the committed image plus every record it appended and has not
 * yet seen committed, as KRaft's controller does), appends the write's records as one batch (a
 * broker's fencing, which may change millions of partitions, in several: NON_ATOMIC_BATCH_RECORDS_MAX),
 * and holds the answer until the high watermark passes everything the answer depends on:
 * - an accepted write is answered once its own batch is committed;
 * - a refusal (TOPIC_ALREADY_EXISTS, ...) appends a NoOp batch and is answered once that batch
 *   is committed. It was decided from every record appended before it, which a failover could
 *   still discard, and from this node's belief that it leads: a leader cut off from the quorum
 *   believes so until check-quorum, and an answer it gave from its own image at once could be
 *   stale (the simulator found exactly that). Committing a batch of its own epoch proves that no
 *   other leader has committed anything in between, so the refusal is linearizable at that commit.
 * It also keeps broker sessions and fences brokers whose sessions expired.
 */
import {
  BrokerSessions, isWriteOperation, planSessionExpiries, planWrite, rebuildLatest, topicIdSourceFrom,
  type MetadataImage, type MetadataRecord, type MetadataSettings, type MetadataWriteOperation, type WriteResult,
} from './metadata/index.js';
import { EPOCH_START_BATCH as EPOCH_CONFIRMATION_BATCH, type MetadataBatch } from './metadata-log.js';

/** Whom an answer goes to. */
export interface AnswerAddress {
  /** The node to answer (this node, or the node that forwarded the request). */
  node: number;
  /** That node's incarnation: its request ids start again from 1 after a restart. */
  incarnationId: string;
  /** The request id at that node (a forward id, or this node's own request id). */
  requestId: number;
  /** Internal requests (broker registration, heartbeats, fencing) are answered to the node itself. */
  internal: boolean;
}

export interface HeldAnswer {
  to: AnswerAddress;
  /** Answer once the high watermark reaches this offset. */
  releaseAtHighWatermark: number;
  result: WriteResult;
  /** For accepted writes: where the batch landed. */
  committedOffset?: number;
  committedEpoch: number;
}

/** What `plan` needs of consensus: where the next batch lands, and appending it. */
export interface Appender {
  nextOffset(): number;
  append(batch: MetadataBatch): { offset: number; epoch: number } | undefined;
}

/** A planned write on its way into the log. */
interface QueuedWrite {
  to: AnswerAddress;
  result: WriteResult;
  batches: MetadataBatch[];
  /** Batches appended so far, and where the last of them landed. */
  appended: number;
  landed: { offset: number; epoch: number } | undefined;
  /** Accepted with records, refused (a NoOp confirms the epoch), or accepted with nothing to write. */
  kind: 'accepted' | 'refusal' | 'nothing';
}

/**
 * Records appended per turn of the host at most (at least one batch goes): bounds how long one
 * turn of the leader runs while a huge write (a fencing of millions of partitions) goes out.
 */
export const APPEND_RECORDS_PER_TURN = 40_000;

export class ActiveController {
  private latest: MetadataImage;
  private readonly queue: QueuedWrite[] = [];
  private readonly sessions: BrokerSessions;
  private readonly held: HeldAnswer[] = [];
  private readonly newTopicId: () => string;

  constructor(
    committed: MetadataImage,
    uncommitted: Iterable<MetadataBatch>,
    readonly epoch: number,
    nowMs: number,
    sessionTimeoutMs: number,
    private readonly settings: Partial<MetadataSettings>,
    topicIdSeed: string,
  ) {
    this.latest = rebuildLatest(committed, flatten(uncommitted));
    this.sessions = new BrokerSessions(sessionTimeoutMs);
    this.sessions.resetAll(this.latest, nowMs);
    this.newTopicId = topicIdSourceFrom(topicIdSeed);
  }

  /**
   * Plans a write and appends its batches; the answer is held until it may be given. A write is
   * planned at once against the latest image (which takes its records at once), but appended in
   * turn with what was planned before it, at most APPEND_RECORDS_PER_TURN records a turn: a
   * fencing of two million partitions goes out over many turns of the host instead of stalling
   * the leader for seconds in one (its followers would take it for dead and elect another).
   */
  plan(op: MetadataWriteOperation, to: AnswerAddress, appender: Appender, nowMs: number): void {
    if (!isWriteOperation(op)) throw new TypeError(`not a write operation: ${JSON.stringify(op)}`);
    const dependsOnOffset = appender.nextOffset() + this.queuedBatches();
    // Behind a write still going out, this one waits for the next turn's appendQueued.
    const appendNow = this.queue.length === 0;
    const result = planWrite(this.latest, op, {
      nextOffset: dependsOnOffset,
      newTopicId: this.newTopicId,
      settings: this.settings,
      hasLiveSession: (brokerId) => this.sessions.hasLiveSession(brokerId, nowMs),
    });
    // Only an accepted registration or heartbeat keeps a session alive: a refused one comes from a
    // newer incarnation or a stale epoch, and counting it would keep the old session live forever
    // (the simulator found brokers refused as duplicates for good after a restart).
    if ((op.type === 'registerBroker' || op.type === 'brokerHeartbeat') && result.ok) this.sessions.touch(op.brokerId, nowMs);
    if (result.ok && result.records.length === 0) {
      // A heartbeat that changes nothing: only its sender acts on the answer, and a stale one is
      // harmless; it waits for nothing but what was planned before it.
      this.queue.push({ to, result, batches: [], appended: 0, landed: undefined, kind: 'nothing' });
    } else if (!result.ok) {
      this.queue.push({ to, result, batches: [EPOCH_CONFIRMATION_BATCH], appended: 0, landed: undefined, kind: 'refusal' });
    } else {
      const batches = batchesOf(op, result.records);
      for (const batch of batches) for (const record of batch) this.latest.apply(record);
      // The answer keeps the reply, not the records: they are in the log now, and a forwarded
      // answer would otherwise carry a 10,000-partition topic's records back to the node that asked.
      this.queue.push({ to, result: { ok: true, records: [], reply: result.reply }, batches, appended: 0, landed: undefined, kind: 'accepted' });
    }
    if (appendNow) this.appendQueued(appender);
  }

  /**
   * Appends what is queued, in plan order, up to APPEND_RECORDS_PER_TURN records (at least one
   * batch); a write's answer is held once its last batch is appended. Call it each turn while
   * `hasQueued`.
   */
  appendQueued(appender: Appender): void {
    let budget = APPEND_RECORDS_PER_TURN;
    while (this.queue.length > 0) {
      const write = this.queue[0]!;
      while (write.appended < write.batches.length) {
        const batch = write.batches[write.appended]!;
        if (budget <= 0) return;
        const landed = appender.append(batch);
        if (landed === undefined) throw new Error('the active controller could not append: it is not the leader');
        write.landed = landed;
        write.appended++;
        budget -= batch.length;
      }
      this.queue.shift();
      this.hold(write, appender);
    }
  }

  /** Writes planned but not yet appended whole. */
  get hasQueued(): boolean {
    return this.queue.length > 0;
  }

  private hold(write: QueuedWrite, appender: Appender): void {
    const { to, result, landed } = write;
    if (write.kind === 'nothing') {
      this.held.push({ to, releaseAtHighWatermark: appender.nextOffset(), result, committedEpoch: this.epoch });
    } else if (write.kind === 'refusal') {
      this.held.push({ to, releaseAtHighWatermark: landed!.offset + 1, result, committedEpoch: landed!.epoch });
    } else {
      this.held.push({ to, releaseAtHighWatermark: landed!.offset + 1, result, committedOffset: landed!.offset, committedEpoch: landed!.epoch });
    }
  }

  private queuedBatches(): number {
    let batches = 0;
    for (const write of this.queue) batches += write.batches.length - write.appended;
    return batches;
  }

  /** Answers that may be given now that the high watermark is `highWatermark`. */
  release(highWatermark: number): HeldAnswer[] {
    let count = 0;
    while (count < this.held.length && this.held[count]!.releaseAtHighWatermark <= highWatermark) count++;
    return this.held.splice(0, count);
  }

  /**
   * Every answer still held (leadership was lost), those of queued writes included: one that got
   * a batch appended carries where it landed (it may yet commit), one that got none carries
   * nothing (it certainly did not happen).
   */
  abandon(): HeldAnswer[] {
    const abandoned = this.held.splice(0, this.held.length);
    for (const write of this.queue.splice(0, this.queue.length)) {
      const answer: HeldAnswer = { to: write.to, releaseAtHighWatermark: Infinity, result: write.result, committedEpoch: this.epoch };
      if (write.landed !== undefined) {
        answer.committedOffset = write.landed.offset;
        answer.committedEpoch = write.landed.epoch;
      }
      abandoned.push(answer);
    }
    return abandoned;
  }

  /** Fence operations for brokers whose sessions expired. */
  expiredSessions(nowMs: number): MetadataWriteOperation[] {
    return planSessionExpiries(this.latest, this.sessions, nowMs);
  }
}

/**
 * Records per batch of a write that need not be atomic. Fencing or unfencing a broker changes
 * every partition it holds (two million, at Kafka's scale): as KRaft's controller splits such a
 * result into batches of bounded size, so does this one, so no log entry, fetch or disk frame
 * holds millions of records at once. Other writes (a topic and its partitions) stay one batch.
 */
export const NON_ATOMIC_BATCH_RECORDS_MAX = 20_000;

function batchesOf(op: MetadataWriteOperation, records: readonly MetadataRecord[]): MetadataBatch[] {
  const atomic = op.type !== 'brokerHeartbeat' && op.type !== 'fenceBroker';
  if (atomic || records.length <= NON_ATOMIC_BATCH_RECORDS_MAX) return [Object.freeze([...records])];
  const batches: MetadataBatch[] = [];
  for (let from = 0; from < records.length; from += NON_ATOMIC_BATCH_RECORDS_MAX) {
    batches.push(Object.freeze(records.slice(from, from + NON_ATOMIC_BATCH_RECORDS_MAX)));
  }
  return batches;
}

function* flatten(batches: Iterable<MetadataBatch>): Generator<MetadataRecord> {
  for (const batch of batches) yield* batch;
}
