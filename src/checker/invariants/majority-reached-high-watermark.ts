/**
 * MajorityReachedHighWatermark: when any node's high watermark reaches X, a majority of the voters
 * have durably flushed their log to at least X (Raft commits only what a majority stored).
 *
 * Each voter's durable log end is the latest `log-flushed` offset, lowered by `log-truncated`, and
 * raised by a `snapshot` (a snapshot is durable data covering everything below its end offset).
 * A restart keeps it: the durable log survives. Observers never count toward the majority.
 *
 * Under kraft.version 1 a replica is a node id and a directory id (`replica-started`): a node on a
 * replaced disk is a new replica, and the old disk keeps the flushed end it had. A leader may count
 * a fetch the old disk sent before it was replaced (it names the old directory id, which the voter
 * set still names, and the old disk held those records when it asked); the new disk is no voter
 * until a voter set names its directory. So voter-set members are counted by their replica keys
 * (`id@directory`), and a node id alone (kraft.version 0, or the initial voters) means the replica
 * the node runs on now.
 *
 * With dynamic membership (KIP-853) the majority is of a voter set in force: the one the node's log
 * holds at X - 1, or the latest one in the log of the leader of the highest epoch (a leader counts
 * a new voter set from the moment it writes it, before it commits), as Kafka's raft simulation
 * judges it.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';
import { replicaKeyOf, type ReplicaKey, type VoterSetTracker } from './voter-set-tracker.js';

/** A replica's durable log end and the event that set it; updated in place as it moves. */
interface Flushed { offset: number; event: NodeEvent }

export class MajorityReachedHighWatermarkRule implements EventRule {
  readonly rule = 'MajorityReachedHighWatermark' as const;
  readonly kinds: readonly NodeEventKind[] = ['replica-started', 'log-flushed', 'log-truncated', 'snapshot', 'high-watermark'];
  private readonly voters: ReadonlySet<number>;
  /** The initial voters as replica keys (bare ids), for a node whose log holds no voter set yet. */
  private readonly initialReplicas: readonly ReplicaKey[];
  private readonly majority: number;
  /** node -> directory id (null: none said) -> that replica's durable log end offset and the event that set it. */
  private readonly flushedByReplica = new Map<number, Map<string | null, Flushed>>();
  /** node -> the directory id of the disk it runs on now (absent: it never said, kraft.version 0). */
  private readonly directoryByNode = new Map<number, string>();
  /** The highest high watermark already judged: judging a lower one again cannot fail anew. */
  private highestJudged = 0;

  constructor(voters: readonly number[], private readonly voterSets?: VoterSetTracker) {
    if (voters.length === 0) throw new RangeError('MajorityReachedHighWatermark needs at least one voter');
    this.voters = new Set(voters);
    this.initialReplicas = [...this.voters].map((node) => ({ node, directory: null }));
    this.majority = Math.floor(this.voters.size / 2) + 1;
  }

  observe(event: NodeEvent): Violation | null {
    this.track(event);
    if (event.kind !== 'high-watermark' || event.highWatermark === undefined) return null;
    const highWatermark = event.highWatermark;
    if (highWatermark <= this.highestJudged) return null;
    if (this.voterSets?.dynamic === true) return this.judgeDynamic(event, highWatermark);
    // Counted without building lists: this runs on every new high watermark; the lists are
    // built only for the message of a violation.
    let reachedCount = 0;
    for (const voter of this.voters) if ((this.flushedOfNode(voter)?.offset ?? 0) >= highWatermark) reachedCount++;
    if (reachedCount >= this.majority) {
      this.highestJudged = highWatermark;
      return null;
    }
    const reached = [...this.voters].map((voter) => this.flushedOfNode(voter)).filter((flushed) => flushed !== undefined && flushed.offset >= highWatermark);
    const flushed = [...this.voters].map((voter) => `${voter}:${this.flushedOfNode(voter)?.offset ?? 0}`);
    return {
      rule: this.rule,
      message: `node ${event.node} reached high watermark ${highWatermark}, but only ${reached.length} of ` +
        `${this.voters.size} voters had flushed that far (need ${this.majority}; flushed ends ${flushed.join(' ')})`,
      events: [...reached.map((entry) => entry!.event), event],
    };
  }

