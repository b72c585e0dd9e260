/**
 * `quorumd remove-controller --bootstrap-controller H:P[,...] --controller-id N
 * --controller-directory-id D`: removes that voter (RemoveRaftVoter, KIP-853), as Kafka 3.9's
 * `kafka-metadata-quorum remove-controller`. A leader that removes itself keeps leading until the
 * change commits, then resigns.
 *
 * Exit codes: 0 removed (the new voter set committed); 1 refused, timed out or unreachable; 2 bad
 * arguments.
 */
import { removeRaftVoterApi } from '../../kafka/apis/remove-raft-voter/index.js';
import { errorName } from '../../kafka/protocol/error-codes.js';
import { isDirectoryId } from '../../node/storage/meta-properties.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { positiveInteger } from './add-controller.js';
import { askFirstAnswering, parseServerList, withAdminSession } from './admin-connection.js';
import { parseCommandArgs, UsageError } from './arguments.js';

const USAGE = `usage: quorumd remove-controller --bootstrap-controller HOST:PORT[,...] --controller-id N
                                 --controller-directory-id D [--dry-run]

Removes a voter from the quorum.
  --bootstrap-controller L          controllers to send the request to, tried in order
  -i, --controller-id N             the voter's node id
  -d, --controller-directory-id D   its directory id (quorumd describe --status lists them)
  --dry-run                         print what would be removed, remove nothing
  --timeout-ms N                    how long to wait for an answer (default 30000)
`;

const TIMEOUT_MS_DEFAULT = 30_000;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  let request: { servers: ReturnType<typeof parseServerList>; voterId: number; voterDirectoryId: string; timeoutMs: number; dryRun: boolean };
  try {
    const values = parseCommandArgs(args, {
      'bootstrap-controller': { type: 'string' },
      'controller-id': { type: 'string', short: 'i' },
      'controller-directory-id': { type: 'string', short: 'd' },
      'dry-run': { type: 'boolean' },
      'timeout-ms': { type: 'string' },
    }, USAGE);
    if (typeof values['bootstrap-controller'] !== 'string') throw new UsageError(`--bootstrap-controller is required\n\n${USAGE}`);
    const idText = values['controller-id'];
    if (typeof idText !== 'string') throw new UsageError(`--controller-id is required\n\n${USAGE}`);
    const voterId = Number(idText);
    if (!/^-?[0-9]+$/.test(idText) || voterId < 0 || voterId > 2_147_483_647) throw new UsageError(`Invalid --controller-id: '${idText}' is not a node id`);
    const voterDirectoryId = values['controller-directory-id'];
    if (typeof voterDirectoryId !== 'string') throw new UsageError(`--controller-directory-id is required\n\n${USAGE}`);
    if (!isDirectoryId(voterDirectoryId)) throw new UsageError(`Failed to parse --controller-directory-id: '${voterDirectoryId}' is not a Kafka uuid (22 characters of base64url)`);
    request = {
      servers: parseServerList(values['bootstrap-controller'], '--bootstrap-controller'), voterId, voterDirectoryId,
      timeoutMs: positiveInteger(values['timeout-ms'], TIMEOUT_MS_DEFAULT), dryRun: values['dry-run'] === true,
    };
  } catch (error) {
    process.stderr.write(`quorumd remove-controller: ${(error as Error).message}\n`);
    return EXIT_UNKNOWN;
  }
  const description = `KRaft controller ${request.voterId} with directory id ${request.voterDirectoryId}`;
  if (request.dryRun) {
    process.stdout.write(`DRY RUN of removing ${description}\n`);
    return EXIT_VALID;
  }
  try {
    await askFirstAnswering(request.servers, 'remove the controller', (server) => withAdminSession(server, request.timeoutMs, async (session) => {
      const version = await session.version(removeRaftVoterApi, 0);
      const answer = await session.request(removeRaftVoterApi, version, { clusterId: null, voterId: request.voterId, voterDirectoryId: request.voterDirectoryId });
      if (answer.errorCode !== 0) throw new Error(`RemoveRaftVoter answered ${errorName(answer.errorCode)}${answer.errorMessage === null ? '' : `: ${answer.errorMessage}`}`);
    }));
    process.stdout.write(`Removed ${description}\n`);
    return EXIT_VALID;
  } catch (error) {
    process.stderr.write(`quorumd remove-controller: ${(error as Error).message}\n`);
    return EXIT_INVALID;
  }
}
