/**
 * Rules that judge one situation, which a run may never meet: there a valid verdict would say the
 * rule held when it judged nothing, so such a rule is said not judged, with why, and a judged one
 * says how much it judged. What each counts is the only situation that can break it:
 * - CheckQuorum: a leadership superseded by a later epoch's leader while still held, its holder
 *   seen again (acting as leader or stepping down) before a restart: a leader cut off from its
 *   voters long enough for them to elect another. A leader killed, or never cut off, is not one.
 * - StableLeadership: a leader a majority of voters followed in its armed window; with none
 *   (no leader, or none followed), no election could be needless.
 * - AtMostOneUncommittedVoterSet: a voter change uncommitted in a leader's log; only while one is
 *   can a second break the rule.
 * - SnapshotAtLogStart: a snapshot a node reported holding.
 * - LeaderNeverLoadSnapshot: a snapshot loaded (at start-up or fetched from the leader): only a
 *   load can break it, so snapshots taken and never loaded leave it nothing to judge.
 * Linearizability with no operation completed ok is the same case (linearizabilityNotJudged).
 */
import type { SituationalRule } from '../../checker/invariants/invariant-checker.js';
import { NEMESIS_PROCESS, type Operation } from '../../history/operation.js';

/** What a situational rule judged (`judged`, added to a valid check's message), or why it judged nothing. */
export type Situation = { judged: string } | { notJudged: string };

export function situationOf(
  rule: string, situations: Readonly<Partial<Record<SituationalRule, number>>>, nemesis: readonly string[],
): Situation | undefined {
  const count = situations[rule as SituationalRule];
  if (count === undefined) return undefined;
  switch (rule as SituationalRule) {
    case 'CheckQuorum':
      return count > 0
        ? { judged: `judged on ${plural(count, 'leader')} superseded while ${count === 1 ? 'it' : 'they'} still led` }
        : {
          notJudged: 'not judged: no leader was cut off from its voters long enough for them to elect another while it still led ' +
            '(every leader kept its voters, stepped down first or was killed), so there was no stale leader to judge',
        };
    case 'StableLeadership':
      return count > 0
        ? { judged: `judged on ${plural(count, 'leadership')} a majority settled on in that window` }
        : {
          notJudged: 'not judged: in its window no leader of the newest epoch had a majority of voters following it, ' +
            'so there was no settled leadership to interrupt (availability and quorum-after-heal judge whether one was due)',
        };
    case 'AtMostOneUncommittedVoterSet':
      return count > 0
        ? { judged: `judged on ${plural(count, 'voter change')} uncommitted in a leader's log` }
        : {
          notJudged: 'not judged: no voter change was ever written to a leader\'s log' +
            (nemesis.includes('membership') ? '' : ' (no membership faults)') + ', and only a second one before the first commits breaks the rule',
        };
    case 'SnapshotAtLogStart':
      return count > 0
        ? { judged: `judged on ${plural(count, 'snapshot')} reported` }
        : { notJudged: 'not judged: no node took or installed a snapshot, so no log start was set by one' };
    case 'LeaderNeverLoadSnapshot': {
      if (count > 0) return { judged: `judged on ${plural(count, 'snapshot load')}` };
      const held = situations.SnapshotAtLogStart ?? 0;
      return {
        notJudged: 'not judged: no node loaded a snapshot (at start-up or from the leader)' +
          (held > 0 ? ` although ${plural(held, 'snapshot')} were reported` : ', none was taken') + ', and only a load can break the rule',
      };
    }
    default:
      return undefined;
  }
}

/**
 * Why linearizability judged nothing, or null if it judged something: a history in which no
 * client operation completed ok is linearizable whatever the system did (a failed operation did
 * not happen; an indeterminate one may or may not have, and shows no answer to explain).
 */
export function linearizabilityNotJudged(history: readonly Operation[]): string | null {
  let invoked = 0;
  let failed = 0;
  for (const op of history) {
    if (op.process === NEMESIS_PROCESS) continue;
    if (op.type === 'ok') return null;
    if (op.type === 'invoke') invoked += 1;
    else if (op.type === 'fail') failed += 1;
  }
  const detail = invoked === 0 ? 'no client operation was invoked' : `none of the ${plural(invoked, 'client operation')} completed ok (${failed} failed, ${invoked - failed} indeterminate)`;
  return `not judged: ${detail}, and a history without an answer is linearizable whatever the system did`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
