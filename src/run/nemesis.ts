/**
 * The nemesis side of the generator: it plays a fault schedule (faults/schedule.ts) on a world.
 * Each entry waits for its time, resolves its symbolic target against the cluster as it is then
 * (the leader the world reports, the nodes other faults hold), applies the fault through the
 * world's mechanism, holds it, and undoes it. Both ends are recorded as `info` operations of
 * process "nemesis" (`start-<kind>` and `stop-<kind>`, carrying the entry id and the resolved
 * targets), and the entry as resolved goes to schedule.json.
 *
 * A node holds at most one process fault (kill, pause, stop, a vote-kill's kill) and one clock fault at a time; the
 * schedule keeps partitions, loss and voter changes from overlapping. A mechanism that fails (a
 * container gone) is recorded with its error and the run goes on: the fault simply did not happen.
 *
 * Voter changes (membership entries, KIP-853) go through the world's MembershipMechanisms: the
 * cluster answers each one, and its answer (ok, failed, unknown) is part of the entry's note, since
 * a refused change (another one uncommitted, an observer not caught up) is the system's behaviour,
 * not a broken mechanism. A voter is removed only while more than half the initial voter count
 * remain, so the faults never shrink the quorum away.
 */
import { describeGrudge, HEALED } from '../faults/grudge.js';
import { resolveTarget, type NodeTarget } from '../faults/node-targets.js';
import { partitionShape } from '../faults/partition-shapes.js';
import { describeFaultAction, VOTE_KILL_GAP_MS, type FaultEntry, type FaultSchedule, type ResolvedFault } from '../faults/schedule.js';
import type { HistoryRecorder } from '../history/history-recorder.js';
import type { SeededRandom } from '../sim/random.js';
import type { ProgressSink } from './progress.js';
import type { GrantedVote, MembershipMechanisms, MembershipOutcome, VoterKey, World } from './world.js';

/** A voter change refused before anything was written is tried this many times in all... */
const MEMBERSHIP_TRIES = 6;
/** ...this long apart. */
const MEMBERSHIP_RETRY_MS = 1_000;
/** A node killed behind a paused leader is down this long each time: back while the leader is still paused. */
const BEHIND_PAUSE_DOWN_MS = 20;
/**
 * Kills of each node behind a paused leader. Each incarnation but the last forwards to the paused
 * leader, and the answers to all of them reach the last: with more incarnations, more of the last
 * one's request ids meet an earlier one's answer. Measured with incarnation-check-off over default
 * seeds 1-150 (every kill entry drawn so, 1.9 s pauses): 2 kills caught it in 7 %, 4 in 10 %.
 */
const BEHIND_PAUSE_KILLS = 3;

/** Refusals an operator tries again a little later: no leader yet, or the last change not committed yet. */
const RETRIABLE_MEMBERSHIP_ERRORS: ReadonlySet<string> = new Set(['NOT_LEADER_OR_FOLLOWER', 'REQUEST_TIMED_OUT']);

function isRetriable(outcome: MembershipOutcome): boolean {
  return outcome.error !== undefined && RETRIABLE_MEMBERSHIP_ERRORS.has(outcome.error.code);
}

/**
 * Why taking a voter away now would lose the quorum for good, or null when it would not. Removing a
 * dead voter (one whose disk was replaced, `removesDead`) never makes things worse. Otherwise a live
 * voter goes (a replacement turns it into a dead one and keeps the set's size), and the live voters
 * left must still be a majority of the set. Counts are of the voter set the leader reports.
 */
export function quorumLossProblem(change: 'remove' | 'replace', voters: number, dead: number, removesDead: boolean): string | null {
  if (removesDead) return null;
  const live = voters - dead;
  const votersAfter = change === 'replace' ? voters : voters - 1;
  if (live - 1 >= Math.floor(votersAfter / 2) + 1) return null;
  return `${live} of ${voters} voters are live: taking one away would lose the quorum for good`;
}

