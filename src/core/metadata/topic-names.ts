/**
 * Kafka's rules for legal topic names: 1 to 249 characters from [a-zA-Z0-9._-], and neither "."
 * nor "..". (Collisions between "." and "_" are checked against the image in plan-write.ts.)
 */

export const TOPIC_NAME_LENGTH_MAX = 249;

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

/** Why `name` is not a legal topic name, or null when it is. */
export function topicNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return `topic name must be a string, got ${typeof name}`;
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > TOPIC_NAME_LENGTH_MAX) {
    return `topic name is ${name.length} characters long, more than the ${TOPIC_NAME_LENGTH_MAX} allowed`;
  }
  if (!LEGAL_TOPIC_NAME.test(name)) {
    return `topic name "${name}" contains characters other than ASCII letters, digits, ".", "_" and "-"`;
  }
  return null;
}
