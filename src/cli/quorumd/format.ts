/**
 * `quorumd format --config F --cluster-id ID [--ignore-formatted]
 *   [--standalone | --initial-controllers L | --no-initial-controllers]`, as `kafka-storage format`.
 */
import { parseInitialControllers } from '../../node/config/listener-addresses.js';
import { loadServerConfig } from '../../node/config/load-server-config.js';
import { ServerConfigError } from '../../node/config/server-config-error.js';
import { formatStorage, type BootstrapChoice } from '../../node/format-storage.js';
import { isDirectoryId } from '../../node/storage/meta-properties.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { parseCommandArgs, UsageError } from './arguments.js';

const USAGE = `usage: quorumd format --config server.properties --cluster-id ID [--ignore-formatted]
                      [--standalone | --initial-controllers LIST | --no-initial-controllers]

Writes meta.properties (with a new directory id) into the metadata log directory and every log
directory. A controller of a dynamic quorum (controller.quorum.bootstrap.servers) must say how
the quorum begins, with exactly one of the last three options.
  -c, --config F                 the node's server.properties
  -t, --cluster-id ID            the cluster id (make one with 'quorumd random-uuid')
  -g, --ignore-formatted         leave already formatted directories as they are instead of failing
  -s, --standalone               this controller alone is the quorum's first voter
  -I, --initial-controllers L    the first voters, id@host:port:directory-id,... (this one among
                                 them; make directory ids with 'quorumd random-uuid')
  -N, --no-initial-controllers   this controller joins a running quorum later (quorumd add-controller)
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
      standalone: { type: 'boolean', short: 's' },
      'initial-controllers': { type: 'string', short: 'I' },
      'no-initial-controllers': { type: 'boolean', short: 'N' },
    }, USAGE);
    if (typeof values.config !== 'string') throw new UsageError(`--config is required\n\n${USAGE}`);
    const clusterId = values['cluster-id'];
    if (typeof clusterId !== 'string') throw new UsageError(`--cluster-id is required\n\n${USAGE}`);
    const bootstrap = bootstrapChoice(values);
    const config = loadServerConfig(values.config);
    const result = formatStorage(config, { clusterId, ignoreFormatted: values['ignore-formatted'] === true, bootstrap });
    for (const dir of result.formatted) {
      const directoryId = dir === config.metadataLogDir && result.metadataDirectoryId !== null ? ` and directory.id ${result.metadataDirectoryId}` : '';
      process.stdout.write(`Formatting ${dir} with cluster.id ${clusterId}, node.id ${config.nodeId}${directoryId}\n`);
    }
    const voters = result.bootstrap?.initialControllers;
    if (voters !== undefined && voters !== null) {
      process.stdout.write(`The quorum begins with voters ${voters.map((voter) => `${voter.nodeId}@${voter.host}:${voter.port}:${voter.directoryId}`).join(',')}\n`);
    } else if (result.bootstrap !== null) {
      process.stdout.write('The quorum\'s voters are not set here: this node joins as an observer\n');
    }
    for (const dir of result.skipped) process.stdout.write(`${dir} is already formatted: left as it is\n`);
    return EXIT_VALID;
  } catch (error) {
    process.stderr.write(`quorumd format: ${(error as Error).message}\n`);
    return error instanceof UsageError ? EXIT_UNKNOWN : EXIT_INVALID;
  }
}

function bootstrapChoice(values: Record<string, string | boolean | undefined>): BootstrapChoice | undefined {
  const given = ['standalone', 'initial-controllers', 'no-initial-controllers'].filter((flag) => values[flag] !== undefined && values[flag] !== false);
  if (given.length > 1) throw new UsageError(`only one of --standalone, --initial-controllers and --no-initial-controllers may be given, got ${given.map((flag) => `--${flag}`).join(' and ')}`);
  if (values.standalone === true) return { kind: 'standalone' };
  if (values['no-initial-controllers'] === true) return { kind: 'no-initial-controllers' };
  const list = values['initial-controllers'];
  if (typeof list !== 'string') return undefined;
  try {
    return { kind: 'initial-controllers', controllers: parseInitialControllers('--initial-controllers', list, isDirectoryId) };
  } catch (error) {
    if (error instanceof ServerConfigError) throw new UsageError(error.message);
    throw error;
  }
}
