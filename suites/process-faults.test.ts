/**
 * Process faults: kill -9 and restart, SIGSTOP and SIGCONT, graceful stop and start, on the
 * leader and on other nodes. CI runs one 30 s kill case on 3 combined nodes.
 */
import { defineFaultSuite } from './support/fault-suite.js';

await defineFaultSuite({ name: 'process-faults', nemesis: ['kill', 'pause', 'stop'], smokeNemesis: ['kill'], expectedActions: ['kill', 'pause', 'stop'] });