export class NemesisRunner {
  readonly resolved: ResolvedFault[] = [];
  private readonly inForce = new Map<number, string>();
  private readonly processBusy = new Set<number>();
  private readonly clockBusy = new Set<number>();
  /** Nodes a voter change holds until its end (and undo). */
  private readonly membershipBusy = new Set<number>();
  /**
   * Voters (`id@directory`) whose addition is under way or went unanswered (`unknown`): the
   * leader lists them, but the entry may never commit. They do not count as live when a removal or replacement asks
   * whether a quorum would be left (seed 517989: counting one lost the quorum for good).
   */
  private readonly uncertainAdds = new Set<string>();
  /**
   * Voters (`id@directory`) whose removal is under way or went unanswered: the leader may still
   * list them, but the removal may commit. They do not count as live either: whichever way it
   * ends, a set that counts them as dead members needs at least as many of the others (seed
   * 591736949: node 3's disk was replaced while 5's removal was being retried; the removal then
   * committed on the leader's log as {2, 3 on the gone disk}, and no leader was elected again).
   * The leader may also list the set without them (it appended the removal, which has not
   * committed): the set with them may still be the one in force, so they count as its members,
   * and as gone (seed 20261235 on 99dfd50: node 2 led {1, 2, 3, 4} and had appended the removal of
   * 4 when its own disk was replaced, counting 1 and 3 of {1, 2, 3} live; nodes 1 and 3 never got
   * the removal, and node 4, whose log holds it, was no voter of its own and refused them its
   * vote for a shorter log, so no leader was elected again). Keyed `id@directory`.
   */
  private readonly uncertainRemovals = new Map<string, VoterKey>();
  actions = 0;
  /** The vote-kill in force arms a node again once another process fault let it go. */
  private rearmVoteKill: ((node: number) => void) | null = null;

  constructor(
    private readonly world: World,
    private readonly schedule: FaultSchedule,
    private readonly recorder: HistoryRecorder,
    private readonly random: SeededRandom,
    private readonly sink: ProgressSink,
  ) {}

  /** Descriptions of the faults in force now, for progress lines. */
  faultsInForce(): string[] {
    return [...this.inForce.values()];
  }

  /** Plays every entry, `entry.atMs` after `phaseStartMs` on the world's clock; resolves when all were undone. */
  async run(phaseStartMs: number): Promise<void> {
    await Promise.all(this.schedule.entries.map((entry) => this.play(entry, phaseStartMs)));
  }

  private async play(entry: FaultEntry, phaseStartMs: number): Promise<void> {
    const clock = this.world.clock;
    await clock.sleep(phaseStartMs + entry.atMs - clock.nowMs());
    const leaderId = (await this.world.leader())?.nodeId ?? null;
    const random = this.random.fork(`entry-${entry.id}`);
    const fault: ResolvedFault = {
      id: entry.id, action: entry.action, nodes: [], leaderId, startedAtMs: clock.nowMs(), endedAtMs: null, note: null,
    };
    this.resolved.push(fault);
    let undo: (() => Promise<void>) | null;
    try {
      undo = await this.apply(entry, fault, random);
    } catch (error) {
      this.fail(entry, fault, error);
      return;
    }
    if (undo === null) {
      this.record(`start-${entry.action.kind}`, entry, fault);
      fault.endedAtMs = fault.startedAtMs;
      this.sink.emit({ kind: 'nemesis', atMs: clock.nowMs(), action: 'failed', description: `${describeFaultAction(entry.action)}: ${fault.note ?? 'nothing to do'}` });
      return;
    }
    this.inForce.set(entry.id, `${describeFaultAction(entry.action)} (${fault.nodes.join(',')})`);
    this.record(`start-${entry.action.kind}`, entry, fault);
    this.sink.emit({ kind: 'nemesis', atMs: clock.nowMs(), action: 'start', description: `${describeFaultAction(entry.action)} on ${fault.nodes.join(',')}` });
    await clock.sleep(fault.startedAtMs + entry.durationMs - clock.nowMs());
    try {
      await undo();
    } catch (error) {
      this.fail(entry, fault, error);
    } finally {
      this.inForce.delete(entry.id);
    }
    fault.endedAtMs = clock.nowMs();
    this.record(`stop-${entry.action.kind}`, entry, fault);
    this.sink.emit({ kind: 'nemesis', atMs: clock.nowMs(), action: 'stop', description: `${describeFaultAction(entry.action)} on ${fault.nodes.join(',')}` });
  }

