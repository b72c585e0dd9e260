/**
 * Voter changes in the Docker world (KIP-853), as an operator makes them: DescribeQuorum (v2, with
 * directory ids) for the voter set, AddRaftVoter and RemoveRaftVoter sent to the nodes that serve
 * clients (any of them forwards to the leader), and a disk replacement as a failed disk is: the
 * node is killed, comes back on an empty data directory formatted to join later, with a new random
 * directory id (quorumd-dynamic.ts), and is an observer until it is added again.
 *
 * AddRaftVoter and RemoveRaftVoter answer REQUEST_TIMED_OUT both for a change written but not seen
 * committed in time and for one refused before anything was written (an observer not caught up, the
 * last change not committed yet), and a request may go unanswered after it was sent. The leader's
 * voter set (DescribeQuorum, uncommitted changes included) tells these apart, as an operator would:
 * a change it shows was written and may still commit (`unknown`); one it does not show was not
 * written, or was lost with a leader that wrote it (`failed`, which the nemesis asks again; a change
 * that did happen after all answers DUPLICATE_VOTER or VOTER_NOT_FOUND to that).
 */
import { addRaftVoterApi } from '../../kafka/apis/add-raft-voter/index.js';
import type { ApiDefinition } from '../../kafka/apis/api-codec.js';
import { describeQuorumApi } from '../../kafka/apis/describe-quorum/index.js';
import { removeRaftVoterApi } from '../../kafka/apis/remove-raft-voter/index.js';
import { KafkaClientConnection } from '../../kafka/client/kafka-client-connection.js';
import { ErrorCode, errorName } from '../../kafka/protocol/error-codes.js';
import type { StartedQuorumCluster } from '../../harness/cluster/started-quorum-cluster.js';
import { splitAddress } from '../../harness/systems/kafka/describe-quorum-leader.js';
import { directoryIdIn, metaPropertiesPath, replaceDiskMarker } from '../../harness/systems/quorumd/quorumd-dynamic.js';
import type { MembershipError, MembershipMechanisms, MembershipOutcome, VoterKey } from '../world.js';

const METADATA_TOPIC = '__cluster_metadata';

type Asked<Response> =
  | { kind: 'answer'; response: Response }
  /** The connection failed: the request never left. */
  | { kind: 'not-sent'; message: string }
  /** Sent, but no answer came (timeout, connection closed): it may have taken effect. */
  | { kind: 'no-answer'; message: string };
/** DescribeQuorum v2 carries directory ids. */
const DESCRIBE_QUORUM_VERSION = 2;
/** How long a node replacing its disk has to format and write its new directory id. */
const NEW_DISK_WAIT_MS = 30_000;
const NEW_DISK_POLL_MS = 250;

export class DockerMembershipMechanisms implements MembershipMechanisms {
  private readonly directories = new Map<number, string>();

  constructor(
    private readonly cluster: StartedQuorumCluster,
    /** The controllers whose directory ids are tracked (initial voters and spares). */
    private readonly controllers: readonly number[],
    private readonly requestTimeoutMs: number,
  ) {}

  /** Reads every controller's directory id from its meta.properties (the nodes have started). */
  async load(): Promise<void> {
    for (const nodeId of this.controllers) this.directories.set(nodeId, await this.readDirectoryId(nodeId, 0));
  }

