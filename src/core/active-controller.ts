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
 * A CreateTopics request is one write (createTopics), as in KRaft: one plan, one batch holding
 * every accepted topic's records, one answer with a result per topic; a forwarded request is one
 * forward. Planning and answering per request, not per topic, is what the request rate rests on.
 * It also keeps broker sessions and fences brokers whose sessions expired.
 *
 * Fencing or unfencing a broker (a controlled shutdown, a session expiry, a broker back) is
 * planned a slice per turn, not at once: at two million partitions it changes up to two million of
 * them, and planning and applying them in one turn stalled the leader for seconds (its followers
 * took it for dead and elected another). Between slices the node answers fetches and heartbeats;
 * other writes are planned meanwhile against the latest image, which holds every slice so far, and
 * never place replicas on or elect the broker being fenced. Writes that would change some broker's
 * fencing wait until the fencing under way is done, then are planned in the order they came.
 *
 * Rebuilding the latest image when this node becomes the active controller is sliced too: the
 * records its log holds beyond the committed image (a former leader's fencing of two million
 * partitions it never saw committed, say) are replayed at most REBUILD_RECORDS_PER_TURN a turn, the
 * first slice in the input that elected it. Replayed in one go, a million of them held that input
 * for 0.5 s of CPU (seconds on a loaded machine): BeginQuorumEpoch went out only after it, so no
 * follower could fetch in time, and the leader's first tick found no fetch within check-quorum and
 * resigned, after every election. Every write waits until the image is whole, then is planned in
 * the order it came; brokers' sessions start then.
 */