  /** Applies the entry and returns its undo, or null when nothing could be done (no free node). */
  private async apply(entry: FaultEntry, fault: ResolvedFault, random: SeededRandom): Promise<(() => Promise<void>) | null> {
    const world = this.world;
    const nodes = this.schedule.nodes;
    const action = entry.action;
    const targets = (target: NodeTarget, busy: Set<number>): number[] => {
      const resolved = resolveTarget(target, { nodes, leaderId: fault.leaderId, busy }, random);
      fault.note = resolved.note;
      fault.nodes = resolved.nodes;
      return resolved.nodes;
    };
    switch (action.kind) {
      case 'partition': {
        const grudge = partitionShape(action.shape, nodes, fault.leaderId, random);
        fault.grudge = describeGrudge(grudge);
        fault.nodes = [...grudge.keys()].sort((a, b) => a - b);
        await world.applyGrudge(grudge);
        return () => world.applyGrudge(HEALED);
      }
      case 'kill':
      case 'pause':
      case 'stop': {
        if (action.kind === 'kill' && action.behindPausedLeader === true) return this.killBehindPausedLeader(entry, action.target, fault, random);
        const chosen = targets(action.target, this.processBusy);
        if (chosen.length === 0) return null;
        for (const node of chosen) this.processBusy.add(node);
        const release = (): void => {
          for (const node of chosen) {
            this.processBusy.delete(node);
            this.rearmVoteKill?.(node);
          }
        };
        const [begin, end] = action.kind === 'kill' ? [world.kill, world.start] : action.kind === 'pause' ? [world.pause, world.resume] : [world.stop, world.start];
        try {
          await Promise.all(chosen.map((node) => begin.call(world, node)));
        } catch (error) {
          await Promise.allSettled(chosen.map((node) => end.call(world, node)));
          release();
          throw error;
        }
        return async () => {
          try {
            await Promise.all(chosen.map((node) => end.call(world, node)));
          } finally {
            release();
          }
        };
      }
      case 'clock': {
        const chosen = targets(action.target, this.clockBusy);
        if (chosen.length === 0) return null;
        for (const node of chosen) this.clockBusy.add(node);
        const offsets: Record<string, number> = {};
        for (const node of chosen) {
          offsets[String(node)] = action.mode === 'skew' ? random.intBetween(-action.skewMsMax, action.skewMsMax) : action.deltaMs;
        }
        fault.clockOffsetsMs = offsets;
        if (action.mode === 'strobe') {
          await Promise.all(chosen.map((node) => world.strobeClock(node, action.deltaMs, action.periodMs, entry.durationMs)));
        } else {
          await Promise.all(chosen.map((node) => world.setClockOffset(node, offsets[String(node)] as number)));
        }
        return async () => {
          try {
            await Promise.all(chosen.map((node) => world.setClockOffset(node, 0)));
          } finally {
            for (const node of chosen) this.clockBusy.delete(node);
          }
        };
      }
      case 'loss': {
        const chosen = targets(action.target, new Set());
        if (chosen.length === 0) return null;
        await world.setPacketLoss(chosen, action.probability);
        return () => world.setPacketLoss([], 0);
      }
      case 'vote-kill': {
        if (world.killOnVote === undefined) {
          fault.note = `the ${world.kind} world cannot see a vote as it is granted: no vote-kill`;
          return null;
        }
        const chosen = targets(action.target, new Set());
        if (chosen.length === 0) return null;
        return this.killOnVote(world.killOnVote.bind(world), entry, fault, chosen);
      }
      case 'membership': {
        if (world.membership === undefined || world.topology.spares.length === 0) {
          fault.note = 'this cluster has a static voter set: no voter changes';
          return null;
        }
        return this.changeVoters(action.change, action.target, world.membership, fault, random);
      }
    }
  }

