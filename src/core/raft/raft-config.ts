/**
 * Consensus settings, with KRaft's defaults and a limit on every one (checked at start-up, as
 * TigerBeetle checks its limits): a setting outside its range is a configuration error that names
 * the setting, never a node that misbehaves later.
 */

import { resolveUnsafeSwitches, type UnsafeSwitch } from '../bug-switches.js';
import { KRAFT_VERSION_DYNAMIC, KRAFT_VERSION_STATIC, type Voter, type VoterEndpoint } from './voter-set.js';

export interface RaftConfig {
  nodeId: number;
  /**
   * The static voter set (`controller.quorum.voters`, kraft.version 0). A node not in it is an
   * observer. Empty under kraft.version 1, where the voters come from the log.
   */
  voters: readonly number[];
  /**
   * 0: static voters from `voters`. 1: the voter set lives in the log and changes by AddRaftVoter
   * and RemoveRaftVoter (KIP-853); before the log holds one, `bootstrapVoters` stand in.
   */
  kraftVersion: number;
  /** This node's metadata directory id (meta.properties `directory.id`); null under kraft.version 0. */
  directoryId: string | null;
  /**
   * kraft.version 1: the voters `format --standalone` or `--initial-controllers` wrote, or null for
   * a controller formatted with `--no-initial-controllers`, which joins as an observer.
   */
  bootstrapVoters: readonly Voter[] | null;
  /**
   * The peers an observer asks for the leader while it knows no voter
   * (`controller.quorum.bootstrap.servers`, as the host numbers them).
   */
  bootstrapServers: readonly number[];
  /** This controller's own listeners, as it would be listed in a voter set (AddRaftVoter, UpdateRaftVoter). */
  endpoints: readonly VoterEndpoint[];
  /** Stamped at format time; a message from another cluster is refused. */
  clusterId: string;
  /** `controller.quorum.election.timeout.ms`: the base election timeout; jitter adds up to as much again. */
  electionTimeoutMs: number;
  /** `controller.quorum.fetch.timeout.ms`: a follower that has not fetched for this long starts an election. */
  fetchTimeoutMs: number;
  /** `controller.quorum.election.backoff.max.ms`: the longest random pause after a lost election. */
  electionBackoffMaxMs: number;
  /** `controller.quorum.append.linger.ms`: how long the leader gathers proposals into one append. */
  appendLingerMs: number;
  /** How long the leader holds a fetch that has nothing new before answering it empty. */
  fetchMaxWaitMs: number;
  /** `controller.quorum.request.timeout.ms`: an unanswered request is sent again after this long. */
  requestTimeoutMs: number;
  /** The most entries one fetch response carries. */
  fetchMaxEntries: number;
  /**
   * The most bytes of entries this node asks one fetch answer to carry (FetchRequest.maxBytes).
   * The real server sets it below its largest frame (socket.request.max.bytes): an answer
   * bounded only by records (100,000, about 3 MiB) could exceed a small frame limit, and the
   * follower catching up from the log then never got its answer.
   */
  fetchMaxBytes: number;
  /**
   * The most snapshot bytes one FetchSnapshot answer carries (Kafka's MaxBytes). A snapshot of a
   * two-million-partition image is 45-70 MB: in pieces of this size the leader's send buffer stays
   * small and a follower's progress is seen piece by piece.
   */
  fetchSnapshotMaxBytes: number;
  /**
   * The most log entries a snapshot leaves behind it (`metadata.log.retention.entries`, quorumd's
   * own), so a follower a few entries behind fetches them rather than the whole snapshot
   * (log-retention.ts). 0 deletes the log up to every snapshot: the core's default, so scripted
   * scenarios and simulated seeds that draw none keep the behaviour they were written for; the
   * real server keeps some by default (server-config.ts).
   */
  logRetentionEntries: number;
  /**
   * The most RaftStateMachine.sizeOf units (metadata: records) in those entries
   * (`metadata.log.retention.records`): bounds the memory and disk they hold when entries are big.
   */
  logRetentionSize: number;
  /** Deliberate bugs this node runs with (bug-switches.ts); empty unless unsafely enabled. */
  unsafeSwitches: ReadonlySet<UnsafeSwitch>;
}

export const RAFT_DEFAULTS = {
  electionTimeoutMs: 1000,
  fetchTimeoutMs: 2000,
  electionBackoffMaxMs: 1000,
  appendLingerMs: 25,
  fetchMaxWaitMs: 500,
  requestTimeoutMs: 2000,
  fetchMaxEntries: 512,
  fetchMaxBytes: 8 * 1024 * 1024,
  fetchSnapshotMaxBytes: 1024 * 1024,
  logRetentionEntries: 0,
  logRetentionSize: 0,
} as const satisfies Partial<RaftConfig>;

/** Inclusive ranges; outside them a node refuses to start. */
const LIMITS: Record<keyof typeof RAFT_DEFAULTS, readonly [number, number]> = {
  electionTimeoutMs: [10, 600_000],
  fetchTimeoutMs: [10, 600_000],
  electionBackoffMaxMs: [1, 600_000],
  appendLingerMs: [0, 10_000],
  fetchMaxWaitMs: [0, 60_000],
  requestTimeoutMs: [10, 600_000],
  fetchMaxEntries: [1, 1_000_000],
  fetchMaxBytes: [1, 2_147_483_647],
  fetchSnapshotMaxBytes: [1, 64 * 1024 * 1024],
  logRetentionEntries: [0, 1_000_000_000],
  logRetentionSize: [0, 1_000_000_000],
};

