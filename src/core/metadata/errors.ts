/**
 * The Kafka error names the metadata state machine answers with, and their numeric codes. This is a
 * small table of the errors the metadata core itself produces; the Kafka front keeps the full table
 * and uses the same names, so a name produced here can be looked up there unchanged.
 */

export const METADATA_ERROR_CODES = {
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  POLICY_VIOLATION: 44,
  STALE_BROKER_EPOCH: 77,
  DUPLICATE_BROKER_REGISTRATION: 101,
  BROKER_ID_NOT_REGISTERED: 102,
} as const;

export type MetadataErrorName = keyof typeof METADATA_ERROR_CODES;

/** A definite refusal: the operation had no effect, and the name says why. */
export interface MetadataError {
  ok: false;
  error: MetadataErrorName;
  /** The Kafka numeric error code of `error`. */
  code: number;
  /** What was wrong, in words, naming the offending input. */
  message: string;
}

export function metadataError(error: MetadataErrorName, message: string): MetadataError {
  return { ok: false, error, code: METADATA_ERROR_CODES[error], message };
}

export function isMetadataError(value: unknown): value is MetadataError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as MetadataError).ok === false &&
    typeof (value as MetadataError).error === 'string'
  );
}

/**
 * Thrown when a record cannot be applied to an image (it names a topic the image does not hold, a
 * partition out of range...). Records reach the image only after the controller validated them,
 * so this is a broken invariant, not an expected failure: it stops the node loudly.
 */
export class MetadataInvariantError extends Error {
  override readonly name = 'MetadataInvariantError';
}
