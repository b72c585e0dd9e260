/**
 * Kafka's address lists: `listeners` / `advertised.listeners` (`NAME://host:port,...`, an empty
 * host meaning every interface), `controller.quorum.voters` (`id@host:port,...`),
 * `controller.quorum.bootstrap.servers` (`host:port,...`) and format's `--initial-controllers`
 * (`id@host:port:directory-id,...`, KIP-853). Each parse error names the key it came from.
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

export interface ServerAddress {
  host: string;
  port: number;
}

/** An initial controller: a voter with the directory id its metadata log directory is formatted with. */
export interface InitialController extends VoterAddress {
  directoryId: string;
}

export function parseServerAddresses(key: string, text: string): ServerAddress[] {
  const servers = splitList(text).map((item) => {
    const match = /^(\[[^\]]*\]|[^:@/]+):([0-9]+)$/.exec(item);
    if (match === null) throw new ServerConfigError(key, `'${item}' is not host:port`);
    return { host: unbracket(match[1] as string), port: parsePort(key, match[2] as string, item) };
  });
  if (servers.length === 0) throw new ServerConfigError(key, 'names no servers');
  return servers;
}

/** `id@host:port:directory-id,...`; `isDirectoryId` says what a directory id may be. */
export function parseInitialControllers(key: string, text: string, isDirectoryId: (text: string) => boolean): InitialController[] {
  const controllers = splitList(text).map((item) => {
    const match = /^([0-9]+)@(\[[^\]]*\]|[^:@]+):([0-9]+):([A-Za-z0-9_-]+)$/.exec(item);
    if (match === null) throw new ServerConfigError(key, `'${item}' is not id@host:port:directory-id`);
    const directoryId = match[4] as string;
    if (!isDirectoryId(directoryId)) {
      throw new ServerConfigError(key, `directory id '${directoryId}' in '${item}' is not a Kafka uuid (22 characters of base64url, as 'quorumd random-uuid' prints)`);
    }
    return { nodeId: Number(match[1]), host: unbracket(match[2] as string), port: parsePort(key, match[3] as string, item), directoryId };
  });
  if (controllers.length === 0) throw new ServerConfigError(key, 'names no controllers');
  const ids = new Set<number>();
  const directories = new Set<string>();
  for (const controller of controllers) {
    if (ids.has(controller.nodeId)) throw new ServerConfigError(key, `names controller ${controller.nodeId} twice`);
    if (directories.has(controller.directoryId)) throw new ServerConfigError(key, `names directory id ${controller.directoryId} twice`);
    ids.add(controller.nodeId);
    directories.add(controller.directoryId);
  }
  return controllers;
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
