/**
 * Kafka-style random uuids, as `kafka-storage random-uuid` prints them: 16 random bytes in
 * base64url without padding (22 characters). Like Kafka, never the all-zero id and never one
 * starting with '-', which a command line would read as an option.
 */
import { randomBytes } from 'node:crypto';

export function randomKafkaUuid(bytes: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const raw = bytes();
    if (raw.length !== 16) throw new RangeError(`a uuid needs 16 random bytes, got ${raw.length}`);
    if (raw.every((byte) => byte === 0)) continue;
    const text = raw.toString('base64url');
    if (!text.startsWith('-')) return text;
  }
}
