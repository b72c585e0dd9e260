/**
 * Docker's multiplexed log format (containers without a TTY): frames of an 8-byte header
 * (stream type 1 stdout / 2 stderr, three zero bytes, a big-endian uint32 length) and payload.
 * Reading a finished log through the Engine API returns these frames as one buffer.
 */

export function demultiplexDockerLog(frames: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= frames.length) {
    const streamType = frames[offset] as number;
    const length = frames.readUInt32BE(offset + 4);
    if (streamType > 2 || offset + 8 + length > frames.length) {
      // Not frames after all (a TTY container logs raw bytes): return the rest as it is.
      parts.push(frames.subarray(offset));
      return Buffer.concat(parts).toString('utf8');
    }
    parts.push(frames.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  if (offset < frames.length) parts.push(frames.subarray(offset));
  return Buffer.concat(parts).toString('utf8');
}
