/**
 * Core events in the words Kafka's own logs use for them, so an operator who knows KRaft reads
 * quorumd's log without a glossary. Events too frequent for a human log (every high-watermark
 * step, every committed record, every flush) have no line.
 */
import type { CoreEvent } from '../core/host-interface.js';

const STATE_NAMES: Record<string, string> = {
  unattached: 'UnattachedState',
  prospective: 'ProspectiveState',
  candidate: 'CandidateState',
  follower: 'FollowerState',
  resigned: 'ResignedState',
};

export interface LeaderContext {
  nodeId: number;
  /** Where the new leader's epoch begins: its log end offset when it took office. */
  epochStartOffset: number;
}

export function kafkaLogLines(event: CoreEvent, context: LeaderContext): string[] {
  switch (event.kind) {
    case 'epoch-changed': return epochChangedLines(event, context);
    case 'vote-granted': return [`Voted for candidate ${String(event.votedFor)} in epoch ${event.epoch}`];
    case 'became-leader': return [`Completed transition to Leader(localId=${context.nodeId}, epoch=${event.epoch}, epochStartOffset=${context.epochStartOffset})`];
    case 'log-truncated': return [`Truncated log to offset ${String(event.offset)}`];
    case 'snapshot': return [`Snapshot at end offset ${String(event.offset)} (epoch ${String(event.recordEpoch)}) is in place; log start offset is ${String(event.logStartOffset)}`];
    case 'restarted': return [`Recovered from disk in epoch ${event.epoch}`];
    case 'broker-fenced': return [`Fenced broker ${String(event.brokerId)}`];
    case 'broker-unfenced': return [`Unfenced broker ${String(event.brokerId)}`];
    case 'replica-started': return [`Starting on metadata directory ${String(event.directoryId)}`];
    case 'voters-changed': return [`The voter set at offset ${String(event.offset)} is now ${(event.voters ?? []).join(', ')}`];
    default: return [];
  }
}

function epochChangedLines(event: CoreEvent, context: LeaderContext): string[] {
  if (event.state === 'leader') return [];
  const lines: string[] = [];
  const name = STATE_NAMES[event.state ?? ''] ?? String(event.state);
  const fields = [`localId=${context.nodeId}`, `epoch=${event.epoch}`];
  if (event.leaderId !== undefined && event.leaderId !== null) fields.push(`leaderId=${event.leaderId}`);
  if (event.votedFor !== undefined && event.votedFor !== null) fields.push(`votedId=${event.votedFor}`);
  lines.push(`Completed transition to ${name}(${fields.join(', ')})`);
  if (event.state === 'follower' && event.leaderId !== undefined && event.leaderId !== null) {
    lines.push(`In the new epoch ${event.epoch}, the leader is ${event.leaderId}.`);
  }
  return lines;
}
