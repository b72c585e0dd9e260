/**
 * `quorumcheck report RUN_DIR`: writes the run's report.html again from what the directory holds
 * (after a checker or report upgrade, say, or for a run that crashed before writing it). Argument
 * parsing and wiring only: the page is src/report/.
 *
 * Exit codes: 0 written; 3 for bad arguments or a path that is not a run directory.
 */
import { parseArgs } from 'node:util';
import { NotARunDirectoryError } from '../../report/run-inputs.js';
import { writeRunReport } from '../../report/write-run-report.js';
import { EXIT_USAGE, EXIT_VALID } from '../subcommands.js';

const USAGE = `usage: quorumcheck report RUN_DIR [--check-time-limit S]

Writes RUN_DIR/report.html: the run's verdict, timeline, latency and throughput, invariants,
linearizability per topic (the failing topic's witness, checked again), and each node's log
around the failure. A run directory that lacks files still gets a page saying what is missing.
  --check-time-limit S   wall seconds to spend checking the failing topic again (default 20)
`;

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { 'check-time-limit': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`quorumcheck report: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help === true) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  if (parsed.positionals.length !== 1) {
    process.stderr.write(`quorumcheck report: expected one RUN_DIR, got ${parsed.positionals.length === 0 ? 'none' : parsed.positionals.join(' ')}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const limitText = parsed.values['check-time-limit'];
  const limitS = limitText === undefined ? 20 : Number(limitText);
  if (!(limitS > 0 && limitS <= 86_400)) {
    process.stderr.write(`quorumcheck report: --check-time-limit must be seconds in (0, 86400], got '${limitText}'\n`);
    return EXIT_USAGE;
  }
  try {
    const written = await writeRunReport(parsed.positionals[0]!, { checkTimeLimitMs: limitS * 1000 });
    process.stdout.write(`report: ${written.path}\n`);
    for (const sentence of written.missing) process.stdout.write(`  missing: ${sentence}\n`);
    return EXIT_VALID;
  } catch (error) {
    if (!(error instanceof NotARunDirectoryError)) throw error;
    process.stderr.write(`quorumcheck report: ${error.message}\n`);
    return EXIT_USAGE;
  }
}
