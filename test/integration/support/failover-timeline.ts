/**
 * Where the time of one failover goes: from the moment the leader was killed, the survivors' own
 * records (their human log lines and their event log files) say when each step happened. Event
 * stamps are CLOCK_MONOTONIC nanoseconds, shared by every process on the machine, so the harness
 * stamps the kill with `process.hrtime.bigint()`; log lines carry wall-clock milliseconds, so it
 * stamps the kill with `Date.now()` as well.
 *
 * Steps, each in ms after the kill (null when the records do not show it):
 * - noticed: a survivor's transport saw its connection to the killed leader drop;
 * - reported: a survivor's transport told its quorum node the leader is unreachable;
 * - prospective / candidate: the first survivor entered that state;
 * - leader: a survivor became leader of a newer epoch;
 * - epochCommitted: the new leader committed the first record of its own epoch (it may serve
 *   writes and linearizable reads only from then on);
 * - answered / acknowledged: given by the client (first answer of any kind from a survivor after
 *   the epoch committed, first acknowledged CreateTopics).
 */
import type { NodeEvent } from '../../../src/history/node-event.js';

export interface FailoverRecords {
  killedLeader: number;
  killedAtNs: bigint;
  killedAtWallMs: number;
  /** Each survivor's event log file text and the human log it printed (stdout and stderr). */
  survivors: { nodeId: number; eventLog: string; output: string }[];
}

export interface FailoverTimeline {
  noticedMs: number | null;
  reportedMs: number | null;
  prospectiveMs: number | null;
  candidateMs: number | null;
  leaderMs: number | null;
  epochCommittedMs: number | null;
  newLeader: number | null;
  newEpoch: number | null;
}

/** Steps in order, for printing: the timeline's field and its label. */
export const FAILOVER_STEPS = [
  ['noticedMs', 'leader connection dropped'],
  ['reportedMs', 'unreachable reported to the core'],
  ['prospectiveMs', 'prospective'],
  ['candidateMs', 'candidate'],
  ['leaderMs', 'leader'],
  ['epochCommittedMs', "new epoch's first record committed"],
] as const satisfies readonly (readonly [keyof FailoverTimeline, string])[];

/** `[2026-11-21 07:44:04,123] WARN [QuorumNode id=1] message` (node-logger.ts), time in UTC. */
const LOG_LINE = /^\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})\] \w+ \[[^\]]*\] (.*)$/;

export function failoverTimeline(records: FailoverRecords): FailoverTimeline {
  const leader = records.killedLeader;
  const sinceKillNs = (timeNs: number): number => Number(BigInt(timeNs) - records.killedAtNs) / 1e6;
  // Log stamps are truncated to the millisecond, so a line written just after the kill may carry
  // the kill's own millisecond.
  const killedWallMs = Math.floor(records.killedAtWallMs);
  const lineTimes = (pattern: RegExp): number[] => records.survivors.flatMap((s) => s.output.split('\n').flatMap((line) => {
    const match = LOG_LINE.exec(line);
    if (match === null || !pattern.test(match[4]!)) return [];
    const wallMs = Date.parse(`${match[1]}T${match[2]}.${match[3]}Z`);
    return wallMs >= killedWallMs ? [wallMs - records.killedAtWallMs] : [];
  }));
  const events = records.survivors.flatMap((s) => parseEvents(s.eventLog, s.nodeId))
    .filter((e) => BigInt(e.timeNs) >= records.killedAtNs)
    .sort((a, b) => a.timeNs - b.timeNs);
  const first = (predicate: (e: NodeEvent) => boolean): NodeEvent | undefined => events.find(predicate);
  const stateAt = (state: string): number | null => {
    const event = first((e) => e.kind === 'epoch-changed' && e.state === state);
    return event === undefined ? null : sinceKillNs(event.timeNs);
  };
  const became = first((e) => e.kind === 'became-leader' && e.node !== leader);
  const committed = became === undefined ? undefined
    : first((e) => e.kind === 'committed' && e.node === became.node && e.recordEpoch === became.epoch);
  return {
    noticedMs: earliest(lineTimes(new RegExp(`^Connection to voter ${leader} `))),
    reportedMs: earliest(lineTimes(new RegExp(`^Voter ${leader} unreachable `))),
    prospectiveMs: stateAt('prospective'),
    candidateMs: stateAt('candidate'),
    leaderMs: became === undefined ? null : sinceKillNs(became.timeNs),
    epochCommittedMs: committed === undefined ? null : sinceKillNs(committed.timeNs),
    newLeader: became?.node ?? null,
    newEpoch: became?.epoch ?? null,
  };
}

function earliest(times: number[]): number | null {
  return times.length === 0 ? null : Math.min(...times);
}

/** One JSON object per line; a torn last line (the writer was killed mid-line) is skipped. */
function parseEvents(text: string, nodeId: number): NodeEvent[] {
  const lines = text.split('\n');
  const events: NodeEvent[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as NodeEvent);
    } catch (error) {
      if (index === lines.length - 1) continue;
      throw new Error(`node ${nodeId}'s event log line ${index + 1} is not JSON: ${(error as Error).message}`);
    }
  }
  return events;
}
