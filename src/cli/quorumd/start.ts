/**
 * `quorumd start --config F`: runs the node until SIGTERM or SIGINT, then shuts down gracefully
 * (a leader resigns, listeners close, files are flushed). Refuses an unformatted directory.
 */
import { loadServerConfig } from '../../node/config/load-server-config.js';
import { consoleNodeLogger } from '../../node/node-logger.js';
import { startQuorumServer } from '../../node/quorum-server.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { parseCommandArgs, UsageError } from './arguments.js';

const USAGE = `usage: quorumd start --config server.properties

Runs the node until SIGTERM or SIGINT.
  -c, --config F   the node's server.properties (its directories must be formatted first)
`;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  let configPath: string;
  try {
    const values = parseCommandArgs(args, { config: { type: 'string', short: 'c' } }, USAGE);
    if (typeof values.config !== 'string') throw new UsageError(`--config is required\n\n${USAGE}`);
    configPath = values.config;
  } catch (error) {
    process.stderr.write(`quorumd start: ${(error as Error).message}\n`);
    return EXIT_UNKNOWN;
  }
  try {
    const config = loadServerConfig(configPath);
    const logger = consoleNodeLogger(config.nodeId, config.logLevel);
    let fatal: Error | null = null;
    let wake: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => { wake = resolve; });
    const server = await startQuorumServer({ config, logger, onFatal: (error) => { fatal = error; wake(); } });
    const signals = ['SIGTERM', 'SIGINT'] as const;
    for (const signal of signals) {
      process.once(signal, () => {
        logger.info(`Received ${signal}: shutting down`);
        wake();
      });
    }
    await stopped;
    await server.stop();
    return fatal === null ? EXIT_VALID : EXIT_INVALID;
  } catch (error) {
    process.stderr.write(`quorumd start: ${(error as Error).message}\n`);
    return EXIT_INVALID;
  }
}
