/**
 * Random kv histories (Porcupine's kv vocabulary: get, put, append on [key, text] values) run
 * against a real store, for the search's property tests: each call takes effect at one moment
 * between its invocation and its completion (or, timed out, possibly never), so the history is
 * linearizable; then one get may be given another answer. Texts are tiny ("a", "b", "ab"), so that
 * different orders give the same text and prefixes are common. All choices come from a
 * fast-check stream, so the property's seed reproduces every history.
 */
import fc from 'fast-check';
import type { Call } from '../../../src/checker/model.js';

export function kvHistoryArbitrary(callsMax: number, keys: number): fc.Arbitrary<Call[]> {
  return fc.tuple(fc.integer({ min: 1, max: callsMax }), fc.infiniteStream(fc.nat()), fc.boolean(), fc.nat(), fc.constantFrom('', 'a', 'b', 'ab', 'aa'))
    .map(([callCount, stream, corrupt, pick, replacement]) => {
      const numbers = stream[Symbol.iterator]();
      const random = (maxExclusive: number): number => (numbers.next().value as number) % maxExclusive;
      return kvHistory(callCount, keys, random, corrupt ? { pick, replacement } : null);
    });
}

interface Open { call: Call; applied: boolean; timesOut: boolean }

function kvHistory(
  callCount: number, keys: number, random: (n: number) => number, corruption: { pick: number; replacement: string } | null,
): Call[] {
  const texts = new Map<string, string>();
  let time = 0;
  const open: Open[] = [];
  const calls: Call[] = [];
  const apply = (entry: Open): void => {
    entry.applied = true;
    const [key, value] = entry.call.input as [string, string];
    const text = texts.get(key) ?? '';
    if (entry.call.f === 'get') entry.call.output = [key, text];
    else if (entry.call.f === 'put') texts.set(key, value);
    else texts.set(key, text + value);
  };
  while (calls.length < callCount || open.length > 0) {
    const roll = random(3);
    if (roll === 0 && calls.length < callCount && open.length < 4) {
      const f = (['get', 'put', 'append', 'append'] as const)[random(4)]!;
      const key = `k${random(keys)}`;
      const value = f === 'get' ? null : ['a', 'b', 'ab'][random(3)]!;
      const id = calls.length;
      const call: Call = {
        id, process: id, f, input: [key, value], output: undefined, outputKnown: false,
        invokeIndex: time, completeIndex: null, invokeTimeNs: time, completeTimeNs: Infinity,
      };
      time++;
      calls.push(call);
      open.push({ call, applied: false, timesOut: random(5) === 0 });
    } else if (roll === 1 && open.some((entry) => !entry.applied)) {
      const pending = open.filter((entry) => !entry.applied);
      apply(pending[random(pending.length)]!);
    } else if (open.length > 0) {
      const at = random(open.length);
      const entry = open[at]!;
      open.splice(at, 1);
      if (entry.timesOut) {
        if (random(2) === 0 && !entry.applied) apply(entry);
        entry.call.output = undefined; // info: the outcome is unknown, open to the end
        time++;
        continue;
      }
      if (!entry.applied) apply(entry);
      if (entry.call.f !== 'get') entry.call.output = entry.call.input;
      entry.call.outputKnown = true;
      entry.call.completeIndex = time;
      entry.call.completeTimeNs = time++;
    }
  }
  const gets = calls.filter((c) => c.f === 'get' && c.outputKnown);
  if (corruption !== null && gets.length > 0) {
    const victim = gets[corruption.pick % gets.length]!;
    victim.output = [(victim.input as [string, unknown])[0], corruption.replacement];
  }
  return calls;
}
