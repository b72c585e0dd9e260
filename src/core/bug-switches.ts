/**
 * Bug switches: named, deliberate bugs quorumd can be started with, so that the suite can show it
 * catches each one (`quorumcheck selftest`, the suite's mutation score). Each is a realistic
 * mistake in one rule of the protocol, off by default, and a node refuses to start with any of
 * them unless the unsafe flag is given too (`unsafe.bug.switches.enable=true` beside
 * `unsafe.bug.switches=NAME,...` in server.properties; the same keys in the simulator's
 * --node-config: `quorumcheck run --node-config unsafe.bug.switches=NAME --node-config
 * unsafe.bug.switches.enable=true`; `quorumcheck selftest` runs each). The refusal
 * names the switch: nobody runs a broken quorum by accident.
 *
 * Where each is implemented, one place each:
 * - vote-before-persist:       RaftNode.grantVote
 * - vote-without-log-check:    RaftNode.candidateLogAllowsVote
 * - commit-without-majority:   LeaderState.majorityMatchOffset (its quorum count)
 * - commit-before-own-epoch:   LeaderRole.maybeAdvanceHighWatermark
 * - check-quorum-off:          LeaderRole.checkQuorumDeadlineMs
 * - pre-vote-off:              RaftNode.becomeProspective
 * - read-without-read-index:   QuorumNode.submit
 * - ack-before-apply:          QuorumNode.completeAfterApply
 * - incarnation-check-off:     RequestForwarding.claim and claimAnswer, FetchClient.claimFetchResponse,
 *                              RemoteReads.settle (every answer whose id a restart reuses)
 * and one that is not a bug but lets selftest show that an invariant, not only an assertion inside
 * the core, catches a bug:
 * - safety-assertions-off:     the core's assertions that an invariant also judges (assertSafety)
 */
import { RaftConfigError } from './raft/raft-config.js';

export const BUG_SWITCHES = {
  'vote-before-persist': 'grants a vote before the vote is durable: a crash right after forgets it, and the node may vote again in the epoch',
  'vote-without-log-check': 'grants votes and pre-votes without checking that the candidate\'s log is at least as up to date (Raft §5.4.1)',
  'commit-without-majority': 'advances the high watermark when one voter fewer than a majority holds the record (a quorum count off by one)',
  'commit-before-own-epoch': 'advances the high watermark over older epochs\' records before a record of the leader\'s own epoch is replicated (Raft figure 8)',
  'check-quorum-off': 'a leader that hears from no majority keeps leading (and serving) instead of resigning',
  'pre-vote-off': 'stands for election without a pre-vote round (KIP-996), so a node cut off from the leader disrupts the quorum when it returns',
  'read-without-read-index': 'answers linearizable reads from the local image at once, without a read-index round',
  'ack-before-apply': 'answers a client write once it is committed, before the answering node has applied it',
  'incarnation-check-off': 'takes an answer meant for its previous incarnation (a forwarded write, a DescribeQuorum or voter-change ' +
    'query, a read index, a fetch) as its own: ids start again from 1 at every start, so the answer lands on a new request of the same id',
} as const;

export type BugSwitch = keyof typeof BUG_SWITCHES;
export const BUG_SWITCH_NAMES = Object.keys(BUG_SWITCHES) as BugSwitch[];

/** Not a bug: the core skips the assertions that an invariant also judges (assert.ts assertSafety). */
export const SAFETY_ASSERTIONS_OFF = 'safety-assertions-off';
export type UnsafeSwitch = BugSwitch | typeof SAFETY_ASSERTIONS_OFF;

/** The configuration keys, in server.properties and the simulator's --node-config. */
export const BUG_SWITCHES_KEY = 'unsafe.bug.switches';
export const BUG_SWITCHES_ENABLE_KEY = 'unsafe.bug.switches.enable';

export const NO_SWITCHES: ReadonlySet<UnsafeSwitch> = new Set();

/**
 * The switches named in `names`, refused (RaftConfigError naming the first switch) unless
 * `unsafeEnabled`; an unknown name is refused too, with the known ones.
 */
export function resolveUnsafeSwitches(names: readonly string[] | undefined, unsafeEnabled: boolean | undefined): ReadonlySet<UnsafeSwitch> {
  if (names === undefined || names.length === 0) return NO_SWITCHES;
  for (const name of names) {
    if (!isUnsafeSwitch(name)) {
      throw new RaftConfigError(BUG_SWITCHES_KEY, `unknown bug switch '${name}' (known: ${[...BUG_SWITCH_NAMES, SAFETY_ASSERTIONS_OFF].join(', ')})`);
    }
  }
  if (unsafeEnabled !== true) {
    const first = names[0]!;
    const what = first === SAFETY_ASSERTIONS_OFF ? 'it turns the core\'s safety assertions off' : `it ${BUG_SWITCHES[first as BugSwitch]}`;
    throw new RaftConfigError(BUG_SWITCHES_KEY, `refusing to start with bug switch ${first}: ${what}. ` +
      `Set ${BUG_SWITCHES_ENABLE_KEY}=true to run with it anyway (tests of the test suite only)`);
  }
  return new Set(names as UnsafeSwitch[]);
}

/**
 * Whether an answer naming incarnation `named` is for this process (`own`). BUG SWITCH
 * incarnation-check-off (`takesAnyIncarnation`): every answer is, whichever incarnation it names.
 */
export function answersThisIncarnation(own: string, named: string, takesAnyIncarnation: boolean): boolean {
  return named === own || takesAnyIncarnation;
}

export function isUnsafeSwitch(name: string): name is UnsafeSwitch {
  return name === SAFETY_ASSERTIONS_OFF || Object.hasOwn(BUG_SWITCHES, name);
}
