/** Every fault family at once, in two overlapping lines of faults. Nightly only. */
import { defineFaultSuite } from './support/fault-suite.js';

await defineFaultSuite({
  name: 'mixed', nemesis: ['partition', 'kill', 'pause', 'stop', 'clock', 'loss'], smokeNemesis: null,
  expectedActions: ['partition', 'kill', 'pause', 'stop', 'clock', 'loss'], faultLines: 2,
});
