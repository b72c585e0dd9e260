/** Packet loss between nodes (iptables statistic), 5 to 50 percent, into some or all nodes. Nightly only. */
import { defineFaultSuite } from './support/fault-suite.js';

await defineFaultSuite({ name: 'packet-loss', nemesis: ['loss'], smokeNemesis: null, expectedActions: ['loss'] });
