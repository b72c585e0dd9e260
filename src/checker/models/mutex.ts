/**
 * The mutex model (Knossos `mutex`): a lock that is held or free. `acquire` needs it free and
 * takes it; `release` needs it held and frees it. Knossos' histories record a refused release as a
 * `fail` (dropped in pairing), so only releases that happened reach the model. The state is a
 * boolean, hashed as 0/1.
 */
import { ILLEGAL, type Call, type Model, type StepResult } from '../model.js';

type MutexState = boolean;

function judge(held: MutexState, call: Call): string | null {
  switch (call.f) {
    case 'acquire':
      return held ? "can't acquire the lock: it is already held" : null;
    case 'release':
      return held ? null : "can't release the lock: it is not held";
    default:
      throw new TypeError(`the mutex model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
  }
}

export function mutexModel(): Model<MutexState> {
  return {
    name: 'mutex',
    options: {},
    init: () => false,
    step(held: MutexState, call: Call): StepResult<MutexState> {
      if (judge(held, call) !== null) return ILLEGAL;
      return call.f === 'acquire';
    },
    equal: (a, b) => a === b,
    hash: (held) => (held ? 1 : 0),
    describeCall: (call) => `${call.f}${call.outputKnown ? '' : ' (unknown)'}`,
    describeState: (held) => (held ? 'lock held' : 'lock free'),
    explainIllegal: (held, call) => judge(held, call) ?? `${call.f} is legal here`,
  };
}
