/**
 * The logger the Kafka front writes to. The host (quorumd) passes its own; tests pass a
 * recording one to assert that a dropped connection was logged with its reason.
 */
export interface KafkaLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: KafkaLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One JSON object per line on stderr, so logs stay machine-readable next to the node event log. */
export function jsonLinesLogger(write: (line: string) => void = (line) => process.stderr.write(line)): KafkaLogger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    write(`${JSON.stringify({ level, component: 'kafka', message, ...fields })}\n`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
