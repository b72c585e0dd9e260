/**
 * failoverTimeline reads the steps of one failover out of the survivors' log lines and event
 * logs, each in ms after the kill; records from before the kill, from the killed node's own
 * epoch or of the wrong epoch do not count.
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../src/history/node-event.js';
import { failoverTimeline } from './support/failover-timeline.js';

const KILLED_NS = 5_000_000_000_000n;
const KILLED_WALL_MS = Date.parse('2026-11-21T09:00:00.000Z');

/** An event `ms` after the kill (negative: before it). */
function event(ms: number, fields: Omit<NodeEvent, 'timeNs'>): string {
  return JSON.stringify({ timeNs: Number(KILLED_NS + BigInt(Math.round(ms * 1e6))), ...fields });
}

function logLine(ms: number, level: string, message: string): string {
  const stamp = new Date(KILLED_WALL_MS + ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
  return `[${stamp}] ${level} [QuorumNode id=2] ${message}`;
}

describe('failoverTimeline', () => {
  it('finds each step after the kill, on whichever survivor it happened', () => {
    const node2 = [
      event(-500, { node: 2, kind: 'epoch-changed', epoch: 3, state: 'prospective' }),
      event(-400, { node: 2, kind: 'became-leader', epoch: 3, leaderId: 2 }),
      event(120, { node: 2, kind: 'epoch-changed', epoch: 4, state: 'prospective', leaderId: 1 }),
      event(300, { node: 2, kind: 'epoch-changed', epoch: 5, state: 'follower', leaderId: 3 }),
    ].join('\n');
    const node3 = [
      event(90, { node: 3, kind: 'epoch-changed', epoch: 4, state: 'prospective', leaderId: 1 }),
      event(140, { node: 3, kind: 'epoch-changed', epoch: 5, state: 'candidate', votedFor: 3 }),
      event(160, { node: 3, kind: 'became-leader', epoch: 5, leaderId: 3 }),
      // A record of the old epoch committed by the new leader is not its epoch's first record.
      event(170, { node: 3, kind: 'committed', epoch: 5, offset: 40, recordEpoch: 4 }),
      event(185, { node: 3, kind: 'committed', epoch: 5, offset: 41, recordEpoch: 5 }),
      // A torn last line: the writer was killed mid-line (here it is only cut short).
      '{"timeNs":',
    ].join('\n');
    const output2 = [
      logLine(-3000, 'WARN', 'Connection to voter 1 at 127.0.0.1:9 closed; reconnecting'),
      logLine(15, 'WARN', 'Voter 3 unreachable (ECONNREFUSED): reported to the quorum'),
      logLine(31, 'WARN', 'Voter 1 unreachable (closed by the voter): reported to the quorum'),
      logLine(31, 'WARN', 'Connection to voter 1 at 127.0.0.1:9 closed; reconnecting'),
      'a line that is not a log line',
    ].join('\n');
    const output3 = logLine(44, 'WARN', 'Connection to voter 1 at 127.0.0.1:9 failed: ECONNRESET; reconnecting');
    const timeline = failoverTimeline({
      killedLeader: 1, killedAtNs: KILLED_NS, killedAtWallMs: KILLED_WALL_MS,
      survivors: [{ nodeId: 2, eventLog: node2, output: output2 }, { nodeId: 3, eventLog: node3, output: output3 }],
    });
    expect(timeline).toEqual({
      noticedMs: 31, reportedMs: 31, prospectiveMs: 90, candidateMs: 140, leaderMs: 160, epochCommittedMs: 185,
      newLeader: 3, newEpoch: 5,
    });
  });

  it('leaves out steps the records do not show', () => {
    const timeline = failoverTimeline({
      killedLeader: 1, killedAtNs: KILLED_NS, killedAtWallMs: KILLED_WALL_MS,
      survivors: [{ nodeId: 2, eventLog: event(50, { node: 2, kind: 'epoch-changed', epoch: 4, state: 'prospective' }), output: '' }],
    });
    expect(timeline).toEqual({
      noticedMs: null, reportedMs: null, prospectiveMs: 50, candidateMs: null, leaderMs: null, epochCommittedMs: null,
      newLeader: null, newEpoch: null,
    });
  });

  it('names the node whose event log holds a line that is not JSON', () => {
    expect(() => failoverTimeline({
      killedLeader: 1, killedAtNs: KILLED_NS, killedAtWallMs: KILLED_WALL_MS,
      survivors: [{ nodeId: 2, eventLog: 'not json\n', output: '' }],
    })).toThrow(/node 2's event log line 1 is not JSON/);
  });
});
