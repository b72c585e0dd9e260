#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * `quorumcheck`: the conformance suite's entry point. Argument parsing and wiring only; each
 * subcommand lives in its own file under commands/ and returns the process exit code
 * (0 valid, 1 invalid, 2 unknown, 3 usage or set-up error).
 *
 * The launcher line gives the process the simulator's young generation (run/young-generation.ts:
 * a sweep's workers get the same), so `quorumcheck run --env sim` and `quorumcheck sim --jobs 1`
 * run as a sweep's workers do. `node dist/cli/quorumcheck.js` skips the line and runs with V8's
 * default, only slower.
 */
import { runSubcommand, type Subcommand } from './subcommands.js';

const subcommands: Record<string, Subcommand> = {
  run: { summary: 'run clients and faults against a cluster and check it (--env sim or docker)', load: () => import('./commands/run.js') },
  reproduce: { summary: 'run a recorded run again from its run directory', load: () => import('./commands/reproduce.js') },
  sim: { summary: 'run seeds of the deterministic simulator (run --env sim)', load: () => import('./commands/sim.js') },
  check: { summary: 'check a history for linearizability', load: () => import('./commands/check.js') },
  report: { summary: "write a run directory's report.html again", load: () => import('./commands/report.js') },
  compare: { summary: 'the same fault schedule against quorumd and real Kafka, side by side', load: () => import('./commands/compare.js') },
  selftest: { summary: "the suite's mutation score: quorumd's bug switches, each until a check catches it", load: () => import('./commands/selftest.js') },
  serve: { summary: 'browse the runs folder: reports, raw files, zips, trends', load: () => import('./commands/serve.js') },
};

try {
  process.exitCode = await runSubcommand('quorumcheck', subcommands, process.argv.slice(2));
} catch (error) {
  // A bug of quorumcheck itself: no verdict was reached, so the exit code is unknown's (2), never
  // invalid's (1, which an uncaught exception would give).
  process.stderr.write(`quorumcheck: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 2;
}
