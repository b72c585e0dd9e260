/**
 * Voter changes (KIP-853) in containers: a dynamic quorumd cluster with 2 spare controllers, whose
 * voters are added, removed and replaced on fresh disks while partitions and kills come and go.
 * Nightly only: CI runs test/run/worlds/docker-membership.test.ts, a written-out 3 -> 5 -> 3
 * schedule on 3 combined nodes, instead.
 */
import { defineFaultSuite } from './support/fault-suite.js';

await defineFaultSuite({
  name: 'membership', nemesis: ['membership', 'partition', 'kill'], smokeNemesis: null, expectedActions: ['membership'],
});
