/** Clock faults through libfaketime: bumps, skews and strobes of nodes' wall clocks. Nightly only. */
import { defineFaultSuite } from './support/fault-suite.js';

await defineFaultSuite({ name: 'clock', nemesis: ['clock'], smokeNemesis: null, expectedActions: ['clock'] });
