import { describe, expect, it } from 'vitest';
import { describeModels, modelByName, modelNames } from '../../../src/checker/models/index.js';

describe('the model registry', () => {
  it('knows the models the formats need', () => {
    expect(modelNames()).toEqual(expect.arrayContaining(['register', 'cas-register', 'etcd', 'etcd-keyed', 'mutex', 'multi-register', 'kv', 'kv-no-partition']));
    expect(describeModels().every((line) => /^[a-z-]+: \S/.test(line))).toBe(true);
  });

  it('names the known models when asked for an unknown one', () => {
    expect(() => modelByName('casregister')).toThrow(/unknown model "casregister"; known models: .*cas-register.*mutex/);
  });

  it('refuses options a model does not take, and a malformed multi-register initial value', () => {
    expect(() => modelByName('mutex', { initial: 1 })).toThrow(/model "mutex" has no option "initial"; it takes none/);
    expect(() => modelByName('cas-register', { start: 1 })).toThrow(/has no option "start"; it takes initial/);
    expect(() => modelByName('multi-register', { initial: [1] })).toThrow(/option initial must be an object/);
  });

  it('builds models that carry their name and options, so a worker can rebuild them', () => {
    for (const [name, options] of [['cas-register', { initial: 0 }], ['multi-register', { initial: { x: 0 } }], ['kv', {}]] as const) {
      const model = modelByName(name, options);
      expect(model.name).toBe(name);
      const rebuilt = modelByName(model.name, model.options);
      expect(rebuilt.equal(rebuilt.init(), model.init())).toBe(true);
    }
  });
});
