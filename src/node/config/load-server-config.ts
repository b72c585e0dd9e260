/** Reads and parses a `server.properties` file; a missing file is a clear error naming the path. */
import { readFileSync } from 'node:fs';
import { parseServerConfig, type ServerConfig } from './server-config.js';

export function loadServerConfig(path: string): ServerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseServerConfig(text, path);
}
