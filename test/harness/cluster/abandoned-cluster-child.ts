/**
 * A process that starts a one-node cluster and then never stops it, for the cleanup tests:
 * `exit` ends the process normally (the exit hook must remove the run), `hang` waits to be
 * killed: with SIGKILL no hook runs and the next start must find the run stale; with SIGINT or
 * SIGTERM (Ctrl-C, a CI timeout) the signal hook must remove the run before the process dies.
 * Usage: tsx abandoned-cluster-child.ts <image> exit|hang
 */
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import { echoNodeProgram } from './echo-node-program.js';

const [image, mode] = process.argv.slice(2);
if (image === undefined || (mode !== 'exit' && mode !== 'hang')) {
  process.stderr.write('usage: abandoned-cluster-child.ts <image> exit|hang\n');
  process.exit(2);
}
const cluster = await new QuorumCluster({ image, nodeCount: 1, program: echoNodeProgram() }).start();
process.stdout.write(`run ${cluster.runId}\n`);
if (mode === 'exit') process.exit(0);
setInterval(() => {}, 60_000);
