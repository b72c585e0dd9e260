/**
 * The one error type of the Kafka wire layer. Every failure to read, write or frame Kafka bytes
 * is a `KafkaProtocolError` with a stable `code` (tests and the connection handler branch on
 * it, never on the message) and a `cause` that says exactly what was wrong and where.
 */

export type KafkaProtocolErrorCode =
  /** A read needed more bytes than the buffer holds. */
  | 'TRUNCATED'
  /** A length or element count is negative (other than the null marker) or larger than the bytes left. */
  | 'BAD_LENGTH'
  /** A varint ran past its maximum width. */
  | 'BAD_VARINT'
  /** A field that may not be null was null on the wire. */
  | 'NULL_NOT_ALLOWED'
  /** A message was decoded but bytes were left over after its last field. */
  | 'TRAILING_BYTES'
  /** A value does not fit the wire type it is written as. */
  | 'VALUE_OUT_OF_RANGE'
  /** A frame's size prefix is negative or above the configured maximum. */
  | 'BAD_FRAME_SIZE'
  /** The request names an API key this server does not serve. */
  | 'UNKNOWN_API_KEY'
  /** The request names a version of a served API outside its supported range. */
  | 'UNSUPPORTED_VERSION'
  /** A message (header or body) could not be decoded; the cause holds the lower-level error. */
  | 'MALFORMED_MESSAGE';

export class KafkaProtocolError extends Error {
  override readonly name = 'KafkaProtocolError';
  readonly code: KafkaProtocolErrorCode;

  constructor(code: KafkaProtocolErrorCode, message: string, options: { cause: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }
}

export function isKafkaProtocolError(error: unknown): error is KafkaProtocolError {
  return error instanceof KafkaProtocolError;
}
