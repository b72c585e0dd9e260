/**
 * `quorumd format`, as `kafka-storage format` does it: writes meta.properties (cluster id, node id,
 * version) into the metadata log directory and every log directory. A directory that is already
 * formatted is refused, unless `ignoreFormatted`, in which case it is left exactly as it is.
 */
import { clusterIdProblem, isFormatted, META_PROPERTIES_VERSION, readMetaProperties, writeMetaProperties } from './storage/meta-properties.js';
import type { ServerConfig } from './config/server-config.js';

export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

export interface FormatResult {
  formatted: string[];
  /** Already formatted and left alone (only with ignoreFormatted). */
  skipped: string[];
}

export function formatStorage(config: ServerConfig, clusterId: string, ignoreFormatted: boolean, nowText = new Date().toString()): FormatResult {
  const problem = clusterIdProblem(clusterId);
  if (problem !== undefined) throw new FormatError(`--cluster-id ${problem}`);
  const dirs = [...new Set([config.metadataLogDir, ...config.logDirs])];
  const result: FormatResult = { formatted: [], skipped: [] };
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
    writeMetaProperties(dir, { clusterId, nodeId: config.nodeId, version: META_PROPERTIES_VERSION }, nowText);
    result.formatted.push(dir);
  }
  return result;
}
