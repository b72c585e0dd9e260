/**
 * A node's `server.properties`, in Kafka's own keys, rendered from its layout. quorumd reads the
 * same file format as a KRaft-mode Kafka server, so a cluster spec could start either.
 */
import { quorumVoters, type NodeLayout } from './cluster-layout.js';

export type ExtraProperties = Readonly<Record<string, string | number | boolean>>;

export function serverProperties(layout: NodeLayout, extra: ExtraProperties = {}): Record<string, string> {
  const properties: Record<string, string> = {
    'node.id': String(layout.nodeId),
    'process.roles': layout.roles.join(','),
    'controller.quorum.voters': quorumVoters(layout),
    'listeners': listeners(layout),
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': layout.dataDir,
    // quorumd's own key (Kafka has none): where the node event stream goes, collected after a run.
    'event.log.file': layout.eventLogPath,
  };
  if (layout.roles.includes('broker')) {
    properties['advertised.listeners'] = `PLAINTEXT://${layout.advertisedClientHost}:${layout.advertisedClientPort}`;
  }
  for (const [key, value] of Object.entries(extra)) properties[key] = String(value);
  return properties;
}

/**
 * A node listens only for the roles it has: a controller-only node has no broker listener, and a
 * broker-only node none for controllers (it reaches the voters, it is not one).
 */
function listeners(layout: NodeLayout): string {
  const entries: string[] = [];
  if (layout.roles.includes('broker')) entries.push(`PLAINTEXT://0.0.0.0:${layout.clientPort}`);
  if (layout.roles.includes('controller')) entries.push(`CONTROLLER://0.0.0.0:${layout.peerPort}`);
  return entries.join(',');
}

/** Renders properties in the Java properties format (one `key=value` per line, sorted). */
export function renderProperties(properties: Readonly<Record<string, string>>, header: string): string {
  const lines = [`# ${header}`];
  for (const key of Object.keys(properties).sort()) {
    const value = properties[key] as string;
    if (!/^[a-z0-9._-]+$/i.test(key)) throw new RangeError(`property key '${key}' is not a plain Kafka key`);
    if (/[\r\n\\]/.test(value)) throw new RangeError(`property ${key} has a line break or backslash: '${value}'`);
    lines.push(`${key}=${value}`);
  }
  return `${lines.join('\n')}\n`;
}
