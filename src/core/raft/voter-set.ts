/**
 * The voters of the quorum: who may vote and stand, and how many make a majority. Every rule that
 * counts voters asks a VoterSet, never the configuration, so the set read from the log (KIP-853)
 * and the static one (`controller.quorum.voters`, kraft.version 0) are the same thing to the rules.
 *
 * A voter is a replica key, its node id and its directory id (KIP-853), plus the endpoints it is
 * reached at. The directory id names one copy of the node's disk: a node whose disk was replaced
 * comes back with a new one, and until it is added under that id it is not the voter it was, so it
 * can neither vote nor count toward a majority for the replica it replaced. Under kraft.version 0
 * voters have no directory id (null), and any replica with the voter's node id is taken for it.
 */

/** A listener a controller is reached at, as Kafka's VotersRecord lists them. */
export interface VoterEndpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export interface Voter {
  readonly id: number;
  /** Kafka's base64 UUID text of the voter's metadata directory; null under kraft.version 0. */
  readonly directoryId: string | null;
  readonly endpoints: readonly VoterEndpoint[];
}

/** The control records the raft layer keeps in the log: the kraft.version and a whole voter set. */
export interface ControlContent {
  kraftVersion?: number;
  voters?: readonly Voter[];
}

/** kraft.version 0: a static voter set from configuration. */
export const KRAFT_VERSION_STATIC = 0;
/** kraft.version 1: the voter set lives in the log and changes (KIP-853). */
export const KRAFT_VERSION_DYNAMIC = 1;

export class VoterSet {
  static readonly EMPTY = new VoterSet([]);

  /** A static voter set (kraft.version 0): ids only. */
  static ofIds(ids: readonly number[]): VoterSet {
    return new VoterSet(ids.map((id) => ({ id, directoryId: null, endpoints: [] })));
  }

  readonly ids: readonly number[];
  private readonly byId: ReadonlyMap<number, Voter>;

  constructor(readonly voters: readonly Voter[]) {
    this.ids = voters.map((voter) => voter.id);
    this.byId = new Map(voters.map((voter) => [voter.id, voter]));
  }

  get size(): number {
    return this.ids.length;
  }

  /** The fewest voters that make a majority: ⌊n / 2⌋ + 1. */
  get majority(): number {
    return majorityOf(this.ids.length);
  }

  /** Whether node `id` is a voter (whatever its directory). */
  has(id: number): boolean {
    return this.byId.has(id);
  }

  get(id: number): Voter | undefined {
    return this.byId.get(id);
  }

  /**
   * Whether the replica `id` with directory `directoryId` is the voter of that id: the directory
   * must match, unless the set does not know directories (kraft.version 0).
   */
  isVoter(id: number, directoryId: string | null): boolean {
    const voter = this.byId.get(id);
    return voter !== undefined && (voter.directoryId === null || voter.directoryId === directoryId);
  }

  /** Every voter but `self`, in the set's order. */
  others(self: number): number[] {
    return this.ids.filter((id) => id !== self);
  }

  /** The set with `voter` added; undefined when its id is already a voter. */
  withVoter(voter: Voter): VoterSet | undefined {
    if (this.byId.has(voter.id)) return undefined;
    return new VoterSet([...this.voters, voter]);
  }

  /** The set without the voter `id` of directory `directoryId`; undefined when it is not a voter or would leave none. */
  withoutVoter(id: number, directoryId: string | null): VoterSet | undefined {
    const voter = this.byId.get(id);
    if (voter === undefined || voter.directoryId !== directoryId || this.ids.length === 1) return undefined;
    return new VoterSet(this.voters.filter((other) => other.id !== id));
  }

  /** The set with the endpoints of voter `id` replaced; undefined when it is not that voter. */
  withEndpoints(id: number, directoryId: string | null, endpoints: readonly VoterEndpoint[]): VoterSet | undefined {
    const voter = this.byId.get(id);
    if (voter === undefined || voter.directoryId !== directoryId) return undefined;
    return new VoterSet(this.voters.map((other) => other.id === id ? { ...other, endpoints } : other));
  }

  equals(other: VoterSet): boolean {
    return this.voters.length === other.voters.length && this.voters.every((voter, i) => sameVoter(voter, other.voters[i]!));
  }

  /** `1@dirA 2@dirB`, for messages and events. */
  describe(): string {
    return this.voters.map((voter) => describeVoter(voter.id, voter.directoryId)).join(' ');
  }
}

export function describeVoter(id: number, directoryId: string | null): string {
  return directoryId === null ? String(id) : `${id}@${directoryId}`;
}

export function sameEndpoints(a: readonly VoterEndpoint[], b: readonly VoterEndpoint[]): boolean {
  return a.length === b.length && a.every((endpoint, i) => {
    const other = b[i]!;
    return endpoint.name === other.name && endpoint.host === other.host && endpoint.port === other.port;
  });
}

function sameVoter(a: Voter, b: Voter): boolean {
  return a.id === b.id && a.directoryId === b.directoryId && sameEndpoints(a.endpoints, b.endpoints);
}

export function majorityOf(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}
