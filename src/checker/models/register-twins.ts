/**
 * The register models' twin classes (search/twins.ts): timed-out writes and cas whose written
 * value no call of the history can see are interchangeable.
 *
 * Why: etcd histories recorded under partitions keep a hundred or more timed-out writes open to
 * the end, most of which never took effect, so no read ever returns their value. Each is a new
 * state where it is tried (to make a failed cas legal, say), and the search tried them one by one
 * at every such node.
 *
 * A value v is unobserved when no call of the history reads it (a read answering v; a nil read
 * under Knossos' wildcard rule reads nothing), or expects it (a cas from v, of whatever outcome).
 * Then the register holding v and holding another unobserved value w are equivalent states: every
 * call is legal in one iff in the other (a read or a cas that applied needs a value neither is; a
 * failed cas or an unknown read is legal in both; a write is legal anywhere) and leads to the same
 * or again equivalent states. So timed-out writes of unobserved values form one class, and
 * timed-out cas from the same expected value to unobserved values another: from any state both
 * are legal or neither, and lead to equivalent states. Their just-in-time targets
 * (register-just-in-time.ts) are the same too: they have no reads, no cas and no chained cas of
 * their own, and share the failed cas (by the state before them, or by the expected value).
 */
import type { Call } from '../model.js';
import { isObserved, type RegisterCallReader, type RegisterIndex } from './register-index.js';

export function registerTwinClass(
  reader: RegisterCallReader, indexOf: (calls: readonly Call[]) => RegisterIndex,
): (call: Call, calls: readonly Call[]) => string | undefined {
  return (call, calls) => {
    if (call.f === 'write') {
      return isObserved(indexOf(calls), reader.input(call) ?? null, reader) ? undefined : 'write of an unobserved value';
    }
    if (call.f !== 'cas') return undefined;
    const pair = reader.input(call);
    if (!Array.isArray(pair) || pair.length !== 2 || isObserved(indexOf(calls), pair[1] ?? null, reader)) return undefined;
    try {
      return `cas from ${JSON.stringify(pair[0] ?? null)} to an unobserved value`;
    } catch {
      return undefined; // not plain data: the default class
    }
  };
}
