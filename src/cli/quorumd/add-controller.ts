/**
 * `quorumd add-controller --config F --bootstrap-controller H:P[,...]`: makes the controller that
 * `F` configures a voter (AddRaftVoter, KIP-853), as Kafka 3.9's `kafka-metadata-quorum
 * add-controller` does with `--command-config`. The controller must be running already, formatted
 * with `--no-initial-controllers`, so that it has joined as an observer: the leader adds it only
 * once it has caught up. Its id, directory id (from its meta.properties, so run this where its disk
 * is) and endpoints (its controller listeners, advertised address first) come from `F`.
 *
 * Exit codes: 0 added (the new voter set committed); 1 refused, timed out or unreachable (the
 * message names the server's error); 2 bad arguments.
 */
import { addRaftVoterApi } from '../../kafka/apis/add-raft-voter/index.js';
import { errorName } from '../../kafka/protocol/error-codes.js';
import { loadServerConfig } from '../../node/config/load-server-config.js';
import { readMetaProperties } from '../../node/storage/meta-properties.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { askFirstAnswering, parseServerList, withAdminSession } from './admin-connection.js';
import { parseCommandArgs, UsageError } from './arguments.js';
import { bracketed } from './describe.js';

const USAGE = `usage: quorumd add-controller --config server.properties --bootstrap-controller HOST:PORT[,...] [--dry-run]

Adds a running controller, which has joined the quorum as an observer, to the voters.
  -c, --config F                  the new controller's server.properties (Kafka's --command-config)
  --bootstrap-controller L        controllers to send the request to, tried in order
  --dry-run                       print what would be added, add nothing
  --timeout-ms N                  how long the change may take to commit (default 30000)
`;

const TIMEOUT_MS_DEFAULT = 30_000;
/** Time beyond the change's own timeout for the answer to travel back. */
const ANSWER_SLACK_MS = 5000;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseCommandArgs(args, {
      config: { type: 'string', short: 'c' },
      'command-config': { type: 'string' },
      'bootstrap-controller': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'timeout-ms': { type: 'string' },
    }, USAGE);
    if (typeof values.config !== 'string' && typeof values['command-config'] !== 'string') throw new UsageError(`--config is required\n\n${USAGE}`);
    if (typeof values['bootstrap-controller'] !== 'string') throw new UsageError(`--bootstrap-controller is required\n\n${USAGE}`);
  } catch (error) {
    process.stderr.write(`quorumd add-controller: ${(error as Error).message}\n`);
    return EXIT_UNKNOWN;
  }
  try {
    const servers = parseServerList(values['bootstrap-controller'] as string, '--bootstrap-controller');
    const timeoutMs = positiveInteger(values['timeout-ms'], TIMEOUT_MS_DEFAULT);
    const config = loadServerConfig((values.config ?? values['command-config']) as string);
    if (!config.processRoles.includes('controller')) throw new Error(`process.roles (${config.processRoles.join(',')}) has no controller: this is not a controller's configuration`);
    const meta = readMetaProperties(config.metadataLogDir);
    if (meta.directoryId === undefined) throw new Error(`no directory id found in ${config.metadataLogDir}/meta.properties`);
    const listeners = config.controllerEndpoints;
    const description = `controller ${config.nodeId} with directory id ${meta.directoryId} and endpoints: ` +
      listeners.map((listener) => `${listener.name}://${bracketed(listener.host)}:${listener.port}`).join(', ');
    if (values['dry-run'] === true) {
      process.stdout.write(`DRY RUN of adding ${description}\n`);
      return EXIT_VALID;
    }
    await askFirstAnswering(servers, 'add the controller', (server) => withAdminSession(server, timeoutMs + ANSWER_SLACK_MS, async (session) => {
      const version = await session.version(addRaftVoterApi, 0);
      const answer = await session.request(addRaftVoterApi, version, {
        clusterId: meta.clusterId, timeoutMs, voterId: config.nodeId, voterDirectoryId: meta.directoryId as string, listeners,
      });
      if (answer.errorCode !== 0) throw new Error(`AddRaftVoter answered ${errorName(answer.errorCode)}${answer.errorMessage === null ? '' : `: ${answer.errorMessage}`}`);
    }));
    process.stdout.write(`Added ${description}\n`);
    return EXIT_VALID;
  } catch (error) {
    process.stderr.write(`quorumd add-controller: ${(error as Error).message}\n`);
    return error instanceof UsageError ? EXIT_UNKNOWN : EXIT_INVALID;
  }
}

export function positiveInteger(text: string | boolean | undefined, fallback: number, option = '--timeout-ms'): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (typeof text !== 'string' || !Number.isInteger(value) || value < 1) throw new UsageError(`${option} must be a positive integer, got '${String(text)}'`);
  return value;
}
