/**
 * Topic ids: 16 bytes as 32 lowercase hex digits. The core has no randomness, so the host passes a
 * `TopicIdSource`: the real node may pass a random UUID generator, the simulator a seeded one, and
 * `topicIdSourceFrom(seed)` derives ids deterministically from a seed string (for example the
 * leader epoch and the offset the write will be appended at), so every replay agrees.
 */
import { Fnv1a64 } from './fnv1a64.js';
import { isHex32 } from './record-schema.js';

export type TopicIdSource = () => string;

/** The all-zero id, Kafka's "no topic id", never assigned. */
export const ZERO_TOPIC_ID = '0'.repeat(32);

/** A topic id: 32 lowercase hex digits (record-schema.ts's isHex32), not all zero. */
export function isTopicId(value: unknown): value is string {
  return typeof value === 'string' && isHex32(value) && value !== ZERO_TOPIC_ID;
}

/**
 * A deterministic id source: the n-th id is the FNV-1a digests of `a:${seed}/${n}` and
 * `b:${seed}/${n}`. FNV-1a reads its input byte by byte, so each prefix up to n is hashed once,
 * here, and every id hashes only n's digits after a copy of it (the same digests as hashing the
 * whole texts: UTF-8 of a concatenation is the concatenation of the parts' UTF-8 when the parts
 * meet at ASCII characters, as ":" and "/" are).
 */
export function topicIdSourceFrom(seed: string): TopicIdSource {
  let n = 0;
  const prefixA = new Fnv1a64().updateString('a:').updateString(seed).updateString('/');
  const prefixB = new Fnv1a64().updateString('b:').updateString(seed).updateString('/');
  return () => {
    const digits = String(n++);
    return prefixA.copy().updateString(digits).hex() + prefixB.copy().updateString(digits).hex();
  };
}

/** Turns a UUID in its usual dashed form (as crypto.randomUUID gives) into a topic id. */
export function topicIdFromUuid(uuid: string): string {
  const hex = uuid.replaceAll('-', '').toLowerCase();
  if (!isTopicId(hex)) throw new RangeError(`"${uuid}" is not a non-zero UUID`);
  return hex;
}
