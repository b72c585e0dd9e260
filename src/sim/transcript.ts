/**
 * Golden transcripts: a scenario's node events and nemesis actions as text, one line each, in
 * time order, as etcd's raft keeps its datadriven testdata. A reviewer reads what the cluster did;
 * a diff shows what a change to the core changed.
 */
import type { NodeEvent, NodeEventKind } from '../history/node-event.js';
import { clockAnchorMessage, formatNodeLogLine } from '../history/node-log-line.js';
import type { Operation } from '../history/operation.js';

/** The consensus story: state changes, votes, leadership, truncation, snapshots, restarts. */
export const CONSENSUS_KINDS: ReadonlySet<NodeEventKind> = new Set<NodeEventKind>([
  'epoch-changed', 'vote-granted', 'became-leader', 'log-truncated', 'snapshot', 'restarted', 'voters-changed',
]);

export function formatTranscript(
  title: string,
  events: readonly NodeEvent[],
  history: readonly Operation[],
  kinds: ReadonlySet<NodeEventKind> = CONSENSUS_KINDS,
): string {
  const lines: { timeNs: number; order: number; text: string }[] = [];
  events.forEach((event, order) => {
    if (kinds.has(event.kind)) lines.push({ timeNs: event.timeNs, order, text: `n${event.node}  ${event.kind}  ${eventFields(event)}` });
  });
  history.forEach((op, order) => {
    if (op.process === 'nemesis') lines.push({ timeNs: op.timeNs, order: -1e9 + order, text: `nemesis  ${op.f}  ${JSON.stringify(op.value)}` });
  });
  lines.sort((a, b) => a.timeNs - b.timeNs || a.order - b.order);
  const body = lines.map(({ timeNs, text }) => `${(timeNs / 1e6).toFixed(3).padStart(10)} ms  ${text}`);
  return `# ${title}\n${body.join('\n')}\n`;
}

/** One node event as a human log line: "   12.345 ms  n1  epoch-changed  epoch=2 state=leader leader=1". */
export function formatEventLine(event: NodeEvent): string {
  return `${(event.timeNs / 1e6).toFixed(3).padStart(10)} ms  n${event.node}  ${event.kind}  ${eventFields(event)}`;
}

function eventFields(event: NodeEvent): string {
  const fields: string[] = [`epoch=${event.epoch}`];
  if (event.state !== undefined) fields.push(`state=${event.state}`);
  if (event.leaderId !== undefined) fields.push(`leader=${event.leaderId ?? '-'}`);
  if (event.votedFor !== undefined) fields.push(`voted=${event.votedFor ?? '-'}`);
  if (event.offset !== undefined) fields.push(`offset=${event.offset}`);
  if (event.recordEpoch !== undefined) fields.push(`recordEpoch=${event.recordEpoch}`);
  if (event.highWatermark !== undefined) fields.push(`hw=${event.highWatermark}`);
  if (event.logStartOffset !== undefined) fields.push(`logStart=${event.logStartOffset}`);
  if (event.voters !== undefined) fields.push(`voters=${event.voters.join(',')}`);
  if (event.brokerId !== undefined) fields.push(`broker=${event.brokerId}`);
  return fields.join(' ');
}

/**
 * A simulated node's human log, in the node log layout quorumd writes (history/node-log-line.ts),
 * so readers of run directories treat both worlds alike: a clock-anchor line pairing simulated
 * time 0 with the wall-clock epoch, then one line per event, stamped epoch + simulated time.
 * The fixed base keeps a simulated run directory byte-identical when the run is reproduced.
 */
export function simulatedNodeLog(nodeId: number, events: readonly NodeEvent[]): string {
  const component = `SimulatedNode id=${nodeId}`;
  let text = formatNodeLogLine(new Date(0), 'INFO', component, clockAnchorMessage(0));
  for (const event of events) {
    text += formatNodeLogLine(new Date(Math.floor(event.timeNs / 1e6)), 'INFO', component, `${event.kind} ${eventFields(event)}`);
  }
  return text;
}
