/**
 * Kafka's address lists: `listeners` / `advertised.listeners` (`NAME://host:port,...`, an empty
 * host meaning every interface) and `controller.quorum.voters` (`id@host:port,...`). Each parse
 * error names the key it came from.
 */
import { ServerConfigError } from './server-config-error.js';

export interface ListenerAddress {
  /** The listener name, upper case as Kafka writes it: PLAINTEXT, CONTROLLER. */
  name: string;
  /** '' when the listener binds every interface. */
  host: string;
  port: number;
}

export interface VoterAddress {
  nodeId: number;
  host: string;
  port: number;
}

export function parseListeners(key: string, text: string): ListenerAddress[] {
  const listeners = splitList(text).map((item) => {
    const match = /^([A-Za-z0-9_-]+):\/\/(\[[^\]]*\]|[^:/]*):([0-9]+)$/.exec(item);
    if (match === null) throw new ServerConfigError(key, `'${item}' is not NAME://host:port`);
    return { name: (match[1] as string).toUpperCase(), host: unbracket(match[2] as string), port: parsePort(key, match[3] as string, item) };
  });
  const names = new Set<string>();
  for (const listener of listeners) {
    if (names.has(listener.name)) throw new ServerConfigError(key, `names listener ${listener.name} twice`);
    names.add(listener.name);
  }
  return listeners;
}

export function parseVoters(key: string, text: string): VoterAddress[] {
  const voters = splitList(text).map((item) => {
    const match = /^([0-9]+)@(\[[^\]]*\]|[^:@]+):([0-9]+)$/.exec(item);
    if (match === null) throw new ServerConfigError(key, `'${item}' is not id@host:port`);
    return { nodeId: Number(match[1]), host: unbracket(match[2] as string), port: parsePort(key, match[3] as string, item) };
  });
  if (voters.length === 0) throw new ServerConfigError(key, 'names no voters');
  const ids = new Set<number>();
  for (const voter of voters) {
    if (ids.has(voter.nodeId)) throw new ServerConfigError(key, `names voter ${voter.nodeId} twice`);
    ids.add(voter.nodeId);
  }
  return voters;
}

export function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function parsePort(key: string, digits: string, item: string): number {
  const port = Number(digits);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ServerConfigError(key, `port in '${item}' must be 0 to 65535`);
  }
  return port;
}

function unbracket(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
