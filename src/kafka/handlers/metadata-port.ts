/**
 * What the Kafka request handlers need from the node they are mounted on. node/ implements it on
 * top of the core's QuorumNode; kafka/ imports only the core's operation, error and answer types,
 * never the node.
 *
 * Outcomes are the core's (host-interface.ts ClientResponse): `ok` (done, or a definite answer
 * such as TOPIC_ALREADY_EXISTS inside `result`), `failed` (certainly not done), `unknown` (may
 * have been done: answer REQUEST_TIMED_OUT).
 */
import type { ClientResponse } from '../../core/host-interface.js';
import type { MetadataImage, MetadataOperation } from '../../core/metadata/index.js';
import type { VoterChange } from '../../core/raft/voter-changes.js';

export interface SubmitOptions {
  /** Defaults to the node's `metadata.read.consistency`. */
  readConsistency?: 'linearizable' | 'cached';
  timeoutMs?: number;
}

export interface BrokerListener {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPort {
  readonly clusterId: string;
  readonly nodeId: number;
  /** Runs one metadata operation through the quorum (writes are forwarded to the active controller). */
  submit<Op extends MetadataOperation>(operation: Op, options?: SubmitOptions): Promise<ClientResponse<Op['type']>>;
  /** The leader's view of the quorum, asked of the leader when this node is not it. */
  describeQuorum(timeoutMs?: number): Promise<ClientResponse<'describeQuorum'>>;
  /**
   * Changes the voter set (KIP-853), through the leader; absent on nodes that cannot. `ok` once
   * committed; `unknown` when written but not seen committed in time.
   */
  changeVoters?(change: VoterChange, timeoutMs?: number): Promise<ClientResponse<'changeVoters'>>;
  /** This node's committed image (for answers that may be cached, like Kafka brokers' Metadata). */
  localImage(): MetadataImage;
  /** The id of a live broker to report as Metadata's ControllerId (never -1, as KRaft does). */
  controllerIdForClients(): number;
  /**
   * The host clock the core is driven with, in ms (optional). DescribeQuorum's timestamps are on
   * that clock (a monotonic one, in quorumd); Kafka's are wall-clock epoch ms, so when this is
   * given the handler shifts them onto Date.now()'s clock, as kafka-metadata-quorum expects.
   */
  hostNowMs?(): number;
}
