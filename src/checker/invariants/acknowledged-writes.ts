/**
 * NoAcknowledgedWriteLost, judged at the end: every write a client saw acknowledged, at
 * (committedOffset, committedEpoch), is what the nodes committed at that offset. A write whose
 * offset holds a record of another epoch was overwritten; a write whose offset nobody ever
 * committed was acknowledged without being committed.
 */
import type { NodeEvent } from '../../history/node-event.js';
import type { Operation } from '../../history/operation.js';
import type { Violation } from './violation.js';

export interface AcknowledgedWrite {
  committedOffset: number;
  committedEpoch: number;
  /** The client's `ok` operation, for the report. */
  operation?: Operation;
}

/** `firstCommitted`: the first `committed` event of an offset (ConsistentCommittedData's). */
export function checkAcknowledgedWrites(
  writes: readonly AcknowledgedWrite[],
  firstCommitted: (offset: number) => NodeEvent | undefined,
): Violation[] {
  const violations: Violation[] = [];
  for (const write of writes) {
    const committed = firstCommitted(write.committedOffset);
    const operation = write.operation === undefined ? {} : { operation: write.operation };
    if (committed === undefined) {
      violations.push({
        rule: 'NoAcknowledgedWriteLost',
        message: `a write acknowledged at offset ${write.committedOffset} (epoch ${write.committedEpoch}) was ` +
          'never committed by any node',
        events: [],
        ...operation,
      });
    } else if (committed.recordEpoch !== write.committedEpoch) {
      violations.push({
        rule: 'NoAcknowledgedWriteLost',
        message: `a write acknowledged at offset ${write.committedOffset} in epoch ${write.committedEpoch} was lost: ` +
          `node ${committed.node} committed a record of epoch ${committed.recordEpoch} there`,
        events: [committed],
        ...operation,
      });
    }
  }
  return violations;
}
