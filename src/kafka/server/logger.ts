/**
 * The logger the Kafka front writes to: a message and the fields that identify what it is about
 * (connection, API, correlation id). The host (quorumd) turns these into its human log lines with
 * `kafkaLoggerTo`; tests pass a recording one to assert that a dropped connection was logged with
 * its reason. Per-connection happenings are `debug`, so a host logging at INFO does not write a
 * line for every connection a client opens.
 */
export interface KafkaLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type KafkaLogLevel = keyof KafkaLogger;

export const silentLogger: KafkaLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A KafkaLogger whose entries become one line each: `message (key=value, key=value)`. */
export function kafkaLoggerTo(write: (level: KafkaLogLevel, line: string) => void): KafkaLogger {
  const at = (level: KafkaLogLevel) => (message: string, fields?: Record<string, unknown>) => write(level, formatLogEntry(message, fields));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** `closing connection (connectionId=3, remote=10.0.0.2:51234, code=BAD_FRAME_SIZE)`. */
export function formatLogEntry(message: string, fields?: Record<string, unknown>): string {
  if (fields === undefined) return message;
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return parts.length === 0 ? message : `${message} (${parts.join(', ')})`;
}
