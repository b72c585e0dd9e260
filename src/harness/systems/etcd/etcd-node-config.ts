/**
 * `--node-config` for etcd: its own flag names (without the dashes) for the settings a partition
 * test may tune, passed as ETCD_* variables. Flags the harness sets from the layout (names,
 * URLs, the initial cluster, the data directory) are refused, as is anything else unknown.
 */
import { NodeConfigError } from '../system-adapter.js';

/** Settings a run may change, each a positive integer (etcd's own units, said in the name). */
export const ETCD_TUNABLE_FLAGS: readonly string[] = [
  'heartbeat-interval', // ms
  'election-timeout', // ms
  'snapshot-count', // applied entries between snapshots
  'quota-backend-bytes',
  'max-request-bytes',
  'max-txn-ops',
];

const LAYOUT_FLAGS: readonly string[] = [
  'name', 'data-dir', 'listen-peer-urls', 'listen-client-urls', 'initial-advertise-peer-urls',
  'advertise-client-urls', 'initial-cluster', 'initial-cluster-state', 'initial-cluster-token', 'logger', 'log-outputs',
];

export function checkEtcdNodeConfig(nodeConfig: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(nodeConfig)) {
    if (LAYOUT_FLAGS.includes(key)) throw new NodeConfigError(key, 'is set by the harness from the cluster layout; it cannot be overridden');
    if (!ETCD_TUNABLE_FLAGS.includes(key)) {
      throw new NodeConfigError(key, `is not an etcd setting quorumcheck passes on (known: ${ETCD_TUNABLE_FLAGS.join(', ')})`);
    }
    if (!/^[1-9]\d{0,15}$/.test(value)) throw new NodeConfigError(key, `must be a positive integer, got '${value}'`);
  }
}

/** `election-timeout` → `ETCD_ELECTION_TIMEOUT`. */
export function etcdEnvironmentOf(nodeConfig: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(nodeConfig).map(([key, value]) => [`ETCD_${key.toUpperCase().replace(/-/g, '_')}`, value]));
}
