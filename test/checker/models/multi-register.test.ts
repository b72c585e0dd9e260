import { describe, expect, it } from 'vitest';
import { ILLEGAL } from '../../../src/checker/model.js';
import { multiRegisterModel, type MultiRegisterState } from '../../../src/checker/models/multi-register.js';
import { call, unknownCall } from './call-builder.js';

describe('the multi-register model (Knossos)', () => {
  const model = multiRegisterModel({ initial: { x: 0, y: 0 } });
  const txn = (ops: unknown[][], output: unknown[][] = ops) => call('txn', ops, output);

  it('runs micro-ops in order: a read sees earlier writes of the same transaction', () => {
    const state = model.step(model.init(), txn([['write', 'x', 1], ['read', 'x', 1], ['read', 'y', 0]])) as MultiRegisterState;
    expect(model.describeState(state)).toBe('{x 1, y 0}');
    expect(model.step(model.init(), txn([['read', 'x', 1]]))).toBe(ILLEGAL);
  });

  it('accepts nil reads of any key, and reads of unknown keys as nil', () => {
    expect(model.step(model.init(), txn([['read', 'x', null], ['read', 'z', null]]))).not.toBe(ILLEGAL);
    expect(model.step(model.init(), txn([['read', 'z', 1]]))).toBe(ILLEGAL);
  });

  it('takes micro-ops from the completion when known, else from the invocation', () => {
    const filled = call('txn', [['read', 'x', null]], [['read', 'x', 5]]);
    expect(model.step(model.init(), filled)).toBe(ILLEGAL);
    const crashed = unknownCall('txn', [['read', 'x', null], ['write', 'y', 3]]);
    expect(model.describeState(model.step(model.init(), crashed) as MultiRegisterState)).toBe('{x 0, y 3}');
  });

  it('hashes and compares maps whatever order they were built in', () => {
    const a = model.step(model.step(model.init(), txn([['write', 'z', 1]])) as MultiRegisterState, txn([['write', 'w', 2]])) as MultiRegisterState;
    const b = model.step(model.init(), txn([['write', 'w', 2], ['write', 'z', 1]])) as MultiRegisterState;
    expect(model.equal(a, b)).toBe(true);
    expect(model.hash(a)).toBe(model.hash(b));
    const nilled = model.step(a, txn([['write', 'z', null]])) as MultiRegisterState;
    expect(model.equal(nilled, model.step(model.init(), txn([['write', 'w', 2]])) as MultiRegisterState)).toBe(true);
  });

  it('explains a failed read in words', () => {
    expect(model.explainIllegal!(model.init(), txn([['read', 'x', 3]]))).toBe("can't read x = 3: x is 0");
    expect(model.describeCall(txn([['read', 'x', 3], ['write', 'y', 'a']]))).toBe('txn [read x 3, write y a]');
  });

  it('rejects malformed transactions loudly', () => {
    expect(() => model.step(model.init(), call('txn', [['incr', 'x', 1]], [['incr', 'x', 1]]))).toThrow(/micro-op \["incr","x",1\] is not \[read\|write, key, value\]/);
    expect(() => model.step(model.init(), call('read', null, 1))).toThrow(/no function "read"/);
  });
});
