/**
 * quorumd's `server.properties`, in Kafka's own keys, to a typed `ServerConfig`. Every key is
 * known (an unknown one is refused, so a typo never silently leaves a default in place), every
 * value is parsed and range-checked, and settings that contradict each other are refused, each
 * error naming the key. The consensus settings are then checked once more by the core's own
 * `resolveQuorumNodeConfig`, whose errors are translated back to Kafka's key names.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ProcessRole, QuorumNodeConfigInput } from '../../core/quorum-node-config.js';
import { resolveQuorumNodeConfig } from '../../core/quorum-node-config.js';
import { BUG_SWITCHES_ENABLE_KEY, BUG_SWITCHES_KEY } from '../../core/bug-switches.js';
import { RAFT_DEFAULTS, RaftConfigError } from '../../core/raft/raft-config.js';
import type { BrokerEndpoint } from '../../core/metadata/index.js';
import { LOG_LEVEL_DEFAULT, LOG_LEVELS, parseLogLevel, type LogLevel } from '../node-logger.js';
import { parseProperties } from './java-properties.js';
import { KRAFT_VERSION_DYNAMIC, KRAFT_VERSION_STATIC, type VoterEndpoint } from '../../core/raft/voter-set.js';
import {
  parseListeners, parseServerAddresses, parseVoters, splitList, type ListenerAddress, type ServerAddress, type VoterAddress,
} from './listener-addresses.js';
import { ServerConfigError } from './server-config-error.js';

export interface ServerConfig {
  nodeId: number;
  processRoles: ProcessRole[];
  /**
   * 0: a static voter set, `controller.quorum.voters`. 1: the voters live in the metadata log and
   * change by AddRaftVoter and RemoveRaftVoter (KIP-853); `controller.quorum.bootstrap.servers`
   * says whom to ask for the leader.
   */
  kraftVersion: typeof KRAFT_VERSION_STATIC | typeof KRAFT_VERSION_DYNAMIC;
  /** `controller.quorum.voters` (kraft.version 0); empty under kraft.version 1. */
  voters: VoterAddress[];
  /** `controller.quorum.bootstrap.servers` (kraft.version 1); empty under kraft.version 0. */
  bootstrapServers: ServerAddress[];
  /**
   * Where other controllers reach this one, as a voter set lists it: each controller listener,
   * advertised address first (a wildcard host is this machine's host name).
   */
  controllerEndpoints: VoterEndpoint[];
  listeners: ListenerAddress[];
  /** What brokers register for clients (defaults to `listeners` minus the controller ones). */
  advertisedListeners: ListenerAddress[];
  controllerListenerNames: string[];
  /** listener name → security protocol (`listener.security.protocol.map`). */
  securityProtocols: Map<string, string>;
  logDirs: string[];
  /** Where meta.properties, the metadata log, snapshots and the quorum state live. */
  metadataLogDir: string;
  eventLogFile: string;
  /** `log.level`: the least severe level of the human log (quorumd's own key; Kafka sets it in log4j). */
  logLevel: LogLevel;
  /** `socket.request.max.bytes`: the largest frame accepted on any listener. */
  socketRequestMaxBytes: number;
  /** `metadata.log.segment.bytes`: a log segment rolls once it reaches this size. */
  segmentBytes: number;
  /**
   * Everything QuorumNode needs except what the formatted disk holds: the cluster id and directory
   * id (meta.properties) and the bootstrap voters (the bootstrap file, kraft.version 1).
   */
  quorum: Omit<QuorumNodeConfigInput, 'clusterId'>;
}

/**
 * The ids the core knows `controller.quorum.bootstrap.servers` by (it needs a number to address a
 * message): -2, -3, ... in list order, never a node's id (Kafka numbers them so too).
 */
export function bootstrapServerId(index: number): number {
  return -2 - index;
}

/** The cluster id the core checks against before format has run: any valid placeholder. */
const PLACEHOLDER_CLUSTER_ID = 'unformatted';
/** Likewise the directory id (kraft.version 1), which format writes. */
const PLACEHOLDER_DIRECTORY_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

type Parsed = Map<string, string>;

