/**
 * Three pieces of the invariant checker as they were before session 8 made them cheaper per event
 * (the voter-set tracker's scans, MajorityReachedHighWatermark's lists per high watermark,
 * AppliedBeforeAcknowledged's map per offset), kept verbatim as references: random event streams
 * judged by these and by the checker's own must give the same violations
 * (incremental-rules.property.test.ts).
 */
import type { NodeEvent, NodeEventKind } from '../../../../src/history/node-event.js';
import type { AcknowledgedWrite } from '../../../../src/checker/invariants/acknowledged-writes.js';
import type { EventRule, Violation } from '../../../../src/checker/invariants/violation.js';

interface VoterSetEntry {
  offset: number;
  /** Replica keys, `id` or `id@directory`, in the order the node listed them. */
  voters: readonly string[];
  /** The same, as one comparable string. */
  key: string;
  event: NodeEvent;
}

interface NodeLog {
  entries: VoterSetEntry[];
  highWatermark: number;
}

export class ReferenceVoterSetTracker {
  private readonly nodes = new Map<number, NodeLog>();
  private leader: { node: number; epoch: number } | null = null;
  private highestHighWatermark = 0;

  /** @param initialVoters the voters before any voter-set entry (the static or bootstrap set) */
  constructor(readonly initialVoters: readonly number[]) {}

  /** The node runs on a replaced, empty disk: its log, and the voter sets in it, are gone. */
  forgetReplica(node: number): void {
    this.nodes.delete(node);
  }

  observe(event: NodeEvent): void {
    const log = this.logOf(event.node);
    switch (event.kind) {
      case 'voters-changed':
        if (event.offset !== undefined && event.voters !== undefined) {
          while (log.entries.length > 0 && log.entries[log.entries.length - 1]!.offset >= event.offset) log.entries.pop();
          log.entries.push({ offset: event.offset, voters: event.voters, key: event.voters.join(','), event });
        }
        return;
      case 'log-truncated':
        if (event.offset !== undefined) {
          while (log.entries.length > 0 && log.entries[log.entries.length - 1]!.offset >= event.offset) log.entries.pop();
        }
        return;
      case 'high-watermark':
        if (event.highWatermark !== undefined) {
          log.highWatermark = event.highWatermark;
          this.highestHighWatermark = Math.max(this.highestHighWatermark, event.highWatermark);
        }
        return;
      case 'restarted':
        // The high watermark is volatile; the log (and its voter-set entries) survives.
        log.highWatermark = event.highWatermark ?? 0;
        return;
      case 'became-leader':
        if (this.leader === null || event.epoch >= this.leader.epoch) this.leader = { node: event.node, epoch: event.epoch };
        return;
      case 'epoch-changed':
        if (this.leader !== null && event.node === this.leader.node && event.state !== 'leader') this.leader = null;
        return;
      default:
    }
  }

  /** The node that leads the highest epoch seen, while it still does. */
  get currentLeader(): number | null {
    return this.leader?.node ?? null;
  }

  entriesOf(node: number): readonly VoterSetEntry[] {
    return this.logOf(node).entries;
  }

  highWatermarkOf(node: number): number {
    return this.logOf(node).highWatermark;
  }

  /**
   * The highest high watermark any node reached: everything below it is committed, in every log
   * that will lead (a restarted leader's own high watermark starts again from its snapshot).
   */
  get committedOffset(): number {
    return this.highestHighWatermark;
  }

  /** Whether `voters` (replica keys) are the initial voters, by node id. */
  isInitial(voters: readonly string[]): boolean {
    const ids = voters.map((key) => Number.parseInt(key, 10)).sort((a, b) => a - b);
    const initial = [...this.initialVoters].sort((a, b) => a - b);
    return ids.length === initial.length && ids.every((id, i) => id === initial[i]);
  }

  /** The voter set in force at `offset` of `node`'s log (the latest entry before it), or undefined: the initial one. */
  setAt(node: number, offset: number): VoterSetEntry | undefined {
    let found: VoterSetEntry | undefined;
    for (const entry of this.logOf(node).entries) {
      if (entry.offset >= offset) break;
      found = entry;
    }
    return found;
  }

  /** Whether any voter set was ever written: a dynamic quorum. */
  get dynamic(): boolean {
    for (const log of this.nodes.values()) if (log.entries.length > 0) return true;
    return false;
  }

  private logOf(node: number): NodeLog {
    let log = this.nodes.get(node);
    if (log === undefined) {
      log = { entries: [], highWatermark: 0 };
      this.nodes.set(node, log);
    }
    return log;
  }
}

interface Flushed { offset: number; event: NodeEvent }

export class ReferenceMajorityReachedHighWatermarkRule implements EventRule {
  readonly rule = 'MajorityReachedHighWatermark' as const;
  readonly kinds: readonly NodeEventKind[] = ['replica-started', 'log-flushed', 'log-truncated', 'snapshot', 'high-watermark'];
  private readonly voters: ReadonlySet<number>;
  private readonly majority: number;
  /** node -> directory id (null: none said) -> that replica's durable log end offset and the event that set it. */
  private readonly flushedByReplica = new Map<number, Map<string | null, Flushed>>();
  /** node -> the directory id of the disk it runs on now (absent: it never said, kraft.version 0). */
  private readonly directoryByNode = new Map<number, string>();
  /** The highest high watermark already judged: judging a lower one again cannot fail anew. */
  private highestJudged = 0;