export const VOTERS_MAX = 64;

export class RaftConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'RaftConfigError';
  }
}

export type RaftConfigInput = Pick<RaftConfig, 'nodeId' | 'voters' | 'clusterId'> &
  Partial<Omit<RaftConfig, 'nodeId' | 'voters' | 'clusterId' | 'unsafeSwitches'>> & {
    /** `unsafe.bug.switches`: refused unless `unsafeBugSwitchesEnabled` (bug-switches.ts). */
    bugSwitches?: readonly string[];
    /** `unsafe.bug.switches.enable`. */
    unsafeBugSwitchesEnabled?: boolean;
  };

const MEMBERSHIP_DEFAULTS = {
  kraftVersion: KRAFT_VERSION_STATIC, directoryId: null, bootstrapVoters: null, bootstrapServers: [], endpoints: [],
} as const satisfies Partial<RaftConfig>;

/** Fills in defaults and checks every limit; throws RaftConfigError naming the first bad setting. */
export function resolveRaftConfig(input: RaftConfigInput): RaftConfig {
  const { bugSwitches, unsafeBugSwitchesEnabled, ...settings } = input;
  const config: RaftConfig = {
    ...RAFT_DEFAULTS, ...MEMBERSHIP_DEFAULTS, ...settings, unsafeSwitches: resolveUnsafeSwitches(bugSwitches, unsafeBugSwitchesEnabled),
  };
  if (!Number.isInteger(config.nodeId) || config.nodeId < 0) {
    throw new RaftConfigError('node.id', `must be a non-negative integer, got ${config.nodeId}`);
  }
  if (config.kraftVersion !== KRAFT_VERSION_STATIC && config.kraftVersion !== KRAFT_VERSION_DYNAMIC) {
    throw new RaftConfigError('kraft.version', `must be 0 or 1, got ${config.kraftVersion}`);
  }
  if (config.kraftVersion === KRAFT_VERSION_DYNAMIC) checkDynamicMembership(config);
  else if (config.voters.length === 0 || config.voters.length > VOTERS_MAX) {
    throw new RaftConfigError('controller.quorum.voters', `must name 1 to ${VOTERS_MAX} voters, got ${config.voters.length}`);
  }
  if (new Set(config.voters).size !== config.voters.length) {
    throw new RaftConfigError('controller.quorum.voters', `names a voter twice: ${config.voters.join(',')}`);
  }
  for (const voter of config.voters) {
    if (!Number.isInteger(voter) || voter < 0) {
      throw new RaftConfigError('controller.quorum.voters', `voter ids must be non-negative integers, got ${voter}`);
    }
  }
  if (config.clusterId.length === 0) {
    throw new RaftConfigError('cluster.id', 'must not be empty');
  }
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = config[name as keyof typeof LIMITS];
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new RaftConfigError(name, `must be between ${min} and ${max}, got ${value}`);
    }
  }
  if (config.fetchMaxWaitMs >= config.fetchTimeoutMs) {
    throw new RaftConfigError('fetchMaxWaitMs', `must be below the fetch timeout (${config.fetchTimeoutMs} ms), got ${config.fetchMaxWaitMs}`);
  }
  return config;
}

function checkDynamicMembership(config: RaftConfig): void {
  if (config.directoryId === null || config.directoryId.length === 0) {
    throw new RaftConfigError('directory.id', 'kraft.version 1 needs the metadata directory id that format writes to meta.properties');
  }
  const bootstrap = config.bootstrapVoters;
  if (bootstrap !== null) {
    if (bootstrap.length === 0 || bootstrap.length > VOTERS_MAX) {
      throw new RaftConfigError('initial controllers', `must name 1 to ${VOTERS_MAX} voters, got ${bootstrap.length}`);
    }
    if (new Set(bootstrap.map((voter) => voter.id)).size !== bootstrap.length) {
      throw new RaftConfigError('initial controllers', `name a voter twice: ${bootstrap.map((voter) => voter.id).join(',')}`);
    }
  } else if (config.bootstrapServers.length === 0) {
    throw new RaftConfigError('controller.quorum.bootstrap.servers', 'a controller that joins later (no initial controllers) must name servers to ask for the leader');
  }
}

// Fixed rules of timing: not settings, but named so each reads as the rule it is.

/** An unanswered Vote or BeginQuorumEpoch is sent again after this long (or the request timeout, if shorter). */
export const REQUEST_RETRY_MS_MAX = 200;

/** A leader resigns when no majority of voters fetched within this many fetch timeouts (check-quorum). */
export const CHECK_QUORUM_FETCH_TIMEOUTS = 1.5;

/**
 * A fetch is answered within the fetch max wait (the longest a leader holds it) plus a round trip;
 * this is the round trip allowed before it counts as lost (fetch-client.ts).
 */
export const FETCH_ANSWER_MARGIN_MS = 250;

/** After a failed fetch the next one waits a random pause up to this long (or the election backoff, if shorter). */
export const FETCH_RETRY_BACKOFF_MS_MAX = 100;
