/**
 * quorumd's human log: one line per happening, in the layout of Kafka's own log4j pattern
 * (src/history/node-log-line.ts says it exactly), all on standard output, so one stream keeps the
 * order in which things happened. Lines below the configured level (`log.level` in server.properties, INFO by default)
 * are not written: connection-by-connection chatter is DEBUG, so a fuzzing client does not bury
 * the elections. The record for machines is the JSON event log (event-log-file.ts); quorumcheck's
 * report parses these lines to show a node's log around a failure, and maps their wall-clock times
 * onto the event log's monotonic `timeNs` with the clock-anchor line written at start-up
 * (`logClockAnchor`).
 */
import { clockAnchorMessage, formatNodeLogLine, LOG_LEVELS, type LogLevel } from '../history/node-log-line.js';

export { LOG_LEVELS, type LogLevel };
export const LOG_LEVEL_DEFAULT: LogLevel = 'INFO';

export interface NodeLogger {
  debug(line: string): void;
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** The same node's logger for another component (e.g. "SocketServer"), at the same level. */
  component(name: string): NodeLogger;
}

export interface LineLoggerOptions {
  nodeId: number;
  /** Lines below this level are dropped (default INFO). */
  level?: LogLevel;
  component?: string;
  /** Where a finished line goes, newline included (default: standard output). */
  write?: (text: string) => void;
  now?: () => Date;
}

/** A logger writing Kafka-layout lines; see the module comment. */
export function lineNodeLogger(options: LineLoggerOptions): NodeLogger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? LOG_LEVEL_DEFAULT);
  const write = options.write ?? ((text: string) => { process.stdout.write(text); });
  const now = options.now ?? (() => new Date());
  const make = (component: string): NodeLogger => {
    const tag = `${component} id=${options.nodeId}`;
    const at = (level: LogLevel) => LOG_LEVELS.indexOf(level) > threshold
      ? () => undefined
      : (line: string) => write(formatNodeLogLine(now(), level, tag, line));
    return { debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR'), component: make };
  };
  return make(options.component ?? 'QuorumNode');
}

export function consoleNodeLogger(nodeId: number, level: LogLevel = LOG_LEVEL_DEFAULT): NodeLogger {
  return lineNodeLogger({ nodeId, level });
}

/** Collects `LEVEL line` strings, for tests; every level is kept. */
export function memoryNodeLogger(lines: string[] = []): NodeLogger & { lines: string[] } {
  const logger = {
    lines,
    debug: (line: string) => { lines.push(`DEBUG ${line}`); },
    info: (line: string) => { lines.push(`INFO ${line}`); },
    warn: (line: string) => { lines.push(`WARN ${line}`); },
    error: (line: string) => { lines.push(`ERROR ${line}`); },
    component: () => logger,
  };
  return logger;
}

/**
 * One INFO line pairing this line's wall-clock time with the monotonic clock that stamps the
 * event log (`Clock anchor: monotonic time 81234567890123 ns`), so a reader can place every
 * later line of this process on the events' time axis. Written once per process start.
 */
export function logClockAnchor(logger: NodeLogger, monotonicNs: number): void {
  logger.info(clockAnchorMessage(monotonicNs));
}

/** Parses a `log.level` value (Kafka's level names, any case); null when it is not one. */
export function parseLogLevel(text: string): LogLevel | null {
  const upper = text.trim().toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(upper) ? upper as LogLevel : null;
}
