/**
 * Partitions of every shape the cluster size allows (halves, isolating one node or the leader,
 * majorities ring, bridge, one-way, minority-third, majority, and ping-pong on 5 nodes), applied
 * as iptables grudges inside the containers. CI runs one 30 s case on 3 combined nodes.
 */
import { defineFaultSuite } from './support/fault-suite.js';

await defineFaultSuite({ name: 'partitions', nemesis: ['partition'], smokeNemesis: ['partition'], expectedActions: ['partition'] });
