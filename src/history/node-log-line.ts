/**
 * The human log line of a node, in the layout of Kafka's own log4j pattern, written by quorumd
 * (src/node/node-logger.ts) and read by quorumcheck's report to show a node's lines around a
 * failure:
 *
 *   [2026-11-21 07:44:04,123] INFO [QuorumNode id=1] Completed transition to FollowerState(...)
 *
 * Wall-clock time in UTC to the millisecond (comma before the milliseconds, as log4j writes it),
 * the level, the component in brackets, the message. A message of several lines keeps its later
 * lines indented by a tab, so one entry is still one entry to a reader.
 *
 * The event log is stamped with a monotonic clock (`timeNs`), the human log with the wall clock.
 * The clock-anchor line written once per process start pairs the two: its own time is the wall
 * clock, its message the monotonic time at the same moment.
 */
export const LOG_LEVELS = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const CLOCK_ANCHOR_PREFIX = 'Clock anchor: monotonic time ';

export interface NodeLogEntry {
  /** Wall-clock milliseconds since the Unix epoch. */
  wallMs: number;
  level: string;
  component: string;
  message: string;
}

export function formatNodeLogLine(time: Date, level: LogLevel, component: string, message: string): string {
  const body = message.includes('\n') ? message.replace(/\n/g, '\n\t') : message;
  const stamp = time.toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
  return `[${stamp}] ${level} [${component}] ${body}\n`;
}

export function clockAnchorMessage(monotonicNs: number): string {
  return `${CLOCK_ANCHOR_PREFIX}${monotonicNs} ns`;
}

const LINE = /^\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})\] ([A-Z]+) \[([^\]]*)\] ?(.*)$/;

/** One line in the layout, or null for a line that is not (a continuation, or other output). */
export function parseNodeLogLine(line: string): NodeLogEntry | null {
  const match = LINE.exec(line);
  if (match === null) return null;
  const wallMs = Date.parse(`${match[1]}T${match[2]}.${match[3]}Z`);
  if (!Number.isFinite(wallMs)) return null;
  return { wallMs, level: match[4]!, component: match[5]!, message: match[6]! };
}

/** The monotonic nanoseconds of a clock-anchor message, or null when the message is not one. */
export function parseClockAnchor(message: string): number | null {
  if (!message.startsWith(CLOCK_ANCHOR_PREFIX)) return null;
  const value = Number(/^(\d+) ns/.exec(message.slice(CLOCK_ANCHOR_PREFIX.length))?.[1]);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * The log text with every clock anchor moved by `offsetNs`: a world that moves its node events
 * onto the run's clock (subtracting the run's origin from the kernel's monotonic time) moves the
 * anchors the same way, so the human log stays placed on the same axis as the events.
 */
export function shiftClockAnchors(text: string, offsetNs: number): string {
  return text.replace(/^(\[[^\]]*\] [A-Z]+ \[[^\]]*\] Clock anchor: monotonic time )(\d+)( ns)$/gm,
    (_, head: string, value: string, tail: string) => `${head}${Number(value) + offsetNs}${tail}`);
}
