/**
 * A node's human log lines around a moment of the run (the failure), placed on the run's time
 * axis: each entry's wall-clock time is carried onto the event log's monotonic clock by the
 * latest clock-anchor line before it (src/history/node-log-line.ts). The simulator's event lines
 * (`  1234.000 ms  n2  epoch-changed ...`, src/sim/transcript.ts) carry the run's own clock and are
 * placed as they are. A log that cannot be placed, or a run without a failure moment, gets its
 * last lines instead, and the excerpt says so.
 */
import { parseClockAnchor, parseNodeLogLine } from '../history/node-log-line.js';

export interface ExcerptLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  /** Seconds since the run's time origin; null when the line cannot be placed. */
  timeS: number | null;
  level: string | null;
  /** This line is the first at or after the moment the excerpt is about. */
  atMoment: boolean;
}

export interface LogExcerpt {
  lines: ExcerptLine[];
  totalLines: number;
  /** How the lines were chosen, in words. */
  note: string;
}

export interface ExcerptOptions {
  /** The run's time origin (monotonic ns), and the moment to centre on (null: none). */
  originNs: number;
  momentNs: number | null;
  /** The run's end: a log placed wholly outside [origin, end] (give or take a minute) is on another clock. */
  endNs?: number;
  linesBefore?: number;
  linesAfter?: number;
}

interface Entry {
  first: number;
  texts: string[];
  wallMs: number | null;
  level: string | null;
  /** The monotonic ns this entry anchors, when it is a clock-anchor line. */
  anchorNs: number | null;
  timeNs: number | null;
}

export function logExcerpt(text: string, options: ExcerptOptions): LogExcerpt {
  const before = options.linesBefore ?? 30;
  const after = options.linesAfter ?? 20;
  const entries = placeEntries(groupEntries(text));
  const totalLines = entries.reduce((sum, entry) => sum + entry.texts.length, 0);
  const onOtherClock = options.endNs !== undefined && entries.some((entry) => entry.timeNs !== null) &&
    !entries.some((entry) => entry.timeNs !== null && entry.timeNs >= options.originNs - CLOCK_SLACK_NS && entry.timeNs <= options.endNs! + CLOCK_SLACK_NS);
  if (onOtherClock) for (const entry of entries) entry.timeNs = null;
  const anchored = entries.some((entry) => entry.timeNs !== null);
  const placedBy = entries.some((entry) => entry.anchorNs !== null) ? "the log's clock anchor" : 'the run clock in each line';
  const moment = options.momentNs;
  let from: number;
  let to: number;
  let note: string;
  let momentEntry = -1;
  if (moment !== null && anchored) {
    momentEntry = entries.findIndex((entry) => entry.timeNs !== null && entry.timeNs >= moment);
    const centre = momentEntry === -1 ? entries.length : momentEntry;
    from = Math.max(0, centre - before);
    to = Math.min(entries.length, centre + after);
    note = momentEntry === -1
      ? `The log ends before the moment of the failure; its last ${to - from} entries are shown.`
      : `Entries around the failure at ${seconds(moment - options.originNs)}, placed by ${placedBy}.`;
  } else {
    from = Math.max(0, entries.length - before - after);
    to = entries.length;
    note = moment === null ? `The last ${to - from} entries.`
      : onOtherClock ? `This log's clock anchor does not match the run's clock (its lines fall outside the run), so its entries cannot be placed; the last ${to - from} are shown.`
        : `This log has no clock-anchor line, so its entries cannot be placed on the run's time axis; the last ${to - from} are shown.`;
  }
  const lines = entries.slice(from, to).flatMap((entry, offset) => entry.texts.map((lineText, i): ExcerptLine => ({
    line: entry.first + i,
    text: lineText,
    timeS: entry.timeNs === null ? null : Math.round((entry.timeNs - options.originNs) / 1000) / 1e6,
    level: entry.level,
    atMoment: from + offset === momentEntry && i === 0,
  })));
  return { lines, totalLines, note };
}

/** How far outside the run a placed log may reach and still be on the run's clock. */
const CLOCK_SLACK_NS = 60e9;

/** A simulator event line: milliseconds on the run's clock, then the node. */
const RUN_CLOCK_LINE = /^\s*(\d+(?:\.\d+)?) ms {2}n\d+ {2}/;

/** Lines grouped into entries: a line in neither layout continues the entry before it. */
function groupEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, index) => {
    const parsed = parseNodeLogLine(line);
    const last = entries[entries.length - 1];
    if (parsed === null && !RUN_CLOCK_LINE.test(line) && last !== undefined) {
      last.texts.push(line);
      return;
    }
    const runClock = parsed === null ? RUN_CLOCK_LINE.exec(line) : null;
    entries.push({
      first: index + 1, texts: [line], wallMs: parsed?.wallMs ?? null, level: parsed?.level ?? null,
      anchorNs: parsed === null ? null : parseClockAnchor(parsed.message),
      timeNs: runClock === null ? null : Math.round(Number(runClock[1]) * 1e6),
    });
  });
  return entries;
}

/** Monotonic time of each entry from the latest anchor before it (the first anchor for entries before any). */
function placeEntries(entries: Entry[]): Entry[] {
  const first = entries.find((entry) => entry.anchorNs !== null && entry.wallMs !== null);
  if (first === undefined) return entries;
  let anchor = { wallMs: first.wallMs!, anchorNs: first.anchorNs! };
  for (const entry of entries) {
    if (entry.wallMs === null) continue;
    if (entry.anchorNs !== null) anchor = { wallMs: entry.wallMs, anchorNs: entry.anchorNs };
    entry.timeNs = anchor.anchorNs + (entry.wallMs - anchor.wallMs) * 1e6;
  }
  return entries;
}

function seconds(durationNs: number): string {
  return `${(durationNs / 1e9).toFixed(3)} s`;
}
