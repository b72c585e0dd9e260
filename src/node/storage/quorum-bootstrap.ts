/**
 * The quorum's bootstrap, written once by `quorumd format` into the metadata log directory of a
 * node of a dynamic quorum (kraft.version 1, KIP-853): the kraft.version, and the voters the quorum
 * starts with — this controller alone (`--standalone`), the `--initial-controllers`, or none for a
 * controller that joins later as an observer (`--no-initial-controllers`) and for brokers.
 *
 * The voters here are not in the replicated log: the first leader writes them there at the start
 * of its epoch, and from then on the log's latest voter set is the one in force. So this file only
 * decides how a quorum begins, and it never changes afterwards. A directory without it was
 * formatted for a static quorum (kraft.version 0).
 *
 *   #<the date format ran>
 *   kraft.version=1
 *   initial.controllers=1@host\:9093\:<directory id>,...      (absent: no initial voters)
 *   initial.controllers.listener=CONTROLLER
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KRAFT_VERSION_DYNAMIC, type Voter } from '../../core/raft/voter-set.js';
import { parseProperties, renderPropertiesText } from '../config/java-properties.js';
import { parseInitialControllers, type InitialController } from '../config/listener-addresses.js';
import { ServerConfigError } from '../config/server-config-error.js';
import { writeFileAtomic } from './atomic-file.js';
import { isDirectoryId } from './meta-properties.js';

export const QUORUM_BOOTSTRAP_FILE = 'quorum-bootstrap.properties';

export interface QuorumBootstrap {
  kraftVersion: typeof KRAFT_VERSION_DYNAMIC;
  /** Null: the quorum's voters are not this node's to say (it joins later, or is a broker). */
  initialControllers: InitialController[] | null;
  /** The controller listener the initial controllers' addresses belong to. */
  listenerName: string;
}

export function writeQuorumBootstrap(dir: string, bootstrap: QuorumBootstrap, nowText: string): void {
  const entries: Record<string, string> = { 'kraft.version': String(bootstrap.kraftVersion) };
  if (bootstrap.initialControllers !== null) {
    entries['initial.controllers'] = bootstrap.initialControllers.map(voterText).join(',');
    entries['initial.controllers.listener'] = bootstrap.listenerName;
  }
  writeFileAtomic(join(dir, QUORUM_BOOTSTRAP_FILE), renderPropertiesText(entries, nowText));
}

/** The bootstrap format wrote into `dir`, or null when it wrote none (a static quorum). */
export function readQuorumBootstrap(dir: string): QuorumBootstrap | null {
  const path = join(dir, QUORUM_BOOTSTRAP_FILE);
  if (!existsSync(path)) return null;
  const entries = parseProperties(readFileSync(path, 'utf8'), path);
  const version = entries.get('kraft.version')?.value;
  if (version !== String(KRAFT_VERSION_DYNAMIC)) throw new Error(`${path}: kraft.version '${String(version)}' is not ${KRAFT_VERSION_DYNAMIC}`);
  const controllers = entries.get('initial.controllers')?.value;
  const listenerName = entries.get('initial.controllers.listener')?.value ?? '';
  if (controllers === undefined) return { kraftVersion: KRAFT_VERSION_DYNAMIC, initialControllers: null, listenerName };
  try {
    return { kraftVersion: KRAFT_VERSION_DYNAMIC, initialControllers: parseInitialControllers('initial.controllers', controllers, isDirectoryId), listenerName };
  } catch (error) {
    if (error instanceof ServerConfigError) throw new Error(`${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The initial controllers as the core's voters. */
export function bootstrapVotersOf(bootstrap: QuorumBootstrap): Voter[] | null {
  if (bootstrap.initialControllers === null) return null;
  return bootstrap.initialControllers.map((controller) => ({
    id: controller.nodeId, directoryId: controller.directoryId,
    endpoints: [{ name: bootstrap.listenerName, host: controller.host, port: controller.port }],
  }));
}

function voterText(controller: InitialController): string {
  const host = controller.host.includes(':') ? `[${controller.host}]` : controller.host;
  return `${controller.nodeId}@${host}:${controller.port}:${controller.directoryId}`;
}