import {
  BrokerSessions, FencingScan, isWriteOperation, planSessionExpiries, planSlicedFencing, planWrite, topicIdSourceFrom,
  type MetadataImage, type MetadataRecord, type MetadataSettings, type MetadataWriteOperation, type PlanContext, type SlicedFencing, type WriteResult,
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

/** What `plan` needs of consensus: where the next batch lands, appending it, and how far this node has applied its log. */
export interface Appender {
  nextOffset(): number;
  append(batch: MetadataBatch): { offset: number; epoch: number } | undefined;
  /** The offset this node's committed image has applied up to (paces a fencing: FENCING_UNAPPLIED_RECORDS_MAX). */
  appliedOffset(): number;
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

/**
 * Records of the uncommitted tail replayed into the latest image per turn at most (whole batches,
 * at least one): about 10 ms of CPU (0.5 µs a PartitionChange) between answers to fetches.
 */
export const REBUILD_RECORDS_PER_TURN = 20_000;

/**
 * Records of a fencing appended and not yet applied by this node, at most: its next slice is
 * planned only below this. Unpaced, a fencing went out at APPEND_RECORDS_PER_TURN a turn however
 * far commit and apply lagged, and every record it got ahead is held in memory (the log, the
 * queue of committed entries to apply) until applied and snapshotted: in the controlled shutdown
 * of a broker leading 666,610 of two million partitions, the leader's log held 580,000-760,000
 * records (up to 420,000 of them committed and waiting to be applied), and its resident memory
 * peaked at 562-608 MiB against the 512 MiB target (issue 12). 100,000 records is five batches
 * of NON_ATOMIC_BATCH_RECORDS_MAX in flight, about 13 MB held at 130 bytes a record.
 */
export const FENCING_UNAPPLIED_RECORDS_MAX = 100_000;

export class ActiveController {
  private latest: MetadataImage;
  private readonly queue: QueuedWrite[] = [];
  private readonly sessions: BrokerSessions;
  private readonly held: HeldAnswer[] = [];
  private readonly newTopicId: () => string;
  /** The fencing under way, planned a slice per turn; writes waiting for it to end, in order. */
  private fencing: FencingJob | null = null;
  private readonly waiting: { op: MetadataWriteOperation; to: AnswerAddress }[] = [];
  /** The uncommitted batches not yet replayed into `latest`; null once it is whole. */
  private rebuild: Iterator<MetadataBatch> | null;
  /** The fencing batches appended, oldest first, until this node applied them (FENCING_UNAPPLIED_RECORDS_MAX). */
  private readonly fencingInFlight: { offset: number; records: number }[] = [];
  private fencingInFlightRecords = 0;
  /**
   * What every write is planned with, one object for the controller's life: a context and a
   * session closure made per write were most of what planning a write allocated here. `nextOffset`
   * and `planNowMs` are set before each planWrite (which is pure and never re-enters `plan`).
   */
  private readonly planContext: PlanContext;
  private planNowMs = 0;

  /**
   * `uncommitted` is read lazily, a slice per turn (see the module comment): its batches must stay
   * as they are until `hasQueued` turns false (log entries are immutable).
   */
  constructor(
    committed: MetadataImage,
    uncommitted: Iterable<MetadataBatch>,
    readonly epoch: number,
    nowMs: number,
    sessionTimeoutMs: number,
    private readonly settings: Partial<MetadataSettings>,
    topicIdSeed: string,
  ) {
    this.latest = committed.clone();
    this.rebuild = uncommitted[Symbol.iterator]();
    this.sessions = new BrokerSessions(sessionTimeoutMs);
    this.newTopicId = topicIdSourceFrom(topicIdSeed);
    this.planContext = {
      nextOffset: 0,
      newTopicId: this.newTopicId,
      settings: this.settings,
      hasLiveSession: (brokerId) => this.sessions.hasLiveSession(brokerId, this.planNowMs),
      isLeaving: undefined,
    };
    this.rebuildSlice(nowMs);
  }

  /** The image writes are planned against (read-only use: tests compare it with a replay of the log). */
  get latestImage(): MetadataImage {
    return this.latest;
  }

  /** Whether the latest image still lacks some of the uncommitted tail (writes wait meanwhile). */
  get rebuilding(): boolean {
    return this.rebuild !== null;
  }

  /**
   * Replays the next REBUILD_RECORDS_PER_TURN records of the tail (whole batches); once the image
   * is whole, brokers' sessions start and the writes that waited are planned, in order. Returns
   * whether it finished in this turn.
   */
  private rebuildSlice(nowMs: number): boolean {
    const tail = this.rebuild;
    if (tail === null) return false;
    let replayed = 0;
    while (replayed < REBUILD_RECORDS_PER_TURN) {
      const next = tail.next();
      if (next.done === true) {
        this.rebuild = null;
        this.sessions.resetAll(this.latest, nowMs);
        return true;
      }
      for (const record of next.value) this.latest.apply(record);
      replayed += next.value.length;
    }
    return false;
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
    if (this.rebuild !== null) {
      this.waiting.push({ op, to });
      return;
    }
    if (this.fencing !== null && this.waitsForFencing(op)) {
      // The broker is alive: a heartbeat that would be accepted keeps its session while it waits.
      if (op.type === 'brokerHeartbeat' && this.latest.broker(op.brokerId)?.brokerEpoch === op.brokerEpoch) this.sessions.touch(op.brokerId, nowMs);
      this.waiting.push({ op, to });
      return;
    }
    const sliced = planSlicedFencing(this.latest, op);
    if (sliced !== null) {
      if (op.type === 'brokerHeartbeat') this.sessions.touch(op.brokerId, nowMs);
      this.fencing = new FencingJob(sliced, to, this.latest.topicNames());
      return;
    }
    const dependsOnOffset = appender.nextOffset() + this.queuedBatches();
    // Behind a write still going out, this one waits for the next turn's appendQueued.
    const appendNow = this.queue.length === 0;
    const context = this.planContext;
    context.nextOffset = dependsOnOffset;
    this.planNowMs = nowMs;
    // With no fencing under way nobody is leaving: no filter over the placeable brokers per topic.
    context.isLeaving = this.fencing === null ? undefined : this.isLeaving;
    const result = planWrite(this.latest, op, context);
    // Only an accepted registration or heartbeat keeps a session alive: a refused one comes from a
    // newer incarnation or a stale epoch, and counting it would keep the old session live forever
    // (the simulator found brokers refused as duplicates for good after a restart).
    if ((op.type === 'registerBroker' || op.type === 'brokerHeartbeat') && result.ok) this.sessions.touch(op.brokerId, nowMs);
    if (result.ok && result.records.length === 0 && op.type === 'createTopics') {
      // Every topic of the request refused: answered as a refusal is, once a NoOp of this epoch commits.
      this.queue.push({ to, result, batches: [EPOCH_CONFIRMATION_BATCH], appended: 0, landed: undefined, kind: 'refusal' });
    } else if (result.ok && result.records.length === 0) {
      // A heartbeat that changes nothing: only its sender acts on the answer, and a stale one is
      // harmless; it waits for nothing but what was planned before it.
      this.queue.push({ to, result, batches: [], appended: 0, landed: undefined, kind: 'nothing' });
    } else if (!result.ok) {
      this.queue.push({ to, result, batches: [EPOCH_CONFIRMATION_BATCH], appended: 0, landed: undefined, kind: 'refusal' });
    } else {
      const batches = batchesOf(op, result.records);
      for (let b = 0; b < batches.length; b++) {
        const batch = batches[b]!;
        for (let r = 0; r < batch.length; r++) this.latest.apply(batch[r]!);
      }
      // The answer keeps the reply, not the records: they are in the log now, and a forwarded
      // answer would otherwise carry a 10,000-partition topic's records back to the node that asked.
      this.queue.push({ to, result: { ok: true, records: [], reply: result.reply }, batches, appended: 0, landed: undefined, kind: 'accepted' });
    }
    if (appendNow) this.drainQueue(appender, APPEND_RECORDS_PER_TURN);
  }

  /**
   * One turn's appends, up to APPEND_RECORDS_PER_TURN records (at least one batch): what is
   * queued, in plan order (a write's answer is held once its last batch is appended), then, with
   * the queue empty, the next slice of the fencing under way. A fencing that ends within the
   * budget plans the writes that waited for it, and what they queue or start (the next fencing)
   * takes the rest of the budget in this turn: left for the next turn, it made the host wake the
   * node at once for work that fitted this one. Call it each turn while `hasQueued`.
   */
  appendQueued(appender: Appender, nowMs: number): void {
    if (this.rebuild !== null) {
      // The rebuild goes first; once it ends, the writes that waited for it are planned, and this
      // turn's appends go on (work left for the next turn would only make the host wake it at once).
      if (!this.rebuildSlice(nowMs)) return;
      this.planWaiting(appender, nowMs);
    }
    let budget = this.drainQueue(appender, APPEND_RECORDS_PER_TURN);
    while (budget > 0 && this.fencing !== null) {
      const granted = Math.min(budget, this.fencingRoom(appender));
      if (granted <= 0) break;
      budget += this.planFencingSlice(this.fencing, appender, granted, nowMs) - granted;
      budget = this.drainQueue(appender, budget);
    }
  }

  /**
   * Records the fencing under way may append now: what FENCING_UNAPPLIED_RECORDS_MAX leaves of
   * its batches this node has not applied yet. The rest waits until applying frees room
   * (`canAppendNow` turns true again then, and the host gives the node a turn).
   */
  private fencingRoom(appender: Appender): number {
    const applied = appender.appliedOffset();
    while (this.fencingInFlight.length > 0 && this.fencingInFlight[0]!.offset < applied) {
      this.fencingInFlightRecords -= this.fencingInFlight.shift()!.records;
    }
    return FENCING_UNAPPLIED_RECORDS_MAX - this.fencingInFlightRecords;
  }

  /** Appends queued writes within `budget` records; returns what is left of it. */
  private drainQueue(appender: Appender, budget: number): number {
    while (this.queue.length > 0) {
      const write = this.queue[0]!;
      while (write.appended < write.batches.length) {
        const batch = write.batches[write.appended]!;
        if (budget <= 0) return 0;
        budget -= batch.length;
        write.landed = appendOrThrow(appender, batch);
        write.appended++;
      }
      this.queue.shift();
      this.hold(write, appender);
    }
    return Math.max(0, budget);
  }

  /**
   * Plans, applies and appends the fencing's next changes, up to `budget` records. Slices are
   * planned only with the queue empty, so the log holds every write in the order it was planned.
   * Its last slice holds its answer, and the writes that waited for it are planned. Returns what
   * is left of the budget (nothing while the fencing goes on).
   */
  private planFencingSlice(job: FencingJob, appender: Appender, budget: number, nowMs: number): number {
    const records: MetadataRecord[] = [];
    const take = (planned: readonly MetadataRecord[]): void => {
      for (const record of planned) {
        this.latest.apply(record);
        records.push(record);
      }
    };
    if (!job.started) {
      take(job.plan.first);
      job.started = true;
    }
    // A pass's changes are applied before the next pass looks at the same partitions.
    while (!job.scan.done && records.length < budget) take(job.scan.next(this.latest, budget - records.length, this.isLeaving));
    if (job.scan.done) take(job.plan.last);
    for (let from = 0; from < records.length; from += NON_ATOMIC_BATCH_RECORDS_MAX) {
      const batch = Object.freeze(records.slice(from, from + NON_ATOMIC_BATCH_RECORDS_MAX));
      job.landed = appendOrThrow(appender, batch);
      this.fencingInFlight.push({ offset: job.landed.offset, records: batch.length });
      this.fencingInFlightRecords += batch.length;
    }
    if (!job.scan.done) return 0;
    this.fencing = null;
    const landed = job.landed!;
    this.held.push({
      to: job.to, releaseAtHighWatermark: landed.offset + 1, result: { ok: true, records: [], reply: job.plan.reply },
      committedOffset: landed.offset, committedEpoch: landed.epoch,
    });
    this.planWaiting(appender, nowMs);
    return budget - records.length;
  }

  /** Plans the writes that waited, in the order they came; one may start a fencing, behind which the rest wait again. */
  private planWaiting(appender: Appender, nowMs: number): void {
    for (const { op, to } of this.waiting.splice(0, this.waiting.length)) this.plan(op, to, appender, nowMs);
  }

  /** Brokers that the fencing under way takes out: no replica is placed on them, no partition elects them. */
  private readonly isLeaving = (brokerId: number): boolean => this.fencing !== null && this.fencing.plan.brokerId === brokerId &&
    this.fencing.plan.passes[0] !== 'unfence';

  /**
   * Whether `op` waits for the fencing under way: every registration and session expiry, and a
   * heartbeat from the broker being fenced or one that would change its sender's fencing. Other
   * heartbeats (which change nothing) are answered at once.
   */
  private waitsForFencing(op: MetadataWriteOperation): boolean {
    if (op.type === 'registerBroker' || op.type === 'fenceBroker') return true;
    if (op.type !== 'brokerHeartbeat') return false;
    if (op.brokerId === this.fencing?.plan.brokerId) return true;
    const broker = this.latest.broker(op.brokerId);
    return broker !== undefined && broker.brokerEpoch === op.brokerEpoch && broker.fenced !== (op.wantFence ?? false);
  }

  /** A rebuild under way, writes planned but not yet appended whole, a fencing under way, or writes waiting for it. */
  get hasQueued(): boolean {
    return this.rebuild !== null || this.queue.length > 0 || this.fencing !== null;
  }

  /**
   * Whether `appendQueued` has something to do now: what `hasQueued` says, except a fencing that
   * waits for this node to apply its batches (FENCING_UNAPPLIED_RECORDS_MAX). The node asks the
   * host for a turn at once only while this holds; applying gives it one later.
   */
  canAppendNow(appender: Appender): boolean {
    if (this.rebuild !== null || this.queue.length > 0) return true;
    return this.fencing !== null && this.fencingRoom(appender) > 0;
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

  /**
   * Answers that may be given now that the high watermark is `highWatermark` (none, most of the
   * times it is asked: after every applied entry and planned write; then no array is made).
   */
  release(highWatermark: number): readonly HeldAnswer[] {
    let count = 0;
    while (count < this.held.length && this.held[count]!.releaseAtHighWatermark <= highWatermark) count++;
    return count === 0 ? NOTHING_HELD : this.held.splice(0, count);
  }

  /**
   * Every answer still held (leadership was lost), those of queued writes included: one that got
   * a batch appended carries where it landed (it may yet commit), one that got none carries
   * nothing (it certainly did not happen).
   */
  abandon(): HeldAnswer[] {
    const abandoned = this.held.splice(0, this.held.length);
    const job = this.fencing;
    this.fencing = null;
    if (job !== null) {
      const answer: HeldAnswer = { to: job.to, releaseAtHighWatermark: Infinity, result: { ok: true, records: [], reply: job.plan.reply }, committedEpoch: this.epoch };
      if (job.landed !== undefined) {
        answer.committedOffset = job.landed.offset;
        answer.committedEpoch = job.landed.epoch;
      }
      abandoned.push(answer);
    }
    // Never planned: they certainly did not happen.
    for (const { to } of this.waiting.splice(0, this.waiting.length)) {
      abandoned.push({ to, releaseAtHighWatermark: Infinity, result: { ok: true, records: [], reply: {} }, committedEpoch: this.epoch });
    }
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
    // Fences would only wait behind the one under way (and pile up there); asked again after it.
    // Sessions start once the image is whole.
    if (this.fencing !== null || this.rebuild !== null) return [];
    return planSessionExpiries(this.latest, this.sessions, nowMs);
  }
}

/** A fencing planned a slice per turn (see the module comment). */
class FencingJob {
  readonly scan: FencingScan;
  started = false;
  /** Where its latest slice landed. */
  landed: { offset: number; epoch: number } | undefined;

  constructor(readonly plan: SlicedFencing, readonly to: AnswerAddress, topicNames: string[]) {
    this.scan = new FencingScan(plan.brokerId, plan.passes, topicNames);
  }
}

function appendOrThrow(appender: Appender, batch: MetadataBatch): { offset: number; epoch: number } {
  const landed = appender.append(batch);
  if (landed === undefined) throw new Error('the active controller could not append: it is not the leader');
  return landed;
}

/**
 * Records per batch of a write that need not be atomic. Fencing or unfencing a broker changes
 * every partition it holds (two million, at Kafka's scale): as KRaft's controller splits such a
 * result into batches of bounded size, so does this one, so no log entry, fetch or disk frame
 * holds millions of records at once. Other writes (a topic and its partitions) stay one batch.
 */
export const NON_ATOMIC_BATCH_RECORDS_MAX = 20_000;

const NOTHING_HELD: readonly HeldAnswer[] = Object.freeze([]);

/** `records` is planWrite's own new array, which nothing else holds: a batch of one write is that array, frozen, not a frozen copy. */
function batchesOf(op: MetadataWriteOperation, records: MetadataRecord[]): MetadataBatch[] {
  const atomic = op.type !== 'brokerHeartbeat' && op.type !== 'fenceBroker';
  if (atomic || records.length <= NON_ATOMIC_BATCH_RECORDS_MAX) return [Object.freeze(records)];
  const batches: MetadataBatch[] = [];
  for (let from = 0; from < records.length; from += NON_ATOMIC_BATCH_RECORDS_MAX) {
    batches.push(Object.freeze(records.slice(from, from + NON_ATOMIC_BATCH_RECORDS_MAX)));
  }
  return batches;
}

