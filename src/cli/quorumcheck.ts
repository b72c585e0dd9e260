#!/usr/bin/env node
/**
 * `quorumcheck`: the conformance suite's entry point. Argument parsing and wiring only; each
 * subcommand lives in its own file under commands/ and returns the process exit code
 * (0 valid, 1 invalid, 2 unknown or a usage error).
 */
import { runSubcommand, type Subcommand } from './subcommands.js';

const subcommands: Record<string, Subcommand> = {
  run: { summary: 'run the main job (default target: the simulator)', load: () => import('./commands/run.js') },
  sim: { summary: 'run seeds of the deterministic simulator', load: () => import('./commands/sim.js') },
  check: { summary: 'check a history for linearizability', load: () => import('./commands/check.js') },
  report: { summary: "write a run directory's report.html again", load: () => import('./commands/report.js') },
  compare: { summary: 'the same fault schedule against quorumd and real Kafka, side by side', load: () => import('./commands/compare.js') },
  serve: { summary: 'browse the runs folder: reports, raw files, zips, trends', load: () => import('./commands/serve.js') },
};

process.exitCode = await runSubcommand('quorumcheck', subcommands, process.argv.slice(2));
