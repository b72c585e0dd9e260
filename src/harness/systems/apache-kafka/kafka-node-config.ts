/**
 * `--node-config` for Kafka: server.properties keys, Kafka's own names. Keys the harness sets
 * from the layout are refused; other keys pass to the server, which warns about unknown ones
 * and refuses bad values at start (its error then names the key in the node's output).
 */
import { NodeConfigError } from '../system-adapter.js';

export const KAFKA_LAYOUT_KEYS: ReadonlySet<string> = new Set([
  'node.id', 'broker.id', 'process.roles', 'controller.quorum.voters', 'controller.quorum.bootstrap.servers',
  'listeners', 'advertised.listeners', 'controller.listener.names', 'listener.security.protocol.map',
  'inter.broker.listener.name', 'log.dirs', 'log.dir', 'metadata.log.dir', 'zookeeper.connect',
]);

export function checkKafkaNodeConfig(nodeConfig: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(nodeConfig)) {
    if (KAFKA_LAYOUT_KEYS.has(key)) throw new NodeConfigError(key, 'is set by the harness from the cluster layout; it cannot be overridden');
    if (!/^[a-z][a-z0-9._-]*$/.test(key)) throw new NodeConfigError(key, 'is not a Kafka property name (lower case, dots)');
    if (/[\r\n\\]/.test(value)) throw new NodeConfigError(key, 'a value cannot hold a line break or a backslash');
  }
}