/** Keys Kafka has that quorumd accepts without using (a Kafka server.properties should load). */
const ACCEPTED_UNUSED = new Set(['inter.broker.listener.name', 'num.network.threads', 'num.io.threads', 'broker.rack']);

/** Every key quorumd reads, with what a value must look like. */
const KNOWN_KEYS = new Set([
  'node.id', 'process.roles', 'controller.quorum.voters', 'controller.quorum.bootstrap.servers', 'listeners', 'advertised.listeners',
  'controller.listener.names', 'listener.security.protocol.map', 'log.dirs', 'log.dir', 'metadata.log.dir',
  'controller.quorum.election.timeout.ms', 'controller.quorum.fetch.timeout.ms',
  'controller.quorum.election.backoff.max.ms', 'controller.quorum.append.linger.ms',
  'controller.quorum.request.timeout.ms', 'controller.quorum.fetch.snapshot.max.bytes', 'broker.heartbeat.interval.ms', 'broker.session.timeout.ms',
  'socket.request.max.bytes', 'metadata.read.consistency', 'metadata.snapshot.interval.entries', 'metadata.snapshot.interval.records',
  'metadata.log.segment.bytes', 'metadata.client.request.timeout.ms', 'metadata.log.retention.entries', 'metadata.log.retention.records', 'event.log.file', 'log.level',
  'num.partitions', 'default.replication.factor', BUG_SWITCHES_KEY, BUG_SWITCHES_ENABLE_KEY,
]);

/** The core's setting names (RaftConfigError.setting) in Kafka's words. */
const KAFKA_KEY_OF_SETTING: Record<string, string> = {
  electionTimeoutMs: 'controller.quorum.election.timeout.ms',
  fetchTimeoutMs: 'controller.quorum.fetch.timeout.ms',
  electionBackoffMaxMs: 'controller.quorum.election.backoff.max.ms',
  appendLingerMs: 'controller.quorum.append.linger.ms',
  requestTimeoutMs: 'controller.quorum.request.timeout.ms',
  clientRequestTimeoutMs: 'metadata.client.request.timeout.ms',
  snapshotIntervalEntries: 'metadata.snapshot.interval.entries',
  snapshotIntervalRecords: 'metadata.snapshot.interval.records',
  fetchMaxWaitMs: 'controller.quorum.fetch.timeout.ms',
  fetchSnapshotMaxBytes: 'controller.quorum.fetch.snapshot.max.bytes',
  fetchMaxBytes: 'socket.request.max.bytes',
  logRetentionEntries: 'metadata.log.retention.entries',
  logRetentionSize: 'metadata.log.retention.records',
};

export const SOCKET_REQUEST_MAX_BYTES_DEFAULT = 104_857_600;
/** The most bytes of entries a fetch asks for, as KRaft's raft client asks (8 MiB). */
export const FETCH_MAX_BYTES_DEFAULT = 8 * 1024 * 1024;
/**
 * What a fetch answer's frame holds besides its entries: the frame and envelope headers and the
 * answer's own fields (ids, offsets, the leader's endpoints), a few hundred bytes.
 */
export const FETCH_ANSWER_HEADER_BYTES_MAX = 1024;

/**
 * The most bytes of entries this node asks a fetch answer to carry (FetchRequest.maxBytes): its
 * frames hold at most socket.request.max.bytes, and an answer past that is refused whole, so a
 * follower catching up from the log would never get it.
 */
export function fetchMaxBytesWithin(socketRequestMaxBytes: number): number {
  return Math.min(FETCH_MAX_BYTES_DEFAULT, answerRoomBytes(socketRequestMaxBytes));
}

/** The bytes an answer's payload may take in one frame of socket.request.max.bytes, beside the answer's own fields (at least 1). */
function answerRoomBytes(socketRequestMaxBytes: number): number {
  return Math.max(1, socketRequestMaxBytes - FETCH_ANSWER_HEADER_BYTES_MAX);
}
/**
 * The most snapshot bytes one FetchSnapshot answer carries. A follower asks for its own setting
 * and the leader sends at most its own, so each node's setting must fit the answer in one frame
 * of its own socket.request.max.bytes: an answer past that is refused whole, and a follower
 * behind the leader's snapshot would ask for the same piece forever. Set too high, the node
 * refuses to start, naming both settings; left unset, the default (1 MiB) is lowered to fit.
 */
