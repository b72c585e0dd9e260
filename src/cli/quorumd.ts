#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * `quorumd`: the metadata quorum node's entry point. Argument parsing and wiring only; each
 * subcommand lives in its own file under quorumd/ and returns the process exit code.
 *
 * The node runs with a 64 MiB young generation: a node decoding and applying millions of partition
 * records (a restart, a broker's fencing at two million partitions) otherwise spends half its time
 * in the garbage collector. The shebang is the one place this is set: the test clusters
 * (local-cluster.ts) and the container image (docker/bin/quorumd) read their node flags from it.
 */
import { EXIT_UNKNOWN, runSubcommand, type Subcommand } from './subcommands.js';

const subcommands: Record<string, Subcommand> = {
  'random-uuid': { summary: 'print a new Kafka-style cluster id', load: () => import('./quorumd/random-uuid.js') },
  format: { summary: 'format the storage directories (writes meta.properties)', load: () => import('./quorumd/format.js') },
  start: { summary: 'run the node until SIGTERM or SIGINT', load: () => import('./quorumd/start.js') },
  describe: { summary: 'describe the metadata quorum (as kafka-metadata-quorum describe)', load: () => import('./quorumd/describe.js') },
  'add-controller': { summary: 'make a controller that joined as an observer a voter (KIP-853)', load: () => import('./quorumd/add-controller.js') },
  'remove-controller': { summary: 'remove a voter from the quorum (KIP-853)', load: () => import('./quorumd/remove-controller.js') },
};

// quorumd is not a checker: its usage errors keep exit code 2, as before quorumcheck's moved to 3.
process.exitCode = await runSubcommand('quorumd', subcommands, process.argv.slice(2), EXIT_UNKNOWN);
