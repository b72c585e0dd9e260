/**
 * `meta.properties`, written by `quorumd format` as `kafka-storage format` writes it: the cluster
 * id, this node's id, the directory's own id and the format version. `quorumd start` refuses a
 * directory without one (an unformatted disk must never silently become a fresh, empty node of
 * some cluster).
 *
 * The directory id (KIP-853) names this copy of the disk: a controller is a voter as the pair of
 * its node id and the directory id of its metadata log directory, so a node that comes back on a
 * fresh disk is a new replica, and its old vote and log position no longer count. Directories
 * formatted before directory ids existed have none (they can only run under kraft.version 0).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUuid, ZERO_UUID } from '../../kafka/protocol/uuid.js';
import { parseProperties, renderPropertiesText } from '../config/java-properties.js';
import { writeFileAtomic } from './atomic-file.js';

export const META_PROPERTIES_FILE = 'meta.properties';
export const META_PROPERTIES_VERSION = 1;

export interface MetaProperties {
  clusterId: string;
  nodeId: number;
  /** Kafka's base64 UUID text, random per directory; absent in directories formatted without one. */
  directoryId?: string;
  version: number;
}

export class NotFormattedError extends Error {
  constructor(readonly dir: string) {
    super(`${dir} is not formatted (no ${META_PROPERTIES_FILE}): run 'quorumd format --config <server.properties> --cluster-id <id>' first`);
    this.name = 'NotFormattedError';
  }
}

/** Kafka's cluster ids are base64url text; we accept what its tools would produce or take. */
export function clusterIdProblem(clusterId: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(clusterId)) return `must be 1 to 64 characters of [A-Za-z0-9_-], got '${clusterId}'`;
  return undefined;
}

/** Kafka's uuid text (16 bytes in base64url without padding), never the all-zero "no id". */
export function isDirectoryId(text: string): boolean {
  return isUuid(text) && text !== ZERO_UUID;
}

export function isFormatted(dir: string): boolean {
  return existsSync(join(dir, META_PROPERTIES_FILE));
}

export function writeMetaProperties(dir: string, meta: MetaProperties, nowText: string): void {
  mkdirSync(dir, { recursive: true });
  const entries: Record<string, string> = { 'cluster.id': meta.clusterId };
  if (meta.directoryId !== undefined) entries['directory.id'] = meta.directoryId;
  entries['node.id'] = String(meta.nodeId);
  entries.version = String(meta.version);
  const text = renderPropertiesText(entries, nowText);
  writeFileAtomic(join(dir, META_PROPERTIES_FILE), text);
}

export function readMetaProperties(dir: string): MetaProperties {
  const path = join(dir, META_PROPERTIES_FILE);
  if (!existsSync(path)) throw new NotFormattedError(dir);
  const entries = parseProperties(readFileSync(path, 'utf8'), path);
  const clusterId = entries.get('cluster.id')?.value;
  const nodeId = Number(entries.get('node.id')?.value);
  const version = Number(entries.get('version')?.value);
  if (clusterId === undefined || clusterIdProblem(clusterId) !== undefined) throw new Error(`${path}: cluster.id is missing or invalid`);
  if (!Number.isInteger(nodeId) || nodeId < 0) throw new Error(`${path}: node.id is missing or invalid`);
  if (version !== META_PROPERTIES_VERSION) throw new Error(`${path}: version ${String(version)} is not ${META_PROPERTIES_VERSION}`);
  const directoryId = entries.get('directory.id')?.value;
  if (directoryId === undefined) return { clusterId, nodeId, version };
  if (!isDirectoryId(directoryId)) throw new Error(`${path}: directory.id '${directoryId}' is not a Kafka uuid (22 characters of base64url)`);
  return { clusterId, nodeId, directoryId, version };
}
