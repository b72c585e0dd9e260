/**
 * Content hashes that name images: an image is tagged by the hash of everything it was built
 * from, so an unchanged recipe reuses the image and any change builds a new one.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Tags use the first 16 hex digits: 64 bits, ample for a handful of local images. */
export const tagHashLength = 16;

export function hashStrings(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex').slice(0, tagHashLength);
}

export async function hashFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Hashes every file under `dir` (names and contents, in sorted order). */
export async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  await hashTreeInto(hash, dir, '');
  return hash.digest('hex');
}

async function hashTreeInto(hash: Hash, root: string, relative: string): Promise<void> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      await hashTreeInto(hash, root, child);
    } else if (entry.isFile()) {
      const content = await readFile(path.join(root, child));
      hash.update(`${child}\0${content.length}\0`);
      hash.update(content);
    }
  }
}
