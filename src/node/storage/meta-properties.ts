/**
 * `meta.properties`, written by `quorumd format` as `kafka-storage format` writes it: the cluster
 * id, this node's id and the format version. `quorumd start` refuses a directory without one (an
 * unformatted disk must never silently become a fresh, empty node of some cluster).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProperties, renderPropertiesText } from '../config/java-properties.js';
import { writeFileAtomic } from './atomic-file.js';

export const META_PROPERTIES_FILE = 'meta.properties';
export const META_PROPERTIES_VERSION = 1;

export interface MetaProperties {
  clusterId: string;
  nodeId: number;
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

export function isFormatted(dir: string): boolean {
  return existsSync(join(dir, META_PROPERTIES_FILE));
}

export function writeMetaProperties(dir: string, meta: MetaProperties, nowText: string): void {
  mkdirSync(dir, { recursive: true });
  const text = renderPropertiesText({
    'cluster.id': meta.clusterId, 'node.id': String(meta.nodeId), version: String(meta.version),
  }, nowText);
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
  return { clusterId, nodeId, version };
}
