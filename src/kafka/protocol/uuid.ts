/**
 * Kafka's UUIDs (topic ids, directory ids): 16 bytes on the wire, and in text the URL-safe base64
 * of those bytes without padding (22 characters), as Kafka's `Uuid.toString` prints them.
 */
import { KafkaProtocolError } from './protocol-error.js';

export const UUID_BYTES = 16;
const UUID_TEXT_LENGTH = 22;

/** Kafka's ZERO_UUID: "no id" (an unknown directory id, a topic without one). */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function uuidFromBytes(bytes: Buffer): string {
  return bytes.toString('base64url');
}

export function uuidToBytes(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (text.length !== UUID_TEXT_LENGTH || bytes.length !== UUID_BYTES || uuidFromBytes(bytes) !== text) {
    throw new KafkaProtocolError('VALUE_OUT_OF_RANGE', `'${text}' is not a Kafka UUID (22 characters of URL-safe base64)`, {
      cause: new RangeError(`a UUID is ${UUID_BYTES} bytes, written as ${UUID_TEXT_LENGTH} base64url characters`),
    });
  }
  return bytes;
}

export function isUuid(text: string): boolean {
  if (text.length !== UUID_TEXT_LENGTH) return false;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === UUID_BYTES && uuidFromBytes(bytes) === text;
}
