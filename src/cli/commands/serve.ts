/**
 * `quorumcheck serve [--port P] [--runs DIR]`: a web server on the loopback interface listing every
 * run in the runs folder, opening each report, serving raw files and a zip of each run, with the
 * nightly trend. Runs until interrupted. Argument parsing and wiring only: src/report/serve/.
 */
import { parseArgs } from 'node:util';
import { startRunServer } from '../../report/serve/run-server.js';
import { EXIT_USAGE, EXIT_VALID } from '../subcommands.js';

const USAGE = `usage: quorumcheck serve [--port P] [--runs DIR] [--trend FILE]

Serves the runs in DIR (default runs/) on http://127.0.0.1:P/ (default port 8080; 0 picks a free
one): the runs newest first, each run's report, its raw files and a zip of it, and the trend of
nightly conformance runs (DIR/trend.jsonl unless --trend). Stops on Ctrl-C.
`;

export async function main(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args, strict: true,
      options: { port: { type: 'string' }, runs: { type: 'string' }, trend: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    process.stderr.write(`quorumcheck serve: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '8080') || !Number.isInteger(port) || port > 65_535) {
    process.stderr.write(`quorumcheck serve: --port must be a port number in [0, 65535], got '${values.port}'\n`);
    return EXIT_USAGE;
  }
  let server;
  try {
    server = await startRunServer({ root: values.runs ?? 'runs', port, ...(values.trend === undefined ? {} : { trendPath: values.trend }) });
  } catch (error) {
    process.stderr.write(`quorumcheck serve: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  process.stdout.write(`serving ${values.runs ?? 'runs'} on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await server.close();
  return EXIT_VALID;
}
