/**
 * What runs in a node's container, as a small value: the files it needs and the shell script
 * that starts it. The default is quorumd (`format` once, then `start`); tests and other systems
 * under test supply their own. Files land in /etc/quorumd before the program starts; a name
 * ending in `.template` is copied without that suffix at every start with the node's bridge
 * address filled in (see docker/bin/quorumcheck-node-entry).
 */
import { bridgeAddressPlaceholder, quorumVoters, type NodeLayout } from './cluster-layout.js';
import { renderProperties, serverProperties, type ExtraProperties } from './server-properties.js';

export const nodeConfigDir = '/etc/quorumd';

export interface NodeFile {
  /** A plain file name inside /etc/quorumd. */
  name: string;
  content: string;
  mode?: number;
}

export interface NodeProgram {
  /** A short name for logs and container names (`quorumd`, `echo-server`). */
  name: string;
  files(layout: NodeLayout): NodeFile[];
  /** The body of /etc/quorumd/run.sh: it must `exec` the node's long-running process. */
  runScript(layout: NodeLayout): string;
  /**
   * A line of the node's output saying it serves; the cluster's start waits for it (pushed by
   * the engine's log stream: no polling, no exec). Default: the entry script's own line, i.e.
   * the container has started.
   */
  readyLogPattern?(layout: NodeLayout): RegExp;
}

/** What the entry script prints just before it starts run.sh. */
export const entryStartedPattern = /quorumcheck-node-entry: \S+ is \S+; starting/;

export interface QuorumdProgramOptions {
  /** Extra or overriding server.properties entries (e.g. `metadata.log.segment.bytes`). */
  properties?: ExtraProperties;
}

/**
 * quorumd: `server.properties` from the layout, then `quorumd start --format-cluster-id`, which
 * formats a disk not formatted yet in the same process (a restarted container keeps its log).
 */
export function quorumdProgram(options: QuorumdProgramOptions = {}): NodeProgram {
  return {
    name: 'quorumd',
    files: (layout) => [{
      name: 'server.properties.template',
      content: renderProperties(serverProperties(layout, options.properties), `quorumd node ${layout.nodeId}, written by quorumcheck`),
    }],
    runScript: (layout) => [
      'set -eu',
      `config=${nodeConfigDir}/server.properties`,
      // `=`: a caller's id may start with '-', which the option parser would take for an option.
      // One Node.js start per node (a separate quorumd format cost another 0.3 to 1 s under load).
      `exec quorumd start --config "$config" --format-cluster-id=${layout.clusterId}`,
    ].join('\n'),
    // quorumd says each once its listener is bound: clients (brokers) or peers (controllers) can connect.
    readyLogPattern: (layout) => (layout.roles.includes('broker') ? /Kafka listener \S+ is serving/ : /Started node \d+ of cluster/),
  };
}

/**
 * Any Node.js program, given as source: it runs with the node's layout in its environment
 * (QUORUMCHECK_NODE_ID, _ALIAS, _ROLES, _CLIENT_PORT, _PEER_PORT, _BRIDGE_ADDRESS, _VOTERS,
 * _EVENT_LOG). Used by the harness's own tests, and for systems other than quorumd.
 */
export function nodeScriptProgram(name: string, source: string, readyLogPattern?: RegExp): NodeProgram {
  return {
    name,
    ...(readyLogPattern === undefined ? {} : { readyLogPattern: () => readyLogPattern }),
    files: (layout) => [
      { name: 'program.mjs', content: source },
      { name: 'program.env.template', content: programEnvironment(layout) },
    ],
    runScript: () => [
      'set -eu',
      'set -a',
      `. ${nodeConfigDir}/program.env`,
      'set +a',
      `exec node ${nodeConfigDir}/program.mjs`,
    ].join('\n'),
  };
}

function programEnvironment(layout: NodeLayout): string {
  const variables: Record<string, string | number> = {
    QUORUMCHECK_NODE_ID: layout.nodeId,
    QUORUMCHECK_NODE_ALIAS: layout.alias,
    QUORUMCHECK_ROLES: layout.roles.join(','),
    QUORUMCHECK_CLIENT_PORT: layout.clientPort,
    QUORUMCHECK_PEER_PORT: layout.peerPort,
    QUORUMCHECK_BRIDGE_ADDRESS: bridgeAddressPlaceholder,
    QUORUMCHECK_VOTERS: quorumVoters(layout),
    QUORUMCHECK_EVENT_LOG: layout.eventLogPath,
  };
  return Object.entries(variables).map(([key, value]) => `${key}='${value}'`).join('\n') + '\n';
}
