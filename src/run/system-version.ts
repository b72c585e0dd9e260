/**
 * The version of quorumd this checkout builds (package.json's), for results.json: a run directory
 * says which system it judged. Read once, from beside src/ or dist/ alike.
 */
import { readFileSync } from 'node:fs';

let cached: string | null = null;

export function quorumdVersion(): string {
  if (cached !== null) return cached;
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    cached = String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
  } catch {
    cached = 'unknown';
  }
  return cached;
}