export function fetchSnapshotMaxBytesWithin(configured: number | undefined, socketRequestMaxBytes: number): number {
  const fits = answerRoomBytes(socketRequestMaxBytes);
  if (configured === undefined) return Math.min(RAFT_DEFAULTS.fetchSnapshotMaxBytes, fits);
  if (configured > fits) {
    throw new ServerConfigError('controller.quorum.fetch.snapshot.max.bytes',
      `is ${configured}, but a FetchSnapshot answer must fit one frame of socket.request.max.bytes (${socketRequestMaxBytes}) ` +
      `with ${FETCH_ANSWER_HEADER_BYTES_MAX} bytes for the answer's own fields: at most ${fits}`);
  }
  return configured;
}
export const SEGMENT_BYTES_DEFAULT = 1_073_741_824;
export const SEGMENT_BYTES_MIN = 1024;
/**
 * The log a snapshot leaves behind it by default (core/raft/log-retention.ts): up to 1,000
 * entries holding up to 50,000 records (about 1.7 MB on disk), so a node restarted after a crash,
 * a few entries behind, fetches those instead of a 70 MB snapshot of two million partitions,
 * while a node holding them keeps at most that much more in memory.
 */
export const LOG_RETENTION_ENTRIES_DEFAULT = 1000;
export const LOG_RETENTION_RECORDS_DEFAULT = 50_000;
/**
 * A snapshot at least every 200,000 committed records (about 7 MB on disk, 26 MB decoded in
 * memory), whatever the entries: at two million partitions a broker's fencing is 2,000,000
 * records in 100 entries, and counted by entries alone (20,000 by default) none of it would leave
 * memory. With the fencing's pacing (FENCING_UNAPPLIED_RECORDS_MAX) and retention, a node holds at
 * most about 350,000 records of log.
 */
export const SNAPSHOT_INTERVAL_RECORDS_DEFAULT = 200_000;

export function parseServerConfig(text: string, source = 'server.properties'): ServerConfig {
  const properties: Parsed = new Map();
  for (const [key, entry] of parseProperties(text, source)) {
    if (!KNOWN_KEYS.has(key) && !ACCEPTED_UNUSED.has(key)) {
      throw new ServerConfigError(key, `unknown setting (line ${entry.lineNumber} of ${source})`);
    }
    properties.set(key, entry.value);
  }
  return buildConfig(properties);
}

