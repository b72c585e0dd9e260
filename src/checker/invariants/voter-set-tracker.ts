/**
 * What the node events say about voter sets (KIP-853), for the rules that count majorities: each
 * node's voter-set entries (`voters-changed`: the set at an offset of its log, taken back by a
 * `log-truncated` below it), each node's high watermark, and the leader of the highest epoch seen.
 * A static quorum emits no voter-set entries: its initial voters stand throughout.
 */
import type { NodeEvent } from '../../history/node-event.js';

export interface VoterSetEntry {
  offset: number;
  /** Replica keys, `id` or `id@directory`, in the order the node listed them. */
  voters: readonly string[];
  /** The same, as one comparable string. */
  key: string;
  /** The same keys read once: the node id, and the directory id (null for a bare `id`). */
  replicas: readonly ReplicaKey[];
  event: NodeEvent;
}

/** A replica key (`id` or `id@directory`) read into its parts. */
export interface ReplicaKey {
  node: number;
  directory: string | null;
}

/** Reads a replica key (`id` or `id@directory`) into its parts. */
export function replicaKeyOf(voterKey: string): ReplicaKey {
  const at = voterKey.indexOf('@');
  return { node: Number.parseInt(voterKey, 10), directory: at < 0 ? null : voterKey.slice(at + 1) };
}

interface NodeLog {
  entries: VoterSetEntry[];
  highWatermark: number;
}

export class VoterSetTracker {
  private readonly nodes = new Map<number, NodeLog>();
  private leader: { node: number; epoch: number } | null = null;
  private highestHighWatermark = 0;
  /** Voter-set entries in all nodes' logs now (`dynamic` is asked on every new high watermark). */
  private entryCount = 0;

  /** @param initialVoters the voters before any voter-set entry (the static or bootstrap set) */
  constructor(readonly initialVoters: readonly number[]) {}

  /** The node runs on a replaced, empty disk: its log, and the voter sets in it, are gone. */
  forgetReplica(node: number): void {
    this.entryCount -= this.nodes.get(node)?.entries.length ?? 0;
    this.nodes.delete(node);
  }

  observe(event: NodeEvent): void {
    switch (event.kind) {
      case 'voters-changed':
        if (event.offset !== undefined && event.voters !== undefined) {
          const log = this.logOf(event.node);
          this.dropFrom(log, event.offset);
          log.entries.push({ offset: event.offset, voters: event.voters, key: event.voters.join(','), replicas: event.voters.map(replicaKeyOf), event });
          this.entryCount += 1;
        }
        return;
      case 'log-truncated':
        if (event.offset !== undefined) this.dropFrom(this.logOf(event.node), event.offset);
        return;
      case 'high-watermark':
        if (event.highWatermark !== undefined) {
          this.logOf(event.node).highWatermark = event.highWatermark;
          this.highestHighWatermark = Math.max(this.highestHighWatermark, event.highWatermark);
        }
        return;
      case 'restarted':
        // The high watermark is volatile; the log (and its voter-set entries) survives.
        this.logOf(event.node).highWatermark = event.highWatermark ?? 0;
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
    const ids = voterIdsOf(voters).sort((a, b) => a - b);
    const initial = [...this.initialVoters].sort((a, b) => a - b);
    return ids.length === initial.length && ids.every((id, i) => id === initial[i]);
  }

  /** The voter set in force at `offset` of `node`'s log (the latest entry before it), or undefined: the initial one. */
  setAt(node: number, offset: number): VoterSetEntry | undefined {
    // Entries are in offset order, and the offset asked is mostly near the log's end: from the back.
    const entries = this.logOf(node).entries;
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.offset < offset) return entries[i];
    return undefined;
  }

  /** Whether any node's log holds a voter set now: a dynamic quorum. */
  get dynamic(): boolean {
    return this.entryCount > 0;
  }

  /** Takes back the entries at `offset` and above (a truncation, or a new entry there). */
  private dropFrom(log: NodeLog, offset: number): void {
    while (log.entries.length > 0 && log.entries[log.entries.length - 1]!.offset >= offset) {
      log.entries.pop();
      this.entryCount -= 1;
    }
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

/** The node ids of a voter set's replica keys. */
export function voterIdsOf(voters: readonly string[]): number[] {
  return voters.map((key) => Number.parseInt(key, 10));
}
