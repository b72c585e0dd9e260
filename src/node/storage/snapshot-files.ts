/**
 * Snapshots of the metadata image as files named as KRaft names them,
 * `<endOffset:20 digits>-<epoch:10 digits>.checkpoint`, each one CRC-framed JSON payload written
 * atomically. Recovery takes the newest one that reads back whole; damaged ones are reported and
 * skipped. Only the newest is kept once a new one is durable.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotData } from '../../core/host-interface.js';
import type { MetadataBatch } from '../../core/metadata-log.js';
import { writeFileAtomic } from './atomic-file.js';
import { encodeFrame, scanFrames } from './record-frame.js';

const SNAPSHOT_NAME = /^([0-9]{20})-([0-9]{10})\.checkpoint$/;

export function snapshotFileName(endOffset: number, epoch: number): string {
  return `${String(endOffset).padStart(20, '0')}-${String(epoch).padStart(10, '0')}.checkpoint`;
}

export function writeSnapshot(dir: string, snapshot: SnapshotData<MetadataBatch>): void {
  const payload = Buffer.from(JSON.stringify(snapshot), 'utf8');
  const name = snapshotFileName(snapshot.endOffset, snapshot.lastEpoch);
  writeFileAtomic(join(dir, name), encodeFrame(payload));
  for (const other of listSnapshots(dir)) {
    if (other.name !== name) rmSync(join(dir, other.name), { force: true });
  }
}

interface SnapshotFile {
  name: string;
  endOffset: number;
  epoch: number;
}

function listSnapshots(dir: string): SnapshotFile[] {
  const files: SnapshotFile[] = [];
  for (const name of readdirSync(dir)) {
    const match = SNAPSHOT_NAME.exec(name);
    if (match !== null) files.push({ name, endOffset: Number(match[1]), epoch: Number(match[2]) });
  }
  return files.sort((a, b) => b.endOffset - a.endOffset || b.epoch - a.epoch);
}

/** The newest snapshot that reads back whole, or null; `log` hears of every damaged one. */
export function readLatestSnapshot(dir: string, log: (line: string) => void): SnapshotData<MetadataBatch> | null {
  for (const file of listSnapshots(dir)) {
    const path = join(dir, file.name);
    const problem = checkSnapshot(path, file);
    if (typeof problem !== 'string') return problem;
    log(`Skipping damaged snapshot ${path}: ${problem}`);
  }
  return null;
}

function checkSnapshot(path: string, file: SnapshotFile): SnapshotData<MetadataBatch> | string {
  const bytes = readFileSync(path);
  const scan = scanFrames(bytes, bytes.length);
  const frame = scan.frames[0];
  if (frame === undefined || scan.frames.length !== 1 || scan.problem !== undefined) return scan.problem ?? 'not exactly one frame';
  let snapshot: SnapshotData<MetadataBatch>;
  try {
    snapshot = JSON.parse(frame.payload.toString('utf8')) as SnapshotData<MetadataBatch>;
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (snapshot.endOffset !== file.endOffset || snapshot.lastEpoch !== file.epoch || !Array.isArray(snapshot.records)) {
    return `content does not match its name (endOffset ${snapshot.endOffset}, lastEpoch ${snapshot.lastEpoch})`;
  }
  return snapshot;
}

/** Removes temporary files a crash left behind mid-write. */
export function removeStaleTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
}
