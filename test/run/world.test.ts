import { describe, expect, it } from 'vitest';
import { planTopology } from '../../src/run/world.js';

describe('planTopology: the node ids both worlds use', () => {
  it('combined: every voter is a broker too', () => {
    const topology = planTopology(3, 'combined');
    expect(topology.controllers).toEqual([1, 2, 3]);
    expect(topology.brokers).toEqual([1, 2, 3]);
    expect(topology.nodes.map((node) => node.roles)).toEqual([['broker', 'controller'], ['broker', 'controller'], ['broker', 'controller']]);
  });

  it('isolated: controllers 1..n and three brokers from 101', () => {
    const topology = planTopology(5, 'isolated');
    expect(topology.controllers).toEqual([1, 2, 3, 4, 5]);
    expect(topology.brokers).toEqual([101, 102, 103]);
    expect(topology.nodes.map((node) => `${node.id}:${node.roles.join('+')}`)).toEqual([
      '1:controller', '2:controller', '3:controller', '4:controller', '5:controller', '101:broker', '102:broker', '103:broker',
    ]);
    expect(() => planTopology(0, 'combined')).toThrow('controllers must be an integer in [1, 9], got 0');
    expect(() => planTopology(3, 'mixed' as 'combined')).toThrow("roles must be combined or isolated, got 'mixed'");
  });
});