function buildConfig(p: Parsed): ServerConfig {
  const nodeId = integer(p, 'node.id', 0, 2_147_483_647, undefined);
  const processRoles = parseRoles(required(p, 'process.roles'));
  const { kraftVersion, voters, bootstrapServers } = quorumMembers(p);
  const listeners = parseListeners('listeners', required(p, 'listeners'));
  const controllerListenerNames = splitList(required(p, 'controller.listener.names')).map((name) => name.toUpperCase());
  const securityProtocols = parseSecurityProtocols(p.get('listener.security.protocol.map'), listeners);
  checkListeners(processRoles, listeners, controllerListenerNames);
  const advertisedListeners = p.has('advertised.listeners')
    ? parseListeners('advertised.listeners', p.get('advertised.listeners') as string)
    : listeners.filter((listener) => !controllerListenerNames.includes(listener.name));
  const logDirs = splitList(p.get('log.dirs') ?? p.get('log.dir') ?? '');
  const metadataLogDir = p.get('metadata.log.dir') ?? logDirs[0];
  if (metadataLogDir === undefined || metadataLogDir === '') {
    throw new ServerConfigError('log.dirs', 'is required (or metadata.log.dir): where the metadata log lives');
  }
  const isVoter = voters.some((voter) => voter.nodeId === nodeId);
  if (kraftVersion === KRAFT_VERSION_STATIC && processRoles.includes('controller') && !isVoter) {
    throw new ServerConfigError('controller.quorum.voters', `does not contain this controller's node.id ${nodeId}`);
  }
  if (!processRoles.includes('controller') && isVoter) {
    throw new ServerConfigError('process.roles', `node.id ${nodeId} is in controller.quorum.voters but process.roles has no controller`);
  }
  const controllerEndpoints = processRoles.includes('controller') ? controllerEndpointsOf(p, listeners, controllerListenerNames) : [];
  const quorum = quorumInput(p, nodeId, processRoles, voters, advertisedListeners, controllerListenerNames, securityProtocols);
  const socketRequestMaxBytes = integer(p, 'socket.request.max.bytes', 1024, 2_147_483_647, SOCKET_REQUEST_MAX_BYTES_DEFAULT);
  quorum.fetchMaxBytes = fetchMaxBytesWithin(socketRequestMaxBytes);
  quorum.fetchSnapshotMaxBytes = fetchSnapshotMaxBytesWithin(quorum.fetchSnapshotMaxBytes, socketRequestMaxBytes);
  if (kraftVersion === KRAFT_VERSION_DYNAMIC) {
    Object.assign(quorum, {
      kraftVersion, bootstrapServers: bootstrapServers.map((_, index) => bootstrapServerId(index)), endpoints: controllerEndpoints,
    });
  }
  checkWithCore(kraftVersion === KRAFT_VERSION_DYNAMIC ? { ...quorum, directoryId: PLACEHOLDER_DIRECTORY_ID } : quorum);
  return {
    nodeId, processRoles, kraftVersion, voters, bootstrapServers, controllerEndpoints, listeners, advertisedListeners, controllerListenerNames, securityProtocols,
    logDirs: logDirs.length > 0 ? logDirs : [metadataLogDir],
    metadataLogDir,
    eventLogFile: p.get('event.log.file') ?? join(metadataLogDir, 'quorumd-events.jsonl'),
    logLevel: logLevel(p.get('log.level')),
    socketRequestMaxBytes,
    segmentBytes: integer(p, 'metadata.log.segment.bytes', SEGMENT_BYTES_MIN, 2_147_483_647, SEGMENT_BYTES_DEFAULT),
    quorum,
  };
}

function quorumInput(
  p: Parsed, nodeId: number, processRoles: ProcessRole[], voters: VoterAddress[],
  advertised: ListenerAddress[], controllerNames: string[], protocols: Map<string, string>,
): Omit<QuorumNodeConfigInput, 'clusterId'> {
  const input: Omit<QuorumNodeConfigInput, 'clusterId'> = {
    nodeId,
    voters: voters.map((voter) => voter.nodeId),
    processRoles,
    brokerEndpoints: brokerEndpoints(advertised, controllerNames, protocols),
  };
  const optional: [string, keyof Omit<QuorumNodeConfigInput, 'clusterId'>][] = [
    ['controller.quorum.election.timeout.ms', 'electionTimeoutMs'],
    ['controller.quorum.fetch.timeout.ms', 'fetchTimeoutMs'],
    ['controller.quorum.election.backoff.max.ms', 'electionBackoffMaxMs'],
    ['controller.quorum.append.linger.ms', 'appendLingerMs'],
    ['controller.quorum.request.timeout.ms', 'requestTimeoutMs'],
    // quorumd's own: the most snapshot bytes one FetchSnapshot answer carries (default 1 MiB).
    ['controller.quorum.fetch.snapshot.max.bytes', 'fetchSnapshotMaxBytes'],
    ['broker.heartbeat.interval.ms', 'brokerHeartbeatIntervalMs'],
    ['broker.session.timeout.ms', 'brokerSessionTimeoutMs'],
    ['metadata.snapshot.interval.entries', 'snapshotIntervalEntries'],
    // quorumd's own (KRaft counts bytes: metadata.log.max.record.bytes.between.snapshots).
    ['metadata.snapshot.interval.records', 'snapshotIntervalRecords'],
    ['metadata.client.request.timeout.ms', 'clientRequestTimeoutMs'],
    // quorumd's own: how much log a snapshot leaves behind it (entries, and records in them).
    ['metadata.log.retention.entries', 'logRetentionEntries'],
    ['metadata.log.retention.records', 'logRetentionSize'],
  ];
  const numbers = input as Record<string, unknown>;
  input.logRetentionEntries = LOG_RETENTION_ENTRIES_DEFAULT;
  input.logRetentionSize = LOG_RETENTION_RECORDS_DEFAULT;
  input.snapshotIntervalRecords = SNAPSHOT_INTERVAL_RECORDS_DEFAULT;
  for (const [key, field] of optional) {
    if (p.has(key)) numbers[field] = integer(p, key, 0, Number.MAX_SAFE_INTEGER, undefined);
  }
  // The leader answers an idle fetch well inside the follower's fetch timeout.
  if (input.fetchTimeoutMs !== undefined) input.fetchMaxWaitMs = Math.min(500, Math.floor(input.fetchTimeoutMs / 4));
  const consistency = p.get('metadata.read.consistency');
  if (consistency !== undefined) {
    if (consistency !== 'linearizable' && consistency !== 'cached') {
      throw new ServerConfigError('metadata.read.consistency', `must be linearizable or cached, got '${consistency}'`);
    }
    input.readConsistency = consistency;
  }
  // Deliberate bugs for testing the test suite; the core refuses them unless the flag is true too.
  if (p.has(BUG_SWITCHES_KEY)) input.bugSwitches = splitList(p.get(BUG_SWITCHES_KEY) as string);
  if (p.has(BUG_SWITCHES_ENABLE_KEY)) input.unsafeBugSwitchesEnabled = booleanValue(p, BUG_SWITCHES_ENABLE_KEY);
  const settings: Record<string, number | null> = {};
  if (p.has('num.partitions')) settings.defaultNumPartitions = integer(p, 'num.partitions', 1, 1_000_000, undefined);
  if (p.has('default.replication.factor')) settings.defaultReplicationFactor = integer(p, 'default.replication.factor', 1, 32_767, undefined);
  input.metadataSettings = settings;
  return input;
}

