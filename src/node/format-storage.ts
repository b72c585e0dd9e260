/**
 * `quorumd format`, as `kafka-storage format` does it: writes meta.properties (cluster id, node id,
 * a random directory id of its own, version) into the metadata log directory and every log
 * directory. A directory that is already formatted is refused, unless `ignoreFormatted`, in which
 * case it is left exactly as it is.
 *
 * A node of a dynamic quorum (`controller.quorum.bootstrap.servers`, kraft.version 1) also gets the
 * quorum's bootstrap (storage/quorum-bootstrap.ts), and a controller must say how the quorum
 * begins, as Kafka 3.9 asks: `--standalone` (this controller is the only voter),
 * `--initial-controllers id@host:port:directory-id,...` (these are the voters, this one among them,
 * its metadata directory formatted with the directory id given for it), or
 * `--no-initial-controllers` (it joins a running quorum later: it starts as an observer, and
 * `quorumd add-controller` makes it a voter once it has caught up).
 */
import { KRAFT_VERSION_DYNAMIC } from '../core/raft/voter-set.js';
import type { ServerConfig } from './config/server-config.js';
import type { InitialController } from './config/listener-addresses.js';
import { clusterIdProblem, isFormatted, META_PROPERTIES_VERSION, readMetaProperties, writeMetaProperties } from './storage/meta-properties.js';
import { writeQuorumBootstrap, type QuorumBootstrap } from './storage/quorum-bootstrap.js';
import { randomKafkaUuid } from './random-uuid.js';

export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

/** How a dynamic quorum begins (format's flags); absent for a static quorum and for brokers. */
export type BootstrapChoice =
  | { kind: 'standalone' }
  | { kind: 'initial-controllers'; controllers: InitialController[] }
  | { kind: 'no-initial-controllers' };

export interface FormatOptions {
  clusterId: string;
  ignoreFormatted: boolean;
  bootstrap?: BootstrapChoice;
  /** The comment line of the files written (Java's Date#toString, as Kafka writes it). */
  nowText?: string;
  /** A fresh directory id (random unless a test says otherwise). */
  newDirectoryId?: () => string;
}

export interface FormatResult {
  formatted: string[];
  /** Already formatted and left alone (only with ignoreFormatted). */
  skipped: string[];
  /** The metadata log directory's id, when this run formatted it. */
  metadataDirectoryId: string | null;
  /** The bootstrap written, when this run formatted the metadata log directory of a dynamic quorum. */
  bootstrap: QuorumBootstrap | null;
}

const BOOTSTRAP_FLAGS = '--standalone, --initial-controllers or --no-initial-controllers';

export function formatStorage(config: ServerConfig, options: FormatOptions): FormatResult {
  const { clusterId, ignoreFormatted } = options;
  const nowText = options.nowText ?? new Date().toString();
  const newDirectoryId = options.newDirectoryId ?? (() => randomKafkaUuid());
  const problem = clusterIdProblem(clusterId);
  if (problem !== undefined) throw new FormatError(`--cluster-id ${problem}`);
  const plan = bootstrapPlan(config, options.bootstrap, newDirectoryId);
  const dirs = [...new Set([config.metadataLogDir, ...config.logDirs])];
  const result: FormatResult = { formatted: [], skipped: [], metadataDirectoryId: null, bootstrap: null };
  for (const dir of dirs) {
    if (!isFormatted(dir)) continue;
    if (!ignoreFormatted) {
      const meta = readMetaProperties(dir);
      throw new FormatError(`Log directory ${dir} is already formatted (cluster.id ${meta.clusterId}, node.id ${meta.nodeId}). ` +
        'Use --ignore-formatted to leave formatted directories as they are.');
    }
  }
  for (const dir of dirs) {
    if (isFormatted(dir)) {
      result.skipped.push(dir);
      continue;
    }
    const isMetadataDir = dir === config.metadataLogDir;
    const directoryId = isMetadataDir ? plan.metadataDirectoryId : newDirectoryId();
    writeMetaProperties(dir, { clusterId, nodeId: config.nodeId, directoryId, version: META_PROPERTIES_VERSION }, nowText);
    if (isMetadataDir) {
      result.metadataDirectoryId = directoryId;
      if (plan.bootstrap !== null) {
        writeQuorumBootstrap(dir, plan.bootstrap, nowText);
        result.bootstrap = plan.bootstrap;
      }
    }
    result.formatted.push(dir);
  }
  return result;
}

interface BootstrapPlan {
  metadataDirectoryId: string;
  bootstrap: QuorumBootstrap | null;
}

/** Checks the flags against the configuration and says what to write; throws FormatError naming what is wrong. */
function bootstrapPlan(config: ServerConfig, choice: BootstrapChoice | undefined, newDirectoryId: () => string): BootstrapPlan {
  const isController = config.processRoles.includes('controller');
  if (config.kraftVersion !== KRAFT_VERSION_DYNAMIC) {
    if (choice !== undefined) {
      throw new FormatError(`${flagOf(choice)} is for a dynamic quorum: this configuration sets controller.quorum.voters (a static quorum, ` +
        'kraft.version 0). Set controller.quorum.bootstrap.servers instead to format a dynamic one.');
    }
    return { metadataDirectoryId: newDirectoryId(), bootstrap: null };
  }
  const listenerName = config.controllerListenerNames[0] ?? '';
  if (!isController) {
    if (choice !== undefined) throw new FormatError(`${flagOf(choice)} is for controllers: this node's process.roles is ${config.processRoles.join(',')}`);
    return { metadataDirectoryId: newDirectoryId(), bootstrap: { kraftVersion: KRAFT_VERSION_DYNAMIC, initialControllers: null, listenerName } };
  }
  if (choice === undefined) {
    throw new FormatError(`controller.quorum.voters is not set on this controller (a dynamic quorum): say how the quorum begins with one of ${BOOTSTRAP_FLAGS}`);
  }
  switch (choice.kind) {
    case 'no-initial-controllers':
      return { metadataDirectoryId: newDirectoryId(), bootstrap: { kraftVersion: KRAFT_VERSION_DYNAMIC, initialControllers: null, listenerName } };
    case 'standalone': {
      const endpoint = config.controllerEndpoints[0];
      if (endpoint === undefined) throw new FormatError('--standalone needs a controller listener (controller.listener.names) to name this voter by');
      const directoryId = newDirectoryId();
      return {
        metadataDirectoryId: directoryId,
        bootstrap: {
          kraftVersion: KRAFT_VERSION_DYNAMIC, listenerName: endpoint.name,
          initialControllers: [{ nodeId: config.nodeId, host: endpoint.host, port: endpoint.port, directoryId }],
        },
      };
    }
    case 'initial-controllers': {
      const self = choice.controllers.find((controller) => controller.nodeId === config.nodeId);
      if (self === undefined) {
        throw new FormatError(`--initial-controllers does not name this controller's node.id ${config.nodeId}: ` +
          `use --no-initial-controllers for a controller that joins later`);
      }
      return {
        metadataDirectoryId: self.directoryId,
        bootstrap: { kraftVersion: KRAFT_VERSION_DYNAMIC, initialControllers: choice.controllers, listenerName },
      };
    }
  }
}

function flagOf(choice: BootstrapChoice): string {
  return `--${choice.kind}`;
}
