/**
 * Consensus settings, with KRaft's defaults and a limit on every one (checked at start-up, as
 * TigerBeetle checks its limits): a setting outside its range is a configuration error that names
 * the setting, never a node that misbehaves later.
 */

export interface RaftConfig {
  nodeId: number;
  /** The voter set (`controller.quorum.voters`). A node not in it is an observer. */
  voters: readonly number[];
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
}

export const RAFT_DEFAULTS = {
  electionTimeoutMs: 1000,
  fetchTimeoutMs: 2000,
  electionBackoffMaxMs: 1000,
  appendLingerMs: 25,
  fetchMaxWaitMs: 500,
  requestTimeoutMs: 2000,
  fetchMaxEntries: 512,
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
};

export const VOTERS_MAX = 64;

export class RaftConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'RaftConfigError';
  }
}

export type RaftConfigInput = Pick<RaftConfig, 'nodeId' | 'voters' | 'clusterId'> &
  Partial<Omit<RaftConfig, 'nodeId' | 'voters' | 'clusterId'>>;

/** Fills in defaults and checks every limit; throws RaftConfigError naming the first bad setting. */
export function resolveRaftConfig(input: RaftConfigInput): RaftConfig {
  const config: RaftConfig = { ...RAFT_DEFAULTS, ...input };
  if (!Number.isInteger(config.nodeId) || config.nodeId < 0) {
    throw new RaftConfigError('node.id', `must be a non-negative integer, got ${config.nodeId}`);
  }
  if (config.voters.length === 0 || config.voters.length > VOTERS_MAX) {
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

// Fixed rules of timing: not settings, but named so each reads as the rule it is.

/** An unanswered Vote or BeginQuorumEpoch is sent again after this long (or the request timeout, if shorter). */
export const REQUEST_RETRY_MS_MAX = 200;

/** A leader resigns when no majority of voters fetched within this many fetch timeouts (check-quorum). */
export const CHECK_QUORUM_FETCH_TIMEOUTS = 1.5;

/** After a failed fetch the next one waits a random pause up to this long (or the election backoff, if shorter). */
export const FETCH_RETRY_BACKOFF_MS_MAX = 100;
