/**
 * The one node event stream. Every node, simulated or real, emits these; one implementation in
 * checker/invariants judges them (in the simulator after every event, on real clusters from each
 * node's event log file). One JSON object per line.
 *
 * Kinds:
 * - `epoch-changed`: the node entered `state` in `epoch`, knowing `leaderId` (or none) and having
 *   voted for `votedFor` (or nobody). Emitted on every state transition, also within one epoch
 *   (e.g. unattached -> follower once the leader is known).
 * - `vote-granted`: the node granted its vote to `votedFor` in `epoch` (persisted before sending).
 * - `became-leader`: the node is leader of `epoch` (also covered by epoch-changed with state leader).
 * - `high-watermark`: the node's high watermark is now `highWatermark`.
 * - `committed`: the record at `offset` (written in `recordEpoch`) is committed on this node; `digest`
 *   is a digest of the record bytes. Emitted in offset order as the node learns of commitment.
 * - `snapshot`: the node holds a snapshot ending at `offset` (exclusive end offset), `epoch` its last epoch;
 *   its log start offset is `logStartOffset`.
 * - `snapshot-loaded`: the node's state machine was replaced by the snapshot ending at `offset`
 *   (written in `recordEpoch`): at start-up from its own disk, or fetched from the leader. Taking
 *   a snapshot of its own state does not load one.
 * - `log-truncated`: the node truncated its uncommitted log tail to end at `offset` (exclusive).
 * - `log-flushed`: the node's log is durable up to `offset` (exclusive end offset), with the last
 *   entry written in `recordEpoch`. Emitted once the host has persisted an append.
 * - `restarted`: the node restarted from its durable state (volatile state such as its known high
 *   watermark is reset to what it recovered).
 * - `broker-fenced` / `broker-unfenced`: the metadata image fenced or unfenced broker `brokerId`.
 * - `replica-started`: the node started on the disk `directoryId` names (kraft.version 1 only): a
 *   node seen with another directory id than before runs on a replaced, empty disk, a new replica.
 * - `voters-changed`: the entry at `offset` of the node's log holds a new voter set (KIP-853),
 *   `voters` (each `id` or `id@directory-id`); from there on the node counts majorities over it.
 *   A follower that installs a snapshot whose voter set differs from its own emits one at the
 *   snapshot's last offset (the entry that set it is gone with the log behind the snapshot).
 */
export type NodeEventKind =
  | 'epoch-changed'
  | 'vote-granted'
  | 'became-leader'
  | 'high-watermark'
  | 'committed'
  | 'snapshot'
  | 'snapshot-loaded'
  | 'log-truncated'
  | 'log-flushed'
  | 'restarted'
  | 'broker-fenced'
  | 'broker-unfenced'
  | 'voters-changed'
  | 'replica-started';

/** Every kind, in the order the list above gives them. */
export const NODE_EVENT_KINDS: readonly NodeEventKind[] = [
  'epoch-changed', 'vote-granted', 'became-leader', 'high-watermark', 'committed', 'snapshot', 'snapshot-loaded',
  'log-truncated', 'log-flushed', 'restarted', 'broker-fenced', 'broker-unfenced', 'voters-changed', 'replica-started',
];

export type RaftStateName =
  | 'unattached'
  | 'prospective'
  | 'candidate'
  | 'leader'
  | 'follower'
  | 'resigned';

export interface NodeEvent {
  /** Monotonic time of the event in nanoseconds (simulated or real). */
  timeNs: number;
  node: number;
  kind: NodeEventKind;
  epoch: number;
  state?: RaftStateName;
  leaderId?: number | null;
  votedFor?: number | null;
  offset?: number;
  recordEpoch?: number;
  highWatermark?: number;
  logStartOffset?: number;
  digest?: string;
  brokerId?: number;
  voters?: string[];
  directoryId?: string;
}

/**
 * One event as a line of a node's events file: `timeNs` and `node` first, then the rest in the
 * event's own order, as quorumd's event log writes them. The simulator stamps the core's event
 * objects in place (sim-node.ts), which leaves the two keys last on the object itself.
 */
export function nodeEventJson(event: NodeEvent): string {
  const { timeNs, node, ...rest } = event;
  return JSON.stringify({ timeNs, node, ...rest });
}

/** A node's events file as text: one nodeEventJson line each, every line ended (empty for no events). */
export function nodeEventsText(events: readonly NodeEvent[]): string {
  let text = '';
  for (const event of events) text += `${nodeEventJson(event)}\n`;
  return text;
}
