/**
 * AppliedBeforeAcknowledged, judged at the end: a node answers a client's write only once it has
 * applied the write itself, so that whatever that client asks the same node next already sees it
 * (read your writes through one broker, as Kafka's clients expect after CreateTopics). Every write
 * a client saw acknowledged at a commit offset, by node N, at time t: N must have applied that
 * offset (a `committed` event for it, or a `snapshot-loaded` past it) at or before t.
 *
 * It compares the client's time with the node's, so it holds only where both are on one clock:
 * the simulator, whose clients see commit offsets (a Kafka client against containers does not, and
 * gives this rule nothing to judge). The client hears the answer after the node gave it, so a
 * correct node is never caught; a node that answered early is caught when the gap until it applied
 * outlasted the answer's way back to the client (a lost or late fetch, say).
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { AcknowledgedWrite } from './acknowledged-writes.js';
import type { EventRule, Violation } from './violation.js';

export class AppliedBeforeAcknowledgedRule implements EventRule {
  readonly rule = 'AppliedBeforeAcknowledged' as const;
  readonly kinds: readonly NodeEventKind[] = ['committed', 'snapshot-loaded'];
  /**
   * Per node: the first `committed` event of each offset, at that index (none: undefined). A node
   * commits in offset order, so the list stays dense but for the offsets a loaded snapshot skipped.
   */
  private readonly appliedByNode = new Map<number, (NodeEvent | undefined)[]>();
  /** Per node: its `snapshot-loaded` events, in time order. */
  private readonly snapshotsByNode = new Map<number, NodeEvent[]>();

  /**
   * @param watched the nodes with any event, kept by whoever feeds the rule (it reads only two
   *   kinds): a node without one was not watched (its log is missing), and is not judged.
   */
  constructor(private readonly watched: ReadonlySet<number>) {}

  observe(event: NodeEvent): Violation | null {
    if (event.kind === 'committed' && event.offset !== undefined) {
      let applied = this.appliedByNode.get(event.node);
      if (applied === undefined) this.appliedByNode.set(event.node, applied = []);
      const offset = event.offset;
      if (offset >= applied.length) {
        // Pushed up to it, never written past the end: an array written far past its end turns
        // into a dictionary.
        while (applied.length < offset) applied.push(undefined);
        applied.push(event);
      } else if (applied[offset] === undefined) {
        applied[offset] = event;
      }
    } else if (event.kind === 'snapshot-loaded' && event.offset !== undefined) {
      let loaded = this.snapshotsByNode.get(event.node);
      if (loaded === undefined) this.snapshotsByNode.set(event.node, loaded = []);
      loaded.push(event);
    }
    return null;
  }

  /** The writes acknowledged by a node before it had applied them. */
  judge(writes: readonly AcknowledgedWrite[]): Violation[] {
    const violations: Violation[] = [];
    for (const write of writes) {
      const operation = write.operation;
      const node = operation?.node;
      if (operation === undefined || typeof node !== 'number') continue;
      const applied = this.appliedAt(node, write.committedOffset);
      // A node with no events at all was not watched (its log is missing): nothing to judge.
      if (applied === null && !this.watched.has(node)) continue;
      if (applied !== null && applied.timeNs <= operation.timeNs) continue;
      const when = applied === null ? 'and never applied it' : `${((applied.timeNs - operation.timeNs) / 1e6).toFixed(1)} ms before it applied it`;
      violations.push({
        rule: this.rule,
        message: `node ${node} acknowledged a write at offset ${write.committedOffset} (epoch ${write.committedEpoch}) ${when}`,
        events: applied === null ? [] : [applied],
        operation,
      });
    }
    return violations;
  }

  /** The event by which `node` first had `offset` applied, or null. */
  private appliedAt(node: number, offset: number): NodeEvent | null {
    let first = this.appliedByNode.get(node)?.[offset] ?? null;
    for (const loaded of this.snapshotsByNode.get(node) ?? []) {
      if (loaded.offset! > offset && (first === null || loaded.timeNs < first.timeNs)) first = loaded;
    }
    return first;
  }
}
