/**
 * Every voter back in the quorum after the heal, read off node events: a follower is back once it
 * follows the newest leader in its epoch and learned a high watermark there since the heal; a
 * restart, another state or another epoch undoes it; a voter not back within the bound fails the
 * check (and a run that stopped watching early is unknown, not invalid).
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../../src/history/node-event.js';
import { checkQuorumAfterHeal } from '../../../src/run/checks/quorum-after-heal.js';
import { QuorumRejoinTracker } from '../../../src/run/checks/quorum-rejoin.js';
import type { RecoveryOutcome } from '../../../src/run/recovery.js';
import type { CollectedNodeLog } from '../../../src/run/world.js';

const MS = 1e6;
const HEALED_AT_MS = 1_000;

function leader(node: number, epoch: number, atMs: number): NodeEvent {
  return { timeNs: atMs * MS, node, kind: 'epoch-changed', epoch, state: 'leader', leaderId: node };
}
function follower(node: number, of: number, epoch: number, atMs: number): NodeEvent {
  return { timeNs: atMs * MS, node, kind: 'epoch-changed', epoch, state: 'follower', leaderId: of };
}
function highWatermark(node: number, epoch: number, atMs: number, offset = 10): NodeEvent {
  return { timeNs: atMs * MS, node, kind: 'high-watermark', epoch, highWatermark: offset };
}

function track(events: NodeEvent[], voters = [1, 2, 3]) {
  const tracker = new QuorumRejoinTracker(HEALED_AT_MS);
  for (const event of [...events].sort((a, b) => a.timeNs - b.timeNs)) tracker.observe(event);
  return tracker.result(voters);
}

function recovery(boundMs: number, watchedUntilMs: number, voters = [1, 2, 3]): RecoveryOutcome {
  return {
    ok: true, healedAtMs: HEALED_AT_MS, leaderMs: 0, recoveryMs: 50, boundMs: 22_000, restartAllowanceMs: 10_000, attempts: 1, message: '',
    quorum: { boundMs, voters, watchedUntilMs, quorumMs: null },
  };
}

function logs(events: NodeEvent[]): CollectedNodeLog[] {
  return [1, 2, 3].map((nodeId) => ({
    nodeId, roles: ['controller'], events: events.filter((event) => event.node === nodeId).sort((a, b) => a.timeNs - b.timeNs),
    logFile: null, eventsFile: null, missing: null,
  }));
}

describe('voters back in the quorum after the heal', () => {
  it('a follower is back once it learns a high watermark from the newest leader after the heal', () => {
    const result = track([leader(1, 2, 100), follower(2, 1, 2, 110), highWatermark(2, 2, 500), follower(3, 1, 2, 1_200), highWatermark(3, 2, 1_400)]);
    expect(result.leader).toEqual({ nodeId: 1, epoch: 2 });
    // Node 2's high watermark came before the heal: it is back only with the next one.
    expect(result.voters.map((voter) => voter.backAtMs)).toEqual([HEALED_AT_MS, null, 1_400]);
    expect(result.quorumMs).toBeNull();
    const later = track([leader(1, 2, 100), follower(2, 1, 2, 110), highWatermark(2, 2, 500), highWatermark(2, 2, 1_050, 11),
      follower(3, 1, 2, 1_200), highWatermark(3, 2, 1_400)]);
    expect(later.quorumMs).toBe(400);
  });

  it('a restart, a new epoch or following an old leader undoes being back', () => {
    const base = [leader(1, 2, 100), follower(2, 1, 2, 1_100), highWatermark(2, 2, 1_150), follower(3, 1, 2, 1_100), highWatermark(3, 2, 1_150)];
    expect(track(base).quorumMs).toBe(150);
    const restarted: NodeEvent = { timeNs: 1_300 * MS, node: 3, kind: 'restarted', epoch: 2 };
    expect(track([...base, restarted]).voters[2]!.backAtMs).toBeNull();
    // Node 3 restarts following node 1 from its disk: back only once it learns a high watermark again.
    expect(track([...base, restarted, follower(3, 1, 2, 1_300)]).voters[2]!.backAtMs).toBeNull();
    expect(track([...base, restarted, follower(3, 1, 2, 1_300), highWatermark(3, 2, 1_320, 12)]).voters[2]!.backAtMs).toBe(1_320);
    // A prospective node 2 is out; a leader of a newer epoch makes everyone start again.
    expect(track([...base, { timeNs: 1_400 * MS, node: 2, kind: 'epoch-changed', epoch: 2, state: 'prospective', leaderId: null }]).voters[1]!.backAtMs).toBeNull();
    const newer = track([...base, leader(3, 3, 1_500)]);
    expect(newer.leader).toEqual({ nodeId: 3, epoch: 3 });
    expect(newer.voters.map((voter) => voter.backAtMs)).toEqual([null, null, 1_500]);
  });

  it('the check fails a voter not back within the bound, and is unknown when the run stopped watching early', () => {
    const events = [leader(1, 2, 100), follower(2, 1, 2, 1_100), highWatermark(2, 2, 1_150), follower(3, 1, 2, 9_000), highWatermark(3, 2, 9_100)];
    const inTime = checkQuorumAfterHeal(recovery(12_000, 9_100), logs(events));
    expect(inTime.check.verdict).toBe('valid');
    expect(inTime.rejoin?.quorumMs).toBe(8_100);
    const late = checkQuorumAfterHeal(recovery(5_000, 9_100), logs(events));
    expect(late.check.verdict).toBe('invalid');
    expect(late.check.message).toContain('node 3 (back only 8100 ms after healing)');
    const never = events.slice(0, 3);
    const watchedOut = checkQuorumAfterHeal(recovery(5_000, HEALED_AT_MS + 5_000), logs(never));
    expect(watchedOut.check.verdict).toBe('invalid');
    expect(watchedOut.check.message).toMatch(/node 3 \(no events\)/);
    expect(checkQuorumAfterHeal(recovery(5_000, HEALED_AT_MS + 2_000), logs(never)).check.verdict).toBe('unknown');
    expect(checkQuorumAfterHeal(null, logs(events)).check.verdict).toBe('unknown');
  });
});