  constructor(voters: readonly number[], private readonly voterSets?: ReferenceVoterSetTracker) {
    if (voters.length === 0) throw new RangeError('MajorityReachedHighWatermark needs at least one voter');
    this.voters = new Set(voters);
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
    const candidates: (readonly string[])[] = [];
    const atOffset = voterSets.setAt(event.node, highWatermark);
    candidates.push(atOffset === undefined ? [...this.voters].map(String) : atOffset.voters);
    const leader = voterSets.currentLeader;
    const leaderEntries = leader === null ? [] : voterSets.entriesOf(leader);
    if (leaderEntries.length > 0) candidates.push(leaderEntries[leaderEntries.length - 1]!.voters);
    const reachedIn = (voters: readonly string[]): number => voters.filter((voter) => (this.flushedOf(voter)?.offset ?? 0) >= highWatermark).length;
    if (candidates.some((voters) => reachedIn(voters) >= Math.floor(voters.length / 2) + 1)) {
      this.highestJudged = highWatermark;
      return null;
    }
    const described = candidates.map((voters) => `[${voters.map((voter) => `${voter}:${this.flushedOf(voter)?.offset ?? 0}`).join(' ')}]`);
    return {
      rule: this.rule,
      message: `node ${event.node} reached high watermark ${highWatermark}, but no voter set in force had a majority ` +
        `flushed that far (voters with their flushed ends: ${described.join(' or ')})`,
      events: [event],
    };
  }

  /**
   * The flushed end of the replica a voter key names: `id@directory` that disk (nothing if it never
   * ran here), `id` the disk node `id` runs on now. A node that never said its directory has one
   * replica, which any key with its id names (a voter set written before its replica-started).
   */
  private flushedOf(voterKey: string): Flushed | undefined {
    const at = voterKey.indexOf('@');
    const node = Number.parseInt(voterKey, 10);
    if (at < 0 || !this.directoryByNode.has(node)) return this.flushedOfNode(node);
    return this.flushedByReplica.get(node)?.get(voterKey.slice(at + 1));
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
    if (event.kind === 'log-flushed') {
      replicas.set(directory, { offset: event.offset, event });
    } else if (event.kind === 'log-truncated' && current !== undefined && event.offset < current.offset) {
      replicas.set(directory, { offset: event.offset, event });
    } else if (event.kind === 'snapshot' && (current === undefined || event.offset > current.offset)) {
      replicas.set(directory, { offset: event.offset, event });
    }
  }
}

export class ReferenceAppliedBeforeAcknowledgedRule implements EventRule {
  readonly rule = 'AppliedBeforeAcknowledged' as const;
  /** Per node: the first `committed` event of each offset. */
  private readonly appliedByNode = new Map<number, Map<number, NodeEvent>>();
  /** Per node: its `snapshot-loaded` events, in time order. */
  private readonly snapshotsByNode = new Map<number, NodeEvent[]>();
  /** Nodes with any event: one without was not watched (its log is missing). */
  private readonly watched = new Set<number>();

  observe(event: NodeEvent): Violation | null {
    this.watched.add(event.node);
    if (event.kind === 'committed' && event.offset !== undefined) {
      let applied = this.appliedByNode.get(event.node);
      if (applied === undefined) this.appliedByNode.set(event.node, applied = new Map());
      if (!applied.has(event.offset)) applied.set(event.offset, event);
    } else if (event.kind === 'snapshot-loaded' && event.offset !== undefined) {
      let loaded = this.snapshotsByNode.get(event.node);
      if (loaded === undefined) this.snapshotsByNode.set(event.node, loaded = []);
      loaded.push(event);
    }
    return null;
  }

  /** The writes acknowledged by a node before it had applied them. */
  judge(writes: readonly AcknowledgedWrite[]): Violation[] {
    const violations: Violation[] = [];
    for (const write of writes) {
      const operation = write.operation;
      const node = operation?.node;
      if (operation === undefined || typeof node !== 'number') continue;
      const applied = this.appliedAt(node, write.committedOffset);
      // A node with no events at all was not watched (its log is missing): nothing to judge.
      if (applied === null && !this.watched.has(node)) continue;
      if (applied !== null && applied.timeNs <= operation.timeNs) continue;
      const when = applied === null ? 'and never applied it' : `${((applied.timeNs - operation.timeNs) / 1e6).toFixed(1)} ms before it applied it`;
      violations.push({
        rule: this.rule,
        message: `node ${node} acknowledged a write at offset ${write.committedOffset} (epoch ${write.committedEpoch}) ${when}`,
        events: applied === null ? [] : [applied],
        operation,
      });
    }
    return violations;
  }

  /** The event by which `node` first had `offset` applied, or null. */
  private appliedAt(node: number, offset: number): NodeEvent | null {
    let first = this.appliedByNode.get(node)?.get(offset) ?? null;
    for (const loaded of this.snapshotsByNode.get(node) ?? []) {
      if (loaded.offset! > offset && (first === null || loaded.timeNs < first.timeNs)) first = loaded;
    }
    return first;
  }
}