  /**
   * A kill behind a paused leader (schedule.ts): the leader is paused for the entry's length; the
   * target's nodes (never the leader) are killed at once and restarted BEHIND_PAUSE_DOWN_MS later,
   * BEHIND_PAUSE_KILLS times at even intervals; the undo resumes the leader. Each new incarnation
   * forwards to the paused leader under ids from 1, and its answers to the earlier ones reach the
   * last, whose requests of the same ids are open.
   */
  private async killBehindPausedLeader(
    entry: FaultEntry, target: NodeTarget, fault: ResolvedFault, random: SeededRandom,
  ): Promise<(() => Promise<void>) | null> {
    const world = this.world;
    const clock = world.clock;
    const leader = fault.leaderId;
    if (leader === null || this.processBusy.has(leader)) {
      fault.note = leader === null ? 'no leader known: none to pause' : `the leader, node ${leader}, already has a fault`;
      return null;
    }
    const resolved = resolveTarget(target, { nodes: this.schedule.nodes, leaderId: leader, busy: new Set([...this.processBusy, leader]) }, random);
    const nodes = resolved.nodes;
    if (nodes.length === 0) {
      fault.note = resolved.note ?? 'every node but the leader already has a fault';
      return null;
    }
    fault.nodes = nodes;
    fault.pausedLeader = leader;
    fault.note = `the leader, node ${leader}, paused while ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')} ` +
      `${nodes.length === 1 ? 'was' : 'were'} killed and restarted ${BEHIND_PAUSE_KILLS} times`;
    const held = [leader, ...nodes];
    for (const node of held) this.processBusy.add(node);
    const release = (): void => {
      for (const node of held) {
        this.processBusy.delete(node);
        this.rearmVoteKill?.(node);
      }
    };
    const startedMs = clock.nowMs();
    const killAll = (): Promise<unknown> => Promise.all(nodes.map((node) => world.kill(node)));
    const startAll = (): Promise<unknown> => Promise.all(nodes.map((node) => world.start(node)));
    try {
      await world.pause(leader);
      await killAll();
    } catch (error) {
      await Promise.allSettled([world.resume(leader), ...nodes.map((node) => world.start(node))]);
      release();
      throw error;
    }
    const bounce = (async () => {
      for (let kill = 1; kill <= BEHIND_PAUSE_KILLS; kill += 1) {
        await clock.sleep(BEHIND_PAUSE_DOWN_MS);
        await startAll();
        if (kill === BEHIND_PAUSE_KILLS) break;
        await clock.sleep(startedMs + (entry.durationMs * kill) / BEHIND_PAUSE_KILLS - clock.nowMs());
        await killAll();
      }
    })();
    // Not left unhandled: the undo awaits it and reports its failure.
    bounce.catch(() => undefined);
    return async () => {
      try {
        await bounce;
      } finally {
        // A node a failed restart left down is started by the heal (the world counts it as down).
        try {
          await world.resume(leader);
        } finally {
          release();
        }
      }
    };
  }

  /**
   * A vote-kill entry: the world kills an armed node the moment it grants a vote. Every target no
   * other process fault holds is armed at the start; a killed one is recorded (`vote-kill`: the
   * node, the epoch and candidate of the vote), held, started again at once (`vote-kill-restart`),
   * and armed again VOTE_KILL_GAP_MS after it is back, so that elections between kills can finish;
   * a node another process fault took is armed again when that fault ends (rearmVoteKill). The undo
   * stops the watch and waits for the restarts under way. The entry's note counts the kills.
   */
  private async killOnVote(
    watchVotes: NonNullable<World['killOnVote']>, entry: FaultEntry, fault: ResolvedFault, nodes: readonly number[],
  ): Promise<() => Promise<void>> {
    const clock = this.world.clock;
    const pending = new Set<Promise<void>>();
    const kills: string[] = [];
    const problems: string[] = [];
    let inForce = true;
    const later = (work: Promise<void>): void => {
      const running = work.finally(() => pending.delete(running));
      pending.add(running);
    };
    const arm = async (node: number): Promise<void> => {
      if (!inForce || this.processBusy.has(node)) return;
      try {
        await watch.arm(node);
      } catch (error) {
        problems.push(`node ${node} not armed: ${(error as Error).message}`);
      }
    };
    const restart = async (vote: GrantedVote, killedAtMs: number): Promise<void> => {
      try {
        await this.world.start(vote.node);
        this.recorder.nemesis('vote-kill-restart', { id: entry.id, node: vote.node, downMs: Math.round(clock.nowMs() - killedAtMs) }, clock.nowMs());
      } catch (error) {
        // Down until the heal starts it (the world counts it as down).
        this.recorder.nemesis('fail-vote-kill-restart', { id: entry.id, node: vote.node, error: (error as Error).message }, clock.nowMs());
        this.processBusy.delete(vote.node);
        return;
      } finally {
        this.actions += 1;
      }
      this.processBusy.delete(vote.node);
      // Not waited for by the undo: once the entry ends, arm does nothing.
      void clock.sleep(VOTE_KILL_GAP_MS).then(() => arm(vote.node));
    };
    const watch = await watchVotes((vote, killedAtMs, error) => {
      const value = { id: entry.id, node: vote.node, epoch: vote.epoch, votedFor: vote.votedFor };
      this.actions += 1;
      if (error !== undefined) {
        this.recorder.nemesis('fail-vote-kill', { ...value, error: error.message }, killedAtMs);
        problems.push(error.message);
        return;
      }
      this.processBusy.add(vote.node);
      this.recorder.nemesis('vote-kill', value, killedAtMs);
      kills.push(`${vote.node} (epoch ${vote.epoch}, for ${vote.votedFor})`);
      this.sink.emit({ kind: 'nemesis', atMs: killedAtMs, action: 'start', description: `vote-kill: node ${vote.node} voted for ${vote.votedFor} in epoch ${vote.epoch}, killed` });
      later(restart(vote, killedAtMs));
    });
    this.rearmVoteKill = (node) => {
      if (nodes.includes(node)) later(arm(node));
    };
    await Promise.all(nodes.map(arm));
    const note = (): void => {
      const parts = [kills.length === 0 ? 'no armed node granted a vote' : `killed on a vote: ${kills.join(', ')}`, ...problems];
      fault.note = parts.join('; ');
    };
    note();
    return async () => {
      inForce = false;
      this.rearmVoteKill = null;
      await watch.stop();
      while (pending.size > 0) await Promise.all([...pending]);
      note();
    };
  }

