/** A KafkaLogger that keeps every entry, so tests can assert what was logged and why. */
import type { KafkaLogger } from '../../../src/kafka/server/logger.js';

export interface LogEntry {
  level: keyof KafkaLogger;
  message: string;
  fields: Record<string, unknown>;
}

export class RecordingLogger implements KafkaLogger {
  readonly entries: LogEntry[] = [];
  debug = (message: string, fields: Record<string, unknown> = {}) => void this.entries.push({ level: 'debug', message, fields });
  info = (message: string, fields: Record<string, unknown> = {}) => void this.entries.push({ level: 'info', message, fields });
  warn = (message: string, fields: Record<string, unknown> = {}) => void this.entries.push({ level: 'warn', message, fields });
  error = (message: string, fields: Record<string, unknown> = {}) => void this.entries.push({ level: 'error', message, fields });

  withCode(code: string): LogEntry[] {
    return this.entries.filter((entry) => entry.fields.code === code);
  }
}
