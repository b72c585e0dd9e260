/**
 * ConsistentCommittedData: every node that commits offset X commits the same record there: the same
 * record epoch and the same digest (Raft's State Machine Safety). Also holds for one node across
 * its restarts. The first commitment seen of each offset is kept; later ones are compared with it.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

export class ConsistentCommittedDataRule implements EventRule {
  readonly rule = 'ConsistentCommittedData' as const;
  readonly kinds: readonly NodeEventKind[] = ['committed'];
  /**
   * The first `committed` event of each offset, at that index (none: undefined). Offsets are
   * committed in order from the log's start, so the list stays dense; a Map of them was a tenth of
   * the live checker's time (most events of a run are `committed`).
   */
  private readonly firstByOffset: (NodeEvent | undefined)[] = [];

  /** The first `committed` event of `offset`, if any node committed it. */
  firstCommitted(offset: number): NodeEvent | undefined {
    return this.firstByOffset[offset];
  }

  observe(event: NodeEvent): Violation | null {
    if (event.kind !== 'committed' || event.offset === undefined) return null;
    const offset = event.offset;
    const firstByOffset = this.firstByOffset;
    if (offset >= firstByOffset.length) {
      // Pushed up to it, never written past the end: an array written far past its end turns
      // into a dictionary.
      while (firstByOffset.length < offset) firstByOffset.push(undefined);
      firstByOffset.push(event);
      return null;
    }
    const first = firstByOffset[offset];
    if (first === undefined) {
      firstByOffset[offset] = event;
      return null;
    }
    const sameEpoch = first.recordEpoch === event.recordEpoch;
    const sameDigest = first.digest === undefined || event.digest === undefined || first.digest === event.digest;
    if (sameEpoch && sameDigest) return null;
    return {
      rule: this.rule,
      message: `offset ${event.offset} was committed as (epoch ${first.recordEpoch}, digest ${first.digest}) on ` +
        `node ${first.node} but as (epoch ${event.recordEpoch}, digest ${event.digest}) on node ${event.node}`,
      events: [first, event],
    };
  }
}