  /** An addition, uncertain while it runs and after if unanswered (see uncertainAdds). */
  private async adding(node: number, membership: MembershipMechanisms, add: () => Promise<MembershipOutcome>): Promise<MembershipOutcome> {
    const key = `${node}@${membership.directoryOf(node)}`;
    this.uncertainAdds.add(key);
    const outcome = await add();
    if (outcome.outcome !== 'unknown') this.uncertainAdds.delete(key);
    return outcome;
  }

  /** A removal, uncertain while it runs and after if unanswered (see uncertainRemovals). */
  private async removing(key: VoterKey, remove: () => Promise<MembershipOutcome>): Promise<MembershipOutcome> {
    const text = `${key.nodeId}@${key.directoryId}`;
    this.uncertainRemovals.set(text, key);
    const outcome = await remove();
    if (outcome.outcome !== 'unknown') this.uncertainRemovals.delete(text);
    return outcome;
  }

  /** A membership entry: the change now, its undo at the end (see the module comment). */
  private async changeVoters(
    change: 'add' | 'remove' | 'replace', target: NodeTarget, membership: MembershipMechanisms, fault: ResolvedFault, random: SeededRandom,
  ): Promise<(() => Promise<void>) | null> {
    const voters = await membership.voters();
    if (voters === null) {
      fault.note = 'no leader answered: the voter set is not known';
      return null;
    }
    const topology = this.world.topology;
    const voterIds = voters.map((voter) => voter.nodeId);
    const held = new Set([...this.membershipBusy, ...this.processBusy]);
    const note = (what: string, outcome: MembershipOutcome): void => {
      const text = `${what}: ${outcome.outcome}${outcome.error === undefined ? '' : ` (${outcome.error.code}: ${outcome.error.message})`}`;
      fault.note = fault.note === null ? text : `${fault.note}; ${text}`;
    };
    // Refused before anything was written (no leader yet, the last change not yet committed): an
    // operator tries again a little later, and so does the nemesis, a few times.
    const retrying = async (attempt: () => Promise<MembershipOutcome>): Promise<MembershipOutcome> => {
      let outcome = await attempt();
      for (let tries = 1; tries < MEMBERSHIP_TRIES && outcome.outcome === 'failed' && isRetriable(outcome); tries++) {
        await this.world.clock.sleep(MEMBERSHIP_RETRY_MS);
        outcome = await attempt();
      }
      return outcome;
    };
    const hold = (node: number): (() => void) => {
      fault.nodes = [node];
      this.membershipBusy.add(node);
      return () => this.membershipBusy.delete(node);
    };
    if (change === 'add') {
      const candidates = [...topology.controllers, ...topology.spares].filter((id) => !voterIds.includes(id) && !held.has(id));
      if (candidates.length === 0) {
        fault.note = 'every free controller is a voter already';
        return null;
      }
      const node = random.pick(candidates);
      const release = hold(node);
      const added = await this.adding(node, membership, () => retrying(() => membership.addVoter(node)));
      note(`added ${node}`, added);
      return async () => {
        try {
          if (added.outcome !== 'failed') {
            const key = { nodeId: node, directoryId: membership.directoryOf(node) };
            note(`removed ${node} again`, await this.removing(key, () => retrying(() => membership.removeVoter(key))));
          }
        } finally {
          release();
        }
      };
    }
    if (voters.length <= Math.ceil(topology.controllers.length / 2)) {
      fault.note = `only ${voters.length} voters left: none is removed`;
      return null;
    }
    // Voters whose disk is gone (a replacement whose removal failed) can never answer again: a
    // removal takes one of them first, and no change may leave fewer live voters than a majority,
    // or the quorum would be lost for good rather than for the fault's length.
    const dead = voters.filter((voter) => membership.directoryOf(voter.nodeId) !== voter.directoryId ||
      this.uncertainAdds.has(`${voter.nodeId}@${voter.directoryId}`));
    const deadFree = dead.find((voter) => !held.has(voter.nodeId));
    // A voter whose removal may still commit counts as gone too (see uncertainRemovals); one the
    // leader no longer lists may still be a member of the set in force, and counts as one.
    const leaving = voters.filter((voter) => !dead.includes(voter) && this.uncertainRemovals.has(`${voter.nodeId}@${voter.directoryId}`));
    const listed = new Set(voters.map((voter) => `${voter.nodeId}@${voter.directoryId}`));
    const unlisted = [...this.uncertainRemovals].filter(([text]) => !listed.has(text)).map(([, voter]) => voter);
    const problem = quorumLossProblem(change, voters.length + unlisted.length, dead.length + leaving.length + unlisted.length, deadFree !== undefined);
    if (problem !== null) {
      const notes = [
        ...(leaving.length === 0 ? [] : [`counting ${leaving.map((voter) => voter.nodeId).join(', ')} as gone: a removal under way or unanswered may still commit`]),
        ...(unlisted.length === 0 ? [] : [`counting ${unlisted.map((voter) => voter.nodeId).join(', ')} as a gone member: the leader lists the set ` +
          'without it, but the removal may not commit']),
      ];
      fault.note = notes.length === 0 ? problem : `${problem} (${notes.join('; ')})`;
      return null;
    }
    if (change === 'replace' && dead.length > 0) {
      fault.note = `${dead.length} voters' disks are already gone: no other is replaced`;
      return null;
    }
    const resolved = deadFree !== undefined
      ? { nodes: [deadFree.nodeId], note: 'a voter whose disk is gone is removed first' }
      : resolveTarget(target, { nodes: voterIds, leaderId: fault.leaderId, busy: held }, random);
    const node = resolved.nodes[0];
    if (node === undefined) {
      fault.note = resolved.note ?? 'no free voter';
      return null;
    }
    if (resolved.note !== null) fault.note = resolved.note;
    const key = deadFree ?? voters.find((voter) => voter.nodeId === node)!;
    const release = hold(node);
    if (change === 'replace') {
      this.processBusy.add(node);
      try {
        const oldDirectory = await membership.replaceDisk(node);
        fault.note = `node ${node}'s disk replaced (directory ${oldDirectory} -> ${membership.directoryOf(node)})`;
      } finally {
        this.processBusy.delete(node);
      }
    }
    const removed = await this.removing(key, () => retrying(() => membership.removeVoter(key)));
    note(`removed ${node}@${key.directoryId}`, removed);
    return async () => {
      try {
        if (removed.outcome !== 'failed') {
          note(`added ${node}@${membership.directoryOf(node)}`, await this.adding(node, membership, () => retrying(() => membership.addVoter(node))));
        }
      } finally {
        release();
      }
    };
  }

