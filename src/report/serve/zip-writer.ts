/**
 * A zip archive of a folder, streamed file by file (only one file is in memory at a time), for
 * `serve`'s "download this run" link. The format is PKZIP's plain one: deflate (or stored, when
 * deflating does not pay), UTF-8 names, Unix modes; no Zip64, so a file or the archive is limited
 * to 4 GiB, which a run directory never nears (the limit is checked, not assumed).
 */
import { readFile, stat } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The name inside the archive, with forward slashes. */
  name: string;
  /** The file on disk. */
  path: string;
}

const LIMIT_BYTES = 0xffff_ffff;
const UTF8_NAMES = 0x0800;

/** Writes the archive through `write` (which may return a promise, e.g. waiting for 'drain'). */
export async function writeZip(entries: readonly ZipEntry[], write: (chunk: Buffer) => void | Promise<void>): Promise<void> {
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = await readFile(entry.path);
    const info = await stat(entry.path);
    const deflated = deflateRawSync(data);
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    if (data.length > LIMIT_BYTES || offset + body.length > LIMIT_BYTES) {
      throw new RangeError(`${entry.path} does not fit a zip archive without Zip64 (4 GiB)`);
    }
    const name = Buffer.from(entry.name, 'utf8');
    const fields = {
      method: stored ? 0 : 8, ...dosTime(info.mtime), crc: crc32(data) >>> 0,
      compressed: body.length, size: data.length, name,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    writeEntryFields(local, 6, fields);
    await write(local);
    await write(name);
    await write(body);
    central.push(centralHeader(fields, info.mode, offset));
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  await write(directory);
  await write(end);
}

interface EntryFields {
  method: number;
  time: number;
  date: number;
  crc: number;
  compressed: number;
  size: number;
  name: Buffer;
}

function centralHeader(fields: EntryFields, mode: number, offset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
  header.writeUInt16LE(20, 6);
  writeEntryFields(header, 8, fields);
  header.writeUInt32LE(((mode & 0xffff) << 16) >>> 0, 38);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, fields.name]);
}

/** The fields the local and the central header share, in the same order: flags to name length (extra length 0). */
function writeEntryFields(header: Buffer, at: number, fields: EntryFields): void {
  header.writeUInt16LE(UTF8_NAMES, at);
  header.writeUInt16LE(fields.method, at + 2);
  header.writeUInt16LE(fields.time, at + 4);
  header.writeUInt16LE(fields.date, at + 6);
  header.writeUInt32LE(fields.crc, at + 8);
  header.writeUInt32LE(fields.compressed, at + 12);
  header.writeUInt32LE(fields.size, at + 16);
  header.writeUInt16LE(fields.name.length, at + 20);
}

/** MS-DOS date and time (local time, 2-second steps), as zip stores them. */
function dosTime(date: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, date.getFullYear()));
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}
