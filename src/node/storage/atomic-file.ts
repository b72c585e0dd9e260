/**
 * Replacing a small file so that a crash leaves either the old or the new content, never a mix:
 * write a temporary file, fsync it, rename it over the old one, fsync the directory (so the
 * rename itself is durable). Used for the quorum state, snapshots and meta.properties.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmpPath = `${path}.tmp`;
  const fd = openSync(tmpPath, 'w', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmpPath, path);
  fsyncDirectory(dirname(path));
}

/** Makes entries created, renamed or removed in `dir` durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
