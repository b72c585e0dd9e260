/**
 * Topic ids: 16 bytes as 32 lowercase hex digits. The core has no randomness, so the host passes a
 * `TopicIdSource`: the real node may pass a random UUID generator, the simulator a seeded one, and
 * `topicIdSourceFrom(seed)` derives ids deterministically from a seed string (for example the
 * leader epoch and the offset the write will be appended at), so every replay agrees.
 */
import { Fnv1a64 } from './fnv1a64.js';

export type TopicIdSource = () => string;

/** The all-zero id, Kafka's "no topic id", never assigned. */
export const ZERO_TOPIC_ID = '0'.repeat(32);

const TOPIC_ID_PATTERN = /^[0-9a-f]{32}$/;

export function isTopicId(value: unknown): value is string {
  return typeof value === 'string' && TOPIC_ID_PATTERN.test(value) && value !== ZERO_TOPIC_ID;
}

/** A deterministic id source: the n-th id is two FNV-1a digests of `${seed}/${n}`. */
export function topicIdSourceFrom(seed: string): TopicIdSource {
  let n = 0;
  return () => {
    const text = `${seed}/${n++}`;
    return new Fnv1a64().updateString(`a:${text}`).hex() + new Fnv1a64().updateString(`b:${text}`).hex();
  };
}

/** Turns a UUID in its usual dashed form (as crypto.randomUUID gives) into a topic id. */
export function topicIdFromUuid(uuid: string): string {
  const hex = uuid.replaceAll('-', '').toLowerCase();
  if (!isTopicId(hex)) throw new RangeError(`"${uuid}" is not a non-zero UUID`);
  return hex;
}
