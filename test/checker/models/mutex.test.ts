import { describe, expect, it } from 'vitest';
import { ILLEGAL } from '../../../src/checker/model.js';
import { mutexModel } from '../../../src/checker/models/mutex.js';
import { call, unknownCall } from './call-builder.js';

describe('the mutex model (Knossos)', () => {
  const model = mutexModel();

  it('acquires a free lock and releases a held one', () => {
    expect(model.init()).toBe(false);
    expect(model.step(false, call('acquire', null, null))).toBe(true);
    expect(model.step(true, call('release', null, null))).toBe(false);
    expect(model.step(false, unknownCall('acquire', null))).toBe(true);
    // A lock acquired (even with an unknown outcome) cannot be acquired again.
    expect(model.step(model.step(false, unknownCall('acquire', null)) as boolean, call('acquire', null, null))).toBe(ILLEGAL);
  });

  it('refuses acquiring a held lock and releasing a free one, and says why', () => {
    expect(model.step(true, call('acquire', null, null))).toBe(ILLEGAL);
    expect(model.step(false, call('release', null, null))).toBe(ILLEGAL);
    expect(model.explainIllegal!(true, call('acquire', null, null))).toBe("can't acquire the lock: it is already held");
    expect(model.explainIllegal!(false, call('release', null, null))).toBe("can't release the lock: it is not held");
  });

  it('hashes its two states apart', () => {
    expect(model.hash(true)).not.toBe(model.hash(false));
    expect(model.describeState(true)).toBe('lock held');
  });
});
