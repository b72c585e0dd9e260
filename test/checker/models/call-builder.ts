/** Hand-made calls for model tests: known outcomes by default, `unknown` for info/crashed ones. */
import type { Call } from '../../../src/checker/model.js';

let nextIndex = 0;

export function call(f: string, input: unknown, output?: unknown, outcome: 'known' | 'unknown' = 'known'): Call {
  const invokeIndex = nextIndex;
  nextIndex += 2;
  return {
    id: 0, process: 0, f, input,
    output: outcome === 'known' ? output : undefined,
    outputKnown: outcome === 'known',
    invokeIndex, completeIndex: outcome === 'known' ? invokeIndex + 1 : null,
    invokeTimeNs: invokeIndex, completeTimeNs: outcome === 'known' ? invokeIndex + 1 : Infinity,
  };
}

export function unknownCall(f: string, input: unknown): Call {
  return call(f, input, undefined, 'unknown');
}
