/**
 * `quorumd start --config F [--format-cluster-id ID]`: runs the node until SIGTERM or SIGINT, then
 * shuts down gracefully (a leader resigns, listeners close, files are flushed). Refuses an
 * unformatted directory, unless --format-cluster-id asks to format it first in this process (as
 * `quorumd format --ignore-formatted`): a container's node then costs one Node.js start, not two
 * (each 0.3 to 1 s on a loaded machine).
 */
import { loadServerConfig } from '../../node/config/load-server-config.js';
import type { ServerConfig } from '../../node/config/server-config.js';
import { formatStorage, type FormatResult } from '../../node/format-storage.js';
import { consoleNodeLogger } from '../../node/node-logger.js';
import { startQuorumServer } from '../../node/quorum-server.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { parseCommandArgs, UsageError } from './arguments.js';

const USAGE = `usage: quorumd start --config server.properties [--format-cluster-id ID]

Runs the node until SIGTERM or SIGINT.
  -c, --config F              the node's server.properties (its directories must be formatted first)
  --format-cluster-id ID      format the directories not formatted yet with this cluster id first
                              (as quorumd format --ignore-formatted; a static quorum only)
`;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  let configPath: string;
  let formatClusterId: string | null;
  try {
    const values = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, 'format-cluster-id': { type: 'string' } }, USAGE);
    if (typeof values.config !== 'string') throw new UsageError(`--config is required\n\n${USAGE}`);
    configPath = values.config;
    const clusterId = values['format-cluster-id'];
    formatClusterId = typeof clusterId === 'string' ? clusterId : null;
  } catch (error) {
    process.stderr.write(`quorumd start: ${(error as Error).message}\n`);
    return EXIT_UNKNOWN;
  }
  try {
    const config = loadServerConfig(configPath);
    const logger = consoleNodeLogger(config.nodeId, config.logLevel);
    if (formatClusterId !== null) {
      const formatted = formatBeforeStart(config, formatClusterId);
      for (const dir of formatted.formatted) logger.info(`Formatted ${dir} with cluster.id ${formatClusterId}`);
    }
    let fatal: Error | null = null;
    let wake: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => { wake = resolve; });
    // Handlers before the server starts: it logs "Started node" before start-up returns, and a
    // SIGTERM sent on that line (as a supervisor may) killed the process with no shutdown at all.
    const signals = ['SIGTERM', 'SIGINT'] as const;
    for (const signal of signals) {
      process.once(signal, () => {
        logger.info(`Received ${signal}: shutting down`);
        wake();
      });
    }
    const server = await startQuorumServer({ config, logger, onFatal: (error) => { fatal = error; wake(); } });
    await stopped;
    await server.stop();
    return fatal === null ? EXIT_VALID : EXIT_INVALID;
  } catch (error) {
    process.stderr.write(`quorumd start: ${(error as Error).message}\n`);
    return EXIT_INVALID;
  }
}

function formatBeforeStart(config: ServerConfig, clusterId: string): FormatResult {
  try {
    return formatStorage(config, { clusterId, ignoreFormatted: true });
  } catch (error) {
    // formatStorage names format's own flag (--cluster-id); say which of start's it was.
    throw new Error(`--format-cluster-id: ${(error as Error).message}`);
  }
}