/** Exactly one of the static voter list (kraft.version 0) and the bootstrap servers (kraft.version 1). */
function quorumMembers(p: Parsed): Pick<ServerConfig, 'kraftVersion' | 'voters' | 'bootstrapServers'> {
  const voters = p.get('controller.quorum.voters');
  const bootstrap = p.get('controller.quorum.bootstrap.servers');
  if (voters !== undefined && voters !== '' && bootstrap !== undefined && bootstrap !== '') {
    throw new ServerConfigError('controller.quorum.bootstrap.servers', 'cannot be set together with controller.quorum.voters: ' +
      'set controller.quorum.voters for a static quorum (kraft.version 0), or controller.quorum.bootstrap.servers for a dynamic one (kraft.version 1)');
  }
  if (bootstrap !== undefined && bootstrap !== '') {
    return { kraftVersion: KRAFT_VERSION_DYNAMIC, voters: [], bootstrapServers: parseServerAddresses('controller.quorum.bootstrap.servers', bootstrap) };
  }
  if (voters === undefined || voters === '') {
    throw new ServerConfigError('controller.quorum.voters', 'is required (or controller.quorum.bootstrap.servers, for a dynamic quorum)');
  }
  return { kraftVersion: KRAFT_VERSION_STATIC, voters: parseVoters('controller.quorum.voters', voters), bootstrapServers: [] };
}

/** Hosts a listener binds to but no peer can dial. */
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::']);

/**
 * This controller's endpoints as a voter set lists them, in `controller.listener.names` order: the
 * advertised address of each, else the listener's own. A wildcard host (every interface) is no
 * address to give others: this machine's host name stands for it, as Kafka's does.
 */
function controllerEndpointsOf(p: Parsed, listeners: ListenerAddress[], controllerNames: string[]): VoterEndpoint[] {
  const advertised = p.has('advertised.listeners') ? parseListeners('advertised.listeners', p.get('advertised.listeners') as string) : [];
  return controllerNames.map((name) => {
    const listener = advertised.find((candidate) => candidate.name === name) ?? listeners.find((candidate) => candidate.name === name);
    if (listener === undefined) throw new ServerConfigError('controller.listener.names', `names ${name}, which is not in listeners`);
    return { name, host: WILDCARD_HOSTS.has(listener.host) ? hostname() : listener.host, port: listener.port };
  });
}

function logLevel(text: string | undefined): LogLevel {
  if (text === undefined) return LOG_LEVEL_DEFAULT;
  const level = parseLogLevel(text);
  if (level === null) throw new ServerConfigError('log.level', `must be one of ${LOG_LEVELS.join(', ')}, got '${text}'`);
  return level;
}

