/**
 * `--node-config KEY=VALUE` in the simulator: the Kafka server properties a simulated node
 * honours, mapped to QuorumNode's settings (the same names quorumd's server.properties reads).
 * A key the simulator cannot apply is refused by name: a run must never quietly ignore a setting
 * the person asked for.
 */
import { BUG_SWITCHES_ENABLE_KEY, BUG_SWITCHES_KEY } from '../core/bug-switches.js';

const INTEGER_KEYS: Readonly<Record<string, string>> = {
  'controller.quorum.election.timeout.ms': 'electionTimeoutMs',
  'controller.quorum.fetch.timeout.ms': 'fetchTimeoutMs',
  'controller.quorum.election.backoff.max.ms': 'electionBackoffMaxMs',
  'controller.quorum.append.linger.ms': 'appendLingerMs',
  'controller.quorum.request.timeout.ms': 'requestTimeoutMs',
  'controller.quorum.fetch.snapshot.max.bytes': 'fetchSnapshotMaxBytes',
  'broker.heartbeat.interval.ms': 'brokerHeartbeatIntervalMs',
  'broker.session.timeout.ms': 'brokerSessionTimeoutMs',
  'metadata.snapshot.interval.entries': 'snapshotIntervalEntries',
  'metadata.snapshot.interval.records': 'snapshotIntervalRecords',
  'metadata.client.request.timeout.ms': 'clientRequestTimeoutMs',
  'metadata.log.retention.entries': 'logRetentionEntries',
  'metadata.log.retention.records': 'logRetentionSize',
};

export const SIM_NODE_CONFIG_KEYS: readonly string[] = [
  ...Object.keys(INTEGER_KEYS), 'metadata.read.consistency', BUG_SWITCHES_KEY, BUG_SWITCHES_ENABLE_KEY,
].sort();

/** QuorumNode settings for these properties; throws a RangeError naming a key or value it cannot take. */
export function simCoreSettings(properties: Readonly<Record<string, string>>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key === BUG_SWITCHES_KEY) {
      // The core checks the names, and refuses them without the enable flag.
      settings.bugSwitches = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
      continue;
    }
    if (key === BUG_SWITCHES_ENABLE_KEY) {
      if (value !== 'true' && value !== 'false') throw new RangeError(`node config ${key} must be true or false, got '${value}'`);
      settings.unsafeBugSwitchesEnabled = value === 'true';
      continue;
    }
    if (key === 'metadata.read.consistency') {
      if (value !== 'linearizable' && value !== 'cached') {
        throw new RangeError(`node config metadata.read.consistency must be linearizable or cached, got '${value}'`);
      }
      settings.readConsistency = value;
      continue;
    }
    const field = INTEGER_KEYS[key];
    if (field === undefined) {
      throw new RangeError(`node config key '${key}' is not one the simulator applies (it applies: ${SIM_NODE_CONFIG_KEYS.join(', ')})`);
    }
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new RangeError(`node config ${key} must be a non-negative integer, got '${value}'`);
    }
    settings[field] = Number(value);
  }
  // As quorumd does: the leader answers an idle fetch well inside the follower's fetch timeout.
  if (typeof settings.fetchTimeoutMs === 'number') settings.fetchMaxWaitMs = Math.min(500, Math.floor(settings.fetchTimeoutMs / 4));
  return settings;
}
