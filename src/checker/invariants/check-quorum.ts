/**
 * CheckQuorum: a leader cut off from the quorum resigns. Once a later epoch has a leader, the old
 * leader has lost its majority (the new one was elected by voters no longer following it), and
 * within the check-quorum bound (a number of fetch timeouts) it must stop leading. A leader that
 * keeps leading goes on taking writes it can never commit, and the brokers and clients on its side
 * of a partition keep waiting on it instead of looking for the real one.
 *
 * Judged on the old leader's own events: one it emits as leader of epoch e, or the step-down that
 * ends its leadership, later than the bound after a leader of a later epoch was elected breaks the
 * rule (a stale leader that no client reaches may emit nothing until it steps down at the heal).
 * It compares nodes' times, so it is armed (`expectWithin`) only where the events are on one clock
 * and no node's clock runs slower than it (the simulator, whose node clocks only step forward, clock
 * faults or not: run/judge.ts), and a leader paused past the election is judged from when it
 * resumed; unarmed it judges nothing.
 */
import type { NodeEvent } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

/** A node stopped (paused) from `fromNs` until `toNs` (Infinity: not resumed), on the events' clock. */
export interface PauseInterval {
  node: number;
  fromNs: number;
  toNs: number;
}

export class CheckQuorumRule implements EventRule {
  readonly rule = 'CheckQuorum' as const;
  private boundNs = Infinity;
  /** Node → the event by which it became the leader it still is. */
  private readonly leading = new Map<number, NodeEvent>();
  /** Every epoch's first `became-leader` event, in the order seen (time order). */
  private readonly elected: NodeEvent[] = [];
  private readonly electedEpochs = new Set<number>();
  private newestElectedEpoch = -1;
  /** Node and epoch already reported (one violation per stale leadership). */
  private readonly reported = new Set<string>();
  /** Node and epoch of every leadership judged (`judged`). */
  private readonly judgedLeaderships = new Set<string>();

  /** Node → the times it was paused (a stopped process), in no particular order. */
  private readonly pausedByNode = new Map<number, PauseInterval[]>();

  /**
   * Arms the rule: a superseded leader must stop leading within `boundNs`, counted from when it
   * could act: a leader paused past the election is judged from when it resumed.
   */
  expectWithin(boundNs: number, pauses: readonly PauseInterval[] = []): void {
    this.boundNs = boundNs;
    for (const pause of pauses) this.pausedByNode.set(pause.node, [...(this.pausedByNode.get(pause.node) ?? []), pause]);
  }

  observe(event: NodeEvent): Violation | null {
    if (event.kind === 'became-leader' || (event.kind === 'epoch-changed' && event.state === 'leader')) {
      this.leading.set(event.node, event);
      if (!this.electedEpochs.has(event.epoch)) {
        this.electedEpochs.add(event.epoch);
        this.elected.push(event);
        this.newestElectedEpoch = Math.max(this.newestElectedEpoch, event.epoch);
      }
      return null;
    }
    if (event.kind === 'restarted' || event.kind === 'replica-started') {
      // A new process (a kill, or a replaced disk), not a leader cut off: there is nothing to judge.
      // Under kraft.version 1 replica-started comes first, before `restarted`, and must not be
      // taken for an event of the leader it was.
      this.leading.delete(event.node);
      return null;
    }
    const since = this.leading.get(event.node);
    if (since === undefined) return null;
    // It stops leading with this event, or acts as leader in it: either way it led until now.
    if (event.kind === 'epoch-changed') this.leading.delete(event.node);
    if (this.newestElectedEpoch <= since.epoch) return null;
    const superseded = this.firstLeaderAfter(since.epoch);
    if (superseded === null) return null;
    const key = `${event.node}/${since.epoch}`;
    this.judgedLeaderships.add(key);
    const resumedNs = this.resumedBefore(event.node, event.timeNs);
    const fromNs = Math.max(superseded.timeNs, resumedNs);
    if (this.boundNs === Infinity || event.timeNs - fromNs <= this.boundNs || this.reported.has(key)) return null;
    this.reported.add(key);
    const still = event.kind === 'epoch-changed' ? `led epoch ${since.epoch} until` : `still led epoch ${since.epoch}`;
    const paused = resumedNs > superseded.timeNs ? ` and ${((event.timeNs - resumedNs) / 1e9).toFixed(1)} s after it resumed from a pause` : '';
    return {
      rule: this.rule,
      message: `node ${event.node} ${still} ${((event.timeNs - superseded.timeNs) / 1e9).toFixed(1)} s after ` +
        `node ${superseded.node} was elected leader of epoch ${superseded.epoch}${paused} (check-quorum bound ${(this.boundNs / 1e9).toFixed(1)} s)`,
      events: [since, superseded, event],
    };
  }

  /**
   * How many leaderships it judged: each superseded by a later epoch's leader while still held,
   * and its holder seen again (acting as leader, or stepping down) before any restart. Only such a
   * leader, cut off from its voters long enough for them to elect another, can break the rule; a
   * run without one (no leader cut off, or each killed) leaves it nothing to judge.
   */
  get judged(): number {
    return this.judgedLeaderships.size;
  }

  /**
   * The latest time at or before `atNs` that `node` resumed from a pause, or -Infinity: a pause
   * not over by `atNs` counts as ending then (a paused node emits nothing).
   */
  private resumedBefore(node: number, atNs: number): number {
    let resumedNs = -Infinity;
    for (const pause of this.pausedByNode.get(node) ?? []) if (pause.fromNs <= atNs) resumedNs = Math.max(resumedNs, Math.min(pause.toNs, atNs));
    return resumedNs;
  }

  /** The earliest election of an epoch after `epoch`, or null (events come in time order). */
  private firstLeaderAfter(epoch: number): NodeEvent | null {
    return this.elected.find((event) => event.epoch > epoch) ?? null;
  }
}