  async voters(): Promise<VoterKey[] | null> {
    const request = { topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0 }] }] };
    for (const address of this.clientAddresses()) {
      const asked = await this.ask(address, describeQuorumApi, DESCRIBE_QUORUM_VERSION, request);
      if (asked.kind !== 'answer') continue;
      const response = asked.response;
      const partition = response.topics.find((topic) => topic.topicName === METADATA_TOPIC)?.partitions[0];
      if (response.errorCode !== 0 || partition === undefined || partition.errorCode !== 0 || partition.leaderId < 0) continue;
      return partition.currentVoters.map((voter) => ({ nodeId: voter.replicaId, directoryId: voter.replicaDirectoryId }));
    }
    return null;
  }

  directoryOf(nodeId: number): string {
    return this.directories.get(nodeId) ?? '';
  }

  addVoter(nodeId: number): Promise<MembershipOutcome> {
    const node = this.cluster.node(nodeId);
    const listeners = [{ name: 'CONTROLLER', host: node.alias, port: node.layout.peerPort }];
    const directoryId = this.directoryOf(nodeId);
    return this.change(addRaftVoterApi, {
      clusterId: null, timeoutMs: this.requestTimeoutMs, voterId: nodeId, voterDirectoryId: directoryId, listeners,
    }, (voters) => voters.some((voter) => voter.nodeId === nodeId && voter.directoryId === directoryId));
  }

  removeVoter(key: VoterKey): Promise<MembershipOutcome> {
    return this.change(removeRaftVoterApi, { clusterId: null, voterId: key.nodeId, voterDirectoryId: key.directoryId },
      (voters) => !voters.some((voter) => voter.nodeId === key.nodeId && voter.directoryId === key.directoryId));
  }

  async replaceDisk(nodeId: number): Promise<string> {
    const old = this.directoryOf(nodeId);
    const node = this.cluster.node(nodeId);
    if (!(await node.isRunning())) await node.start();
    await node.execOrThrow(['touch', replaceDiskMarker]);
    await node.kill('SIGKILL');
    await node.start();
    this.directories.set(nodeId, await this.readDirectoryId(nodeId, NEW_DISK_WAIT_MS, old));
    return old;
  }

  /** `shows`: whether a voter set has the change in it. */
  private async change<Request>(
    api: ApiDefinition<Request, { errorCode: number; errorMessage: string | null }>, request: Request, shows: (voters: VoterKey[]) => boolean,
  ): Promise<MembershipOutcome> {
    const failures: string[] = [];
    for (const address of this.clientAddresses()) {
      const asked = await this.ask(address, api, 0, request, this.requestTimeoutMs * 2);
      if (asked.kind === 'not-sent') {
        // Unreachable (killed, partitioned from this host): the next node may answer.
        failures.push(`${address}: ${asked.message}`);
        continue;
      }
      if (asked.kind === 'no-answer') return this.settle({ code: 'REQUEST_TIMED_OUT', message: `${address}: ${asked.message}` }, shows);
      const answer = asked.response;
      if (answer.errorCode === ErrorCode.NONE) return { outcome: 'ok' };
      const error = { code: errorName(answer.errorCode), message: answer.errorMessage ?? '' };
      return answer.errorCode === ErrorCode.REQUEST_TIMED_OUT ? this.settle(error, shows) : { outcome: 'failed', error };
    }
    // Nothing reached a node: nothing was written.
    return { outcome: 'failed', error: { code: 'NOT_LEADER_OR_FOLLOWER', message: `no node answered (${failures.join('; ')})` } };
  }

  /** A change that may or may not have been written: the leader's voter set says which (see the module comment). */
  private async settle(error: MembershipError, shows: (voters: VoterKey[]) => boolean): Promise<MembershipOutcome> {
    const voters = await this.voters();
    return { outcome: voters === null || shows(voters) ? 'unknown' : 'failed', error };
  }

  private clientAddresses(): string[] {
    return this.cluster.nodes.filter((node) => node.layout.servesClients).map((node) => node.clientAddress);
  }

  /** One request on a connection of its own: its answer, or whether it was sent at all. */
  private async ask<Request, Response>(
    address: string, api: ApiDefinition<Request, Response>, version: number, request: Request, timeoutMs = this.requestTimeoutMs,
  ): Promise<Asked<Response>> {
    const [host, port] = splitAddress(address);
    let connection: KafkaClientConnection;
    try {
      connection = await KafkaClientConnection.connect({ host, port, connectTimeoutMs: timeoutMs, clientId: 'quorumcheck-membership' });
    } catch (error) {
      return { kind: 'not-sent', message: (error as Error).message };
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${api.name} answer within ${timeoutMs} ms`)), timeoutMs);
      });
      return { kind: 'answer', response: await Promise.race([connection.request(api, version, request), timeout]) };
    } catch (error) {
      return { kind: 'no-answer', message: (error as Error).message };
    } finally {
      clearTimeout(timer);
      await connection.close();
    }
  }

  /** The node's directory id, waiting up to `waitMs` for one other than `unlike` (a fresh format). */
  private async readDirectoryId(nodeId: number, waitMs: number, unlike?: string): Promise<string> {
    const node = this.cluster.node(nodeId);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const text = await node.readFile(metaPropertiesPath(node.layout)).catch(() => '');
      const directoryId = directoryIdIn(text);
      if (directoryId !== null && directoryId !== unlike) return directoryId;
      if (Date.now() >= deadline) {
        throw new Error(`node ${nodeId} has no ${unlike === undefined ? '' : 'new '}directory id in ${metaPropertiesPath(node.layout)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, NEW_DISK_POLL_MS));
    }
  }
}
