/**
 * quorumd as a dynamic quorum (kraft.version 1, KIP-853), for membership faults: every node names
 * the initial voters in `controller.quorum.bootstrap.servers` instead of a static voter list; the
 * initial voters are formatted `--initial-controllers` with directory ids chosen up front, every
 * other controller (a spare) `--no-initial-controllers`, so it starts as an observer for the
 * nemesis to add. Brokers take no flag.
 *
 * A disk replacement: the harness drops a marker file (replaceDiskMarker) into a node and restarts
 * it; at start the run script sees the marker, wipes the data directory and formats it afresh with
 * `--no-initial-controllers`, so the node comes back with a new random directory id, an observer
 * that is not the voter it was.
 */
import { randomKafkaUuid } from '../../../node/random-uuid.js';
import { nodeConfigDir, quorumdProgram, type NodeProgram } from '../../cluster/node-program.js';
import { renderProperties, serverProperties } from '../../cluster/server-properties.js';
import type { NodeLayout } from '../../cluster/cluster-layout.js';
import type { NodeSettings, SystemAdapter } from '../system-adapter.js';
import { quorumdSystem } from './quorumd-system.js';

/** Present at a node's start: its disk is replaced (wiped, formatted to join later). */
export const replaceDiskMarker = `${nodeConfigDir}/replace-disk`;
/** The format flags the node's next format uses (rewritten by a disk replacement). */
const formatFlagsFile = `${nodeConfigDir}/format-flags`;

/** Where quorumd's meta.properties is inside a node (its directory id is read from it). */
export function metaPropertiesPath(layout: Pick<NodeLayout, 'dataDir'>): string {
  return `${layout.dataDir}/meta.properties`;
}

/** The directory id in a meta.properties text, or null when it has none (yet). */
export function directoryIdIn(metaProperties: string): string | null {
  return /^directory\.id=([A-Za-z0-9_-]{22})$/m.exec(metaProperties)?.[1] ?? null;
}

export interface DynamicQuorum {
  /** The initial voters' directory ids, by node id. */
  readonly initialDirectories: ReadonlyMap<number, string>;
}

/** Directory ids for the initial voters, random as format's own. */
export function newDynamicQuorum(initialVoters: readonly number[]): DynamicQuorum {
  return { initialDirectories: new Map(initialVoters.map((nodeId) => [nodeId, randomKafkaUuid()])) };
}

/** quorumd whose nodes run a dynamic quorum; everything else as quorumdSystem. */
export function dynamicQuorumdSystem(quorum: DynamicQuorum): SystemAdapter {
  return { ...quorumdSystem, nodeProgram: (settings: NodeSettings) => dynamicQuorumdProgram(quorum, settings) };
}

function dynamicQuorumdProgram(quorum: DynamicQuorum, settings: NodeSettings): NodeProgram {
  const base = quorumdProgram({ properties: settings.nodeConfig });
  return {
    ...base,
    files: (layout) => [
      {
        name: 'server.properties.template',
        content: renderProperties(dynamicProperties(layout, settings.nodeConfig), `quorumd node ${layout.nodeId} (dynamic quorum), written by quorumcheck`),
      },
      { name: 'format-flags', content: `${formatFlags(quorum, layout)}\n` },
    ],
    runScript: (layout) => [
      'set -eu',
      `config=${nodeConfigDir}/server.properties`,
      `if [ -e ${replaceDiskMarker} ]; then`,
      `  rm -rf '${layout.dataDir}'`,
      `  echo --no-initial-controllers > ${formatFlagsFile}`,
      `  rm -f ${replaceDiskMarker}`,
      'fi',
      // Word splitting of the flags is wanted: they are one or two arguments without spaces.
      `quorumd format --config "$config" --cluster-id=${layout.clusterId} --ignore-formatted $(cat ${formatFlagsFile})`,
      'exec quorumd start --config "$config"',
    ].join('\n'),
  };
}

function dynamicProperties(layout: NodeLayout, nodeConfig: Readonly<Record<string, string>>): Record<string, string> {
  const properties = serverProperties(layout, nodeConfig);
  delete properties['controller.quorum.voters'];
  // What this controller tells the others to dial (its UpdateRaftVoter at start): its alias on the
  // project network, never the wildcard it binds.
  if (layout.roles.includes('controller')) {
    const controller = `CONTROLLER://${layout.alias}:${layout.peerPort}`;
    const advertised = properties['advertised.listeners'];
    properties['advertised.listeners'] = advertised === undefined ? controller : `${advertised},${controller}`;
  }
  properties['controller.quorum.bootstrap.servers'] = initialVoters(layout).map((peer) => `${peer.alias}:${layout.peerPort}`).join(',');
  return properties;
}

function formatFlags(quorum: DynamicQuorum, layout: NodeLayout): string {
  if (!layout.roles.includes('controller')) return '';
  if (!layout.voter) return '--no-initial-controllers';
  const voters = initialVoters(layout).map((peer) => {
    const directoryId = quorum.initialDirectories.get(peer.nodeId);
    if (directoryId === undefined) throw new RangeError(`no directory id chosen for initial voter ${peer.nodeId}`);
    return `${peer.nodeId}@${peer.alias}:${layout.peerPort}:${directoryId}`;
  });
  return `--initial-controllers=${voters.join(',')}`;
}

function initialVoters(layout: NodeLayout): NodeLayout['peers'] {
  return layout.peers.filter((peer) => peer.voter);
}
