/**
 * Failover as a client sees it, read from a run's history and its resolved schedule: each fault
 * that took the leader away (killed, stopped or paused it, or partitioned it from a majority of
 * the voters) is a trial, and its failover time runs from the moment the fault was in force (its
 * `start-<kind>` nemesis operation) to the completion of the first write invoked after that
 * moment and acknowledged as done (an `ok` create, delete, grow or alter whose value is not an
 * error) while the fault still held. A leader cut off from a majority cannot commit, so such a
 * write was committed by its successor: that is the failover the figure asks for, the
 * same definition `quorumcheck compare` measures in its dedicated trials (there the fault is held
 * until the write; here the schedule decides how long it holds, so a trial may see none).
 *
 * This is not the recovery time (figures.recoveryMs: from healing every fault at the end of the
 * run to the first acknowledged write).
 */
import type { GrudgeDescription } from '../faults/grudge.js';
import type { ResolvedFault } from '../faults/schedule.js';
import type { Operation } from '../history/operation.js';
import { isTopicError } from '../history/topic-operations.js';

export interface FailoverTrial {
  /** The schedule entry's id. */
  faultId: number;
  kind: 'partition' | 'kill' | 'stop' | 'pause';
  /** The leader when the fault was applied. */
  leader: number;
  /** When the fault was in force, and when it was undone (null: never undone), on the run's clock. */
  atMs: number;
  endedAtMs: number | null;
  /** ms from `atMs` to the first acknowledged write invoked after it, while the fault held; null: none. */
  failoverMs: number | null;
}

export interface FailoverFigures {
  /** Median failover time of the trials that saw one, or null. */
  failoverMs: number | null;
  failoverMsMax: number | null;
  /** Faults that took the leader away. */
  failoverTrials: number;
  /** Of those, the ones during which a write was acknowledged. */
  failoversObserved: number;
}

const WRITES = new Set(['create-topic', 'delete-topic', 'create-partitions', 'alter-config']);
const LEADER_FAULTS = new Set(['partition', 'kill', 'stop', 'pause']);

/**
 * The trials of a run. `voters`: the voter ids whose majority a leader needs. Faults whose
 * mechanism failed (no `start-<kind>` in the history) are not trials.
 */
export function failoverTrials(history: readonly Operation[], resolved: readonly ResolvedFault[], voters: readonly number[]): FailoverTrial[] {
  const nemesisTimesMs = new Map<string, number>();
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    const id = (op.value as { id?: unknown } | null)?.id;
    if (typeof id === 'number') nemesisTimesMs.set(`${op.f}#${id}`, op.timeNs / 1e6);
  }
  // Invocations by process, so each ok write is paired with the time it was asked.
  const invokedNs = new Map<string, number>();
  const writes: { invokedMs: number; doneMs: number }[] = [];
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    const key = String(op.process);
    if (op.type === 'invoke') {
      invokedNs.set(key, op.timeNs);
      continue;
    }
    const invoked = invokedNs.get(key);
    invokedNs.delete(key);
    if (op.type === 'ok' && WRITES.has(op.f) && !isTopicError(op.value) && invoked !== undefined) {
      writes.push({ invokedMs: invoked / 1e6, doneMs: op.timeNs / 1e6 });
    }
  }
  const trials: FailoverTrial[] = [];
  for (const fault of resolved) {
    const kind = fault.action.kind;
    if (!LEADER_FAULTS.has(kind) || fault.leaderId === null) continue;
    const atMs = nemesisTimesMs.get(`start-${kind}#${fault.id}`);
    if (atMs === undefined) continue;
    const takesLeader = kind === 'partition'
      ? fault.grudge !== undefined && cutOffFromMajority(fault.leaderId, fault.grudge, voters)
      : fault.nodes.includes(fault.leaderId);
    if (!takesLeader) continue;
    const endedAtMs = nemesisTimesMs.get(`stop-${kind}#${fault.id}`) ?? null;
    let failoverMs: number | null = null;
    for (const write of writes) {
      if (write.invokedMs < atMs || (endedAtMs !== null && write.doneMs > endedAtMs)) continue;
      const ms = write.doneMs - atMs;
      if (failoverMs === null || ms < failoverMs) failoverMs = ms;
    }
    trials.push({
      faultId: fault.id, kind: kind as FailoverTrial['kind'], leader: fault.leaderId,
      atMs: Math.round(atMs), endedAtMs: endedAtMs === null ? null : Math.round(endedAtMs),
      failoverMs: failoverMs === null ? null : Math.round(failoverMs),
    });
  }
  return trials;
}

export function failoverFigures(trials: readonly FailoverTrial[]): FailoverFigures {
  const seen = trials.map((trial) => trial.failoverMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  return {
    failoverMs: seen.length === 0 ? null : medianOfSorted(seen),
    failoverMsMax: seen.length === 0 ? null : seen[seen.length - 1]!,
    failoverTrials: trials.length,
    failoversObserved: seen.length,
  };
}

/**
 * True when fewer than a majority of the voters (the leader counted) have both directions of
 * their link with the leader under `grudge`: it can neither hear their fetches nor be heard.
 */
export function cutOffFromMajority(leader: number, grudge: GrudgeDescription, voters: readonly number[]): boolean {
  const drops = (to: number, from: number): boolean => grudge[String(to)]?.includes(from) ?? false;
  const linked = voters.filter((voter) => voter === leader || (!drops(voter, leader) && !drops(leader, voter)));
  return linked.length < Math.floor(voters.length / 2) + 1;
}

function medianOfSorted(values: readonly number[]): number {
  const middle = Math.floor(values.length / 2);
  return values.length % 2 === 1 ? values[middle]! : Math.round((values[middle - 1]! + values[middle]!) / 2);
}