  private fail(entry: FaultEntry, fault: ResolvedFault, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    fault.note = `${fault.note === null ? '' : `${fault.note}; `}the mechanism failed: ${message}`;
    fault.endedAtMs ??= this.world.clock.nowMs();
    this.recorder.nemesis(`fail-${entry.action.kind}`, { id: entry.id, error: message }, this.world.clock.nowMs());
    this.actions += 1;
    this.sink.emit({ kind: 'nemesis', atMs: this.world.clock.nowMs(), action: 'failed', description: `${describeFaultAction(entry.action)}: ${message}` });
  }

  private record(f: string, entry: FaultEntry, fault: ResolvedFault): void {
    const value: Record<string, unknown> = { id: entry.id, ...entry.action, nodes: fault.nodes };
    if (fault.grudge !== undefined) value.grudge = fault.grudge;
    if (fault.clockOffsetsMs !== undefined) value.clockOffsetsMs = fault.clockOffsetsMs;
    if (fault.pausedLeader !== undefined) value.pausedLeader = fault.pausedLeader;
    if (fault.note !== null) value.note = fault.note;
    if (f.startsWith('stop-')) value.startedAtMs = fault.startedAtMs;
    this.recorder.nemesis(f, value, this.world.clock.nowMs());
    this.actions += 1;
  }
}
