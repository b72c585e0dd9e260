/**
 * The settings of one quorum node: consensus (raft-config.ts), its roles, broker liveness, client
 * request handling and snapshots. Kafka's names are given beside each; defaults are KRaft's where
 * Kafka has one. Every limit is checked at start-up (a bad value names its setting).
 */
import type { BrokerEndpoint, MetadataSettings } from './metadata/index.js';
import { RaftConfigError, resolveRaftConfig, type RaftConfig, type RaftConfigInput } from './raft/raft-config.js';
import { KRAFT_VERSION_DYNAMIC } from './raft/voter-set.js';

export type ProcessRole = 'controller' | 'broker';

export interface QuorumNodeConfig extends RaftConfig {
  /** `process.roles`. A controller must be a voter; a broker-only node is an observer. */
  processRoles: readonly ProcessRole[];
  /** `broker.heartbeat.interval.ms`. */
  brokerHeartbeatIntervalMs: number;
  /** `broker.session.timeout.ms`: the controller fences a broker silent for this long. */
  brokerSessionTimeoutMs: number;
  /** A client request not answered within this long (unless it sets its own) times out. */
  clientRequestTimeoutMs: number;
  /** Take a snapshot after this many newly committed log entries. */
  snapshotIntervalEntries: number;
  /**
   * Or after this many newly committed records, whichever comes first: KRaft counts bytes
   * (`metadata.log.max.record.bytes.between.snapshots`, 20 MiB). The log's records stay in memory
   * until a snapshot covers them, and a few entries can hold millions (a broker's fencing at two
   * million partitions is 100 entries of 20,000), so counting entries alone bounds nothing.
   */
  snapshotIntervalRecords: number;
  /** How reads are answered unless a request says otherwise (`metadata.read.consistency`). */
  readConsistency: 'linearizable' | 'cached';
  /** The listeners this node registers as a broker. */
  brokerEndpoints: BrokerEndpoint[];
  metadataSettings: Partial<MetadataSettings>;
}

export type QuorumNodeConfigInput = RaftConfigInput & Partial<Omit<QuorumNodeConfig, keyof RaftConfig>>;

export const QUORUM_NODE_DEFAULTS = {
  brokerHeartbeatIntervalMs: 2000,
  brokerSessionTimeoutMs: 9000,
  clientRequestTimeoutMs: 30_000,
  snapshotIntervalEntries: 20_000,
  // KRaft's 20 MiB at about 35 bytes a record (the record codec's size of a partition change).
  snapshotIntervalRecords: 600_000,
  readConsistency: 'linearizable',
} as const;

export function resolveQuorumNodeConfig(input: QuorumNodeConfigInput): QuorumNodeConfig {
  const raft = resolveRaftConfig(input);
  // Under kraft.version 1 the voters are in the log; the bootstrap voters say who starts as one.
  const dynamic = raft.kraftVersion === KRAFT_VERSION_DYNAMIC;
  const isVoter = dynamic ? (raft.bootstrapVoters ?? []).some((voter) => voter.id === raft.nodeId) : raft.voters.includes(raft.nodeId);
  const config: QuorumNodeConfig = {
    ...QUORUM_NODE_DEFAULTS,
    brokerEndpoints: [],
    metadataSettings: {},
    processRoles: isVoter ? ['broker', 'controller'] : ['broker'],
    ...withoutSwitchInput(input),
    ...raft,
  };
  const roles = new Set(config.processRoles);
  if (roles.size === 0 || [...roles].some((role) => role !== 'controller' && role !== 'broker')) {
    throw new RaftConfigError('process.roles', `must be broker, controller or both, got ${[...config.processRoles].join(',')}`);
  }
  // A controller formatted to join later (kraft.version 1) starts as an observer.
  if (roles.has('controller') && !isVoter && !dynamic) {
    throw new RaftConfigError('controller.quorum.voters', `does not contain this controller's node.id ${raft.nodeId}`);
  }
  if (!roles.has('controller') && isVoter) {
    throw new RaftConfigError('process.roles', `node ${raft.nodeId} is a voter in controller.quorum.voters but has no controller role`);
  }
  checkRange('broker.heartbeat.interval.ms', config.brokerHeartbeatIntervalMs, 1, 600_000);
  checkRange('broker.session.timeout.ms', config.brokerSessionTimeoutMs, 1, 3_600_000);
  if (config.brokerSessionTimeoutMs <= config.brokerHeartbeatIntervalMs) {
    throw new RaftConfigError('broker.session.timeout.ms', `must exceed broker.heartbeat.interval.ms (${config.brokerHeartbeatIntervalMs}), got ${config.brokerSessionTimeoutMs}`);
  }
  checkRange('clientRequestTimeoutMs', config.clientRequestTimeoutMs, 1, 3_600_000);
  checkRange('snapshotIntervalEntries', config.snapshotIntervalEntries, 1, 1_000_000_000);
  checkRange('snapshotIntervalRecords', config.snapshotIntervalRecords, 1, 1_000_000_000);
  if (config.readConsistency !== 'linearizable' && config.readConsistency !== 'cached') {
    throw new RaftConfigError('metadata.read.consistency', `must be linearizable or cached, got ${String(config.readConsistency)}`);
  }
  return config;
}

/** The node's settings without the switch names and flag that resolveRaftConfig turned into `unsafeSwitches`. */
function withoutSwitchInput(input: QuorumNodeConfigInput): Omit<QuorumNodeConfigInput, 'bugSwitches' | 'unsafeBugSwitchesEnabled'> {
  const { bugSwitches: _names, unsafeBugSwitchesEnabled: _enabled, ...settings } = input;
  return settings;
}

function checkRange(setting: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RaftConfigError(setting, `must be between ${min} and ${max}, got ${value}`);
  }
}
