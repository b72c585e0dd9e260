/**
 * A node's `server.properties`, in Kafka's own keys, rendered from its layout. quorumd reads the
 * same file format as a KRaft-mode Kafka server, so a cluster spec could start either.
 */
import type { NodeLayout } from './cluster-layout.js';

export type ExtraProperties = Readonly<Record<string, string | number | boolean>>;

export function serverProperties(layout: NodeLayout, extra: ExtraProperties = {}): Record<string, string> {
  const properties: Record<string, string> = {
    'node.id': String(layout.nodeId),
    'process.roles': layout.processRoles,
    'controller.quorum.voters': layout.quorumVoters,
    'listeners': `PLAINTEXT://0.0.0.0:${layout.brokerPort},CONTROLLER://0.0.0.0:${layout.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${layout.advertisedBrokerHost}:${layout.advertisedBrokerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': layout.dataDir,
    // quorumd's own key (Kafka has none): where the node event stream goes, collected after a run.
    'event.log.file': layout.eventLogPath,
  };
  for (const [key, value] of Object.entries(extra)) properties[key] = String(value);
  return properties;
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
