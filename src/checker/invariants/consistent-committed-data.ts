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
  /** offset -> the first `committed` event of that offset. */
  readonly firstCommitted = new Map<number, NodeEvent>();

  observe(event: NodeEvent): Violation | null {
    if (event.kind !== 'committed' || event.offset === undefined) return null;
    const first = this.firstCommitted.get(event.offset);
    if (first === undefined) {
      this.firstCommitted.set(event.offset, event);
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
