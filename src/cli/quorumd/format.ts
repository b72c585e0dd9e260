/** `quorumd format --config F --cluster-id ID [--ignore-formatted]`, as `kafka-storage format`. */
import { loadServerConfig } from '../../node/config/load-server-config.js';
import { formatStorage } from '../../node/format-storage.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { parseCommandArgs, UsageError } from './arguments.js';

const USAGE = `usage: quorumd format --config server.properties --cluster-id ID [--ignore-formatted]

Writes meta.properties into the metadata log directory and every log directory.
  -c, --config F          the node's server.properties
  -t, --cluster-id ID     the cluster id (make one with 'quorumd random-uuid')
  -g, --ignore-formatted  leave already formatted directories as they are instead of failing
`;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  try {
    const values = parseCommandArgs(args, {
      config: { type: 'string', short: 'c' },
      'cluster-id': { type: 'string', short: 't' },
      'ignore-formatted': { type: 'boolean', short: 'g' },
    }, USAGE);
    if (typeof values.config !== 'string') throw new UsageError(`--config is required\n\n${USAGE}`);
    if (typeof values['cluster-id'] !== 'string') throw new UsageError(`--cluster-id is required\n\n${USAGE}`);
    const config = loadServerConfig(values.config);
    const result = formatStorage(config, values['cluster-id'], values['ignore-formatted'] === true);
    for (const dir of result.formatted) process.stdout.write(`Formatting ${dir} with cluster.id ${values['cluster-id']} and node.id ${config.nodeId}\n`);
    for (const dir of result.skipped) process.stdout.write(`${dir} is already formatted: left as it is\n`);
    return EXIT_VALID;
  } catch (error) {
    process.stderr.write(`quorumd format: ${(error as Error).message}\n`);
    return error instanceof UsageError ? EXIT_UNKNOWN : EXIT_INVALID;
  }
}