/** The endpoints a broker registers: its advertised non-controller listeners. */
function brokerEndpoints(advertised: ListenerAddress[], controllerNames: string[], protocols: Map<string, string>): BrokerEndpoint[] {
  return advertised
    .filter((listener) => !controllerNames.includes(listener.name))
    .map((listener) => ({
      name: listener.name, host: listener.host, port: listener.port,
      securityProtocol: protocols.get(listener.name) ?? listener.name,
    }));
}

function checkListeners(roles: ProcessRole[], listeners: ListenerAddress[], controllerNames: string[]): void {
  if (controllerNames.length === 0) throw new ServerConfigError('controller.listener.names', 'must name at least one listener');
  const names = new Set(listeners.map((listener) => listener.name));
  if (roles.includes('controller')) {
    const missing = controllerNames.filter((name) => !names.has(name));
    if (missing.length > 0) {
      throw new ServerConfigError('controller.listener.names', `names ${missing.join(',')}, which is not in listeners (${[...names].join(',')})`);
    }
  }
  if (roles.includes('broker') && !listeners.some((listener) => !controllerNames.includes(listener.name))) {
    throw new ServerConfigError('listeners', 'a broker needs a listener that is not a controller listener');
  }
}

function parseSecurityProtocols(text: string | undefined, listeners: ListenerAddress[]): Map<string, string> {
  const map = new Map<string, string>();
  if (text === undefined) return map;
  for (const item of splitList(text)) {
    const [name, protocol, ...rest] = item.split(':');
    if (name === undefined || protocol === undefined || rest.length > 0 || name === '' || protocol === '') {
      throw new ServerConfigError('listener.security.protocol.map', `'${item}' is not NAME:PROTOCOL`);
    }
    if (protocol.toUpperCase() !== 'PLAINTEXT') {
      throw new ServerConfigError('listener.security.protocol.map', `quorumd speaks PLAINTEXT only, got ${protocol} for ${name}`);
    }
    map.set(name.toUpperCase(), protocol.toUpperCase());
  }
  for (const listener of listeners) {
    if (map.size > 0 && !map.has(listener.name)) {
      throw new ServerConfigError('listener.security.protocol.map', `has no protocol for listener ${listener.name}`);
    }
  }
  return map;
}

function parseRoles(text: string): ProcessRole[] {
  const roles = splitList(text);
  const valid = roles.length > 0 && roles.every((role) => role === 'broker' || role === 'controller');
  if (!valid || new Set(roles).size !== roles.length) {
    throw new ServerConfigError('process.roles', `must be broker, controller or broker,controller, got '${text}'`);
  }
  return roles as ProcessRole[];
}

/** Runs the core's own checks so a bad combination fails now, named in Kafka's words. */
function checkWithCore(quorum: Omit<QuorumNodeConfigInput, 'clusterId'>): void {
  try {
    resolveQuorumNodeConfig({ ...quorum, clusterId: PLACEHOLDER_CLUSTER_ID });
  } catch (error) {
    if (error instanceof RaftConfigError) {
      const key = KAFKA_KEY_OF_SETTING[error.setting] ?? error.setting;
      const detail = error.message.slice(error.setting.length + 2);
      throw new ServerConfigError(key, detail);
    }
    throw error;
  }
}

function booleanValue(p: Parsed, key: string): boolean {
  const text = p.get(key);
  if (text !== 'true' && text !== 'false') throw new ServerConfigError(key, `must be true or false, got '${text ?? ''}'`);
  return text === 'true';
}

function required(p: Parsed, key: string): string {
  const value = p.get(key);
  if (value === undefined || value === '') throw new ServerConfigError(key, 'is required');
  return value;
}

function integer(p: Parsed, key: string, min: number, max: number, fallback: number | undefined): number {
  const text = p.get(key);
  if (text === undefined) {
    if (fallback === undefined) throw new ServerConfigError(key, 'is required');
    return fallback;
  }
  if (!/^-?[0-9]+$/.test(text)) throw new ServerConfigError(key, `must be an integer, got '${text}'`);
  const value = Number(text);
  if (value < min || value > max) throw new ServerConfigError(key, `must be between ${min} and ${max}, got ${value}`);
  return value;
}
