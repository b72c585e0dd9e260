// A small topic history with a stale read, checked for real, shared by the report tests. The topic
// name is hostile markup, so every report must escape it.
import type { Call } from '../../../src/checker/model.js';
import { checkCallsSync } from '../../../src/checker/check.js';
import { topicsModel } from '../../../src/checker/models/topics.js';
import type { CheckResult } from '../../../src/checker/verdict.js';

export const HOSTILE_NAME = `</script><img src=x onerror="alert('x')">&amp;`;

function call(id: number, process: number, f: string, input: unknown, output: unknown, invokeTimeNs: number, completeTimeNs: number): Call {
  const known = output !== undefined;
  return {
    id, process, f, input, output, outputKnown: known,
    invokeIndex: invokeTimeNs, completeIndex: known ? completeTimeNs : null,
    invokeTimeNs, completeTimeNs: known ? completeTimeNs : Infinity,
  };
}

/**
 * Create (3 partitions), describe 3, grow to 5, then a describe that still answers 3: stale. With
 * `withUnknown`, also an alter-config that never completed (so the search may or may not put it in
 * the prefix) and a create on another topic (a second part).
 */
export function staleReadCalls(name = HOSTILE_NAME, withUnknown = true): Call[] {
  const calls = [
    call(0, 0, 'create-topic', { name, partitions: 3 }, { created: true, topicId: 'id-a' }, 0, 1),
    call(1, 1, 'describe-topic', { name }, { name, partitions: 3, topicId: 'id-a' }, 2, 3),
    call(2, 2, 'alter-config', { name, configs: { 'retention.ms': '1' } }, undefined, 3, 0),
    call(3, 0, 'create-partitions', { name, count: 5 }, { partitions: 5 }, 4, 5),
    call(4, 1, 'describe-topic', { name }, { name, partitions: 3, topicId: 'id-a' }, 6, 7),
    call(5, 3, 'create-topic', { name: 'other', partitions: 1 }, { created: true }, 0, 9),
  ];
  if (withUnknown) return calls;
  return calls.filter((c) => c.outputKnown && c.id !== 5).map((c, id) => ({ ...c, id }));
}

export function checkStaleRead(name = HOSTILE_NAME, withUnknown = true): CheckResult {
  const result = checkCallsSync(staleReadCalls(name, withUnknown), topicsModel, { timeLimitMs: 10_000 });
  if (result.verdict !== 'invalid') throw new Error(`the stale-read history should be invalid, got ${result.verdict}`);
  return result;
}
