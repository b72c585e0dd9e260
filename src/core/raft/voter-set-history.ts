/**
 * Where the voter set and the kraft.version come from, offset by offset (KIP-853): a base (the
 * static configuration, the bootstrap voters `format` wrote, or what a snapshot recorded), then
 * every control entry in the log after it. A node uses the latest voter set in its log, committed
 * or not; truncating the log takes the entries back out, and a snapshot folds what it covers into
 * the base.
 */
import { KRAFT_VERSION_STATIC, VoterSet, type ControlContent } from './voter-set.js';

/** The raft layer's state as of an offset, kept in snapshots. */
export interface ControlState {
  kraftVersion: number;
  /** Null when no voter set is known yet (a controller formatted to join later). */
  voters: VoterSet | null;
}

interface ControlEntry {
  offset: number;
  kraftVersion: number;
  voters: VoterSet | null;
  /** The entry carried a voter set (not only a kraft.version). */
  setsVoters: boolean;
}

export class VoterSetHistory {
  /** Control entries in the log, in offset order, each carrying the state from its offset on. */
  private readonly entries: ControlEntry[] = [];

  /**
   * @param base the state before the log's first control entry
   * @param baseInLog whether the base is itself in the replicated data (a snapshot), or only in
   *   this node's configuration (static voters, bootstrap voters), which a leader must then write
   */
  constructor(private base: ControlState, private baseInLog: boolean) {}

  get voters(): VoterSet {
    return this.latest().voters ?? VoterSet.EMPTY;
  }

  get kraftVersion(): number {
    return this.latest().kraftVersion;
  }

  /** Whether any voter set is known at all. */
  get knowsVoters(): boolean {
    return this.latest().voters !== null;
  }

  /** Offset of the log entry that set the latest voter set; -1 when it comes from the base. */
  get latestVotersOffset(): number {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]!.setsVoters) return this.entries[i]!.offset;
    }
    return -1;
  }

  /** Whether the replicated data holds a voter set (or the leader must still write the bootstrap one). */
  get votersInLog(): boolean {
    return this.baseInLog || this.entries.some((entry) => entry.setsVoters);
  }

  /** The state in force for the entry at `offset` (what every control entry before it set). */
  stateBefore(offset: number): ControlState {
    let state = this.base;
    for (const entry of this.entries) {
      if (entry.offset >= offset) break;
      state = entry;
    }
    return { kraftVersion: state.kraftVersion, voters: state.voters };
  }

  /** The entry at `offset` carried control records. Offsets must increase. */
  record(offset: number, content: ControlContent): void {
    const latest = this.latest();
    this.entries.push({
      offset,
      kraftVersion: content.kraftVersion ?? latest.kraftVersion,
      voters: content.voters === undefined ? latest.voters : new VoterSet(content.voters),
      setsVoters: content.voters !== undefined,
    });
  }

  /** The log lost every entry at `offset` and beyond. */
  truncate(offset: number): void {
    while (this.entries.length > 0 && this.entries[this.entries.length - 1]!.offset >= offset) this.entries.pop();
  }

  /** A snapshot now covers everything before `endOffset`, and holds `state`. */
  compact(endOffset: number, state: ControlState): void {
    while (this.entries.length > 0 && this.entries[0]!.offset < endOffset) this.entries.shift();
    this.base = state;
    this.baseInLog = true;
  }

  /** A fetched snapshot replaced the whole log. */
  reset(state: ControlState): void {
    this.entries.length = 0;
    this.base = state;
    this.baseInLog = true;
  }

  private latest(): ControlState {
    return this.entries[this.entries.length - 1] ?? this.base;
  }
}

/** The state of a node configured with static voters (kraft.version 0). */
export function staticControlState(voterIds: readonly number[]): ControlState {
  return { kraftVersion: KRAFT_VERSION_STATIC, voters: VoterSet.ofIds(voterIds) };
}