  /** A high watermark reached under changing voter sets: a majority of one of the sets in force. */
  private judgeDynamic(event: NodeEvent, highWatermark: number): Violation | null {
    const voterSets = this.voterSets!;
    // The set at the offset in the node's own log, then the newest in the leader's: counted without
    // building lists (this runs on every new high watermark); they are built for a violation only.
    const atOffset = voterSets.setAt(event.node, highWatermark);
    const inForce = atOffset === undefined ? this.initialReplicas : atOffset.replicas;
    if (this.majorityReached(inForce, highWatermark)) return this.judged(highWatermark);
    const leader = voterSets.currentLeader;
    const leaderEntries = leader === null ? [] : voterSets.entriesOf(leader);
    const newest = leaderEntries.length > 0 ? leaderEntries[leaderEntries.length - 1]! : undefined;
    if (newest !== undefined && this.majorityReached(newest.replicas, highWatermark)) return this.judged(highWatermark);
    const candidates = [atOffset === undefined ? [...this.voters].map(String) : atOffset.voters, ...(newest === undefined ? [] : [newest.voters])];
    const described = candidates.map((voters) => `[${voters.map((voter) => `${voter}:${this.flushedOf(voter)?.offset ?? 0}`).join(' ')}]`);
    return {
      rule: this.rule,
      message: `node ${event.node} reached high watermark ${highWatermark}, but no voter set in force had a majority ` +
        `flushed that far (voters with their flushed ends: ${described.join(' or ')})`,
      events: [event],
    };
  }

  private judged(highWatermark: number): null {
    this.highestJudged = highWatermark;
    return null;
  }

  /** Whether a majority of `replicas` had flushed to `highWatermark`. */
  private majorityReached(replicas: readonly ReplicaKey[], highWatermark: number): boolean {
    let reached = 0;
    for (let i = 0; i < replicas.length; i++) if ((this.flushedOfReplica(replicas[i]!)?.offset ?? 0) >= highWatermark) reached++;
    return reached >= Math.floor(replicas.length / 2) + 1;
  }

  /**
   * The flushed end of the replica a voter key names: `id@directory` that disk (nothing if it never
   * ran here), `id` the disk node `id` runs on now. A node that never said its directory has one
   * replica, which any key with its id names (a voter set written before its replica-started).
   */
  private flushedOf(voterKey: string): Flushed | undefined {
    return this.flushedOfReplica(replicaKeyOf(voterKey));
  }

  private flushedOfReplica(replica: ReplicaKey): Flushed | undefined {
    if (replica.directory === null || !this.directoryByNode.has(replica.node)) return this.flushedOfNode(replica.node);
    return this.flushedByReplica.get(replica.node)?.get(replica.directory);
  }

  /** The flushed end of the disk node `node` runs on now. */
  private flushedOfNode(node: number): Flushed | undefined {
    return this.flushedByReplica.get(node)?.get(this.directoryByNode.get(node) ?? null);
  }

  private track(event: NodeEvent): void {
    if (event.kind === 'replica-started') {
      if (event.directoryId !== undefined) this.directoryByNode.set(event.node, event.directoryId);
      return;
    }
    if (event.offset === undefined) return;
    let replicas = this.flushedByReplica.get(event.node);
    if (replicas === undefined) {
      replicas = new Map();
      this.flushedByReplica.set(event.node, replicas);
    }
    const directory = this.directoryByNode.get(event.node) ?? null;
    const current = replicas.get(directory);
    const moves = event.kind === 'log-flushed' ||
      (event.kind === 'log-truncated' && current !== undefined && event.offset < current.offset) ||
      (event.kind === 'snapshot' && (current === undefined || event.offset > current.offset));
    if (!moves) return;
    // In place: a flush per append, and a new object each time was garbage at once.
    if (current === undefined) {
      replicas.set(directory, { offset: event.offset, event });
    } else {
      current.offset = event.offset;
      current.event = event;
    }
  }
}
