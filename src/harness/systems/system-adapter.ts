/**
 * A system under test, split as Jepsen splits one: the *db* (how to build its image, which nodes
 * a topology has and what runs in each container, when a node is up, who leads, where its event
 * log is) and the *client* (how one logical process runs history operations against it).
 *
 * The harness and the run pipeline know a system only through this interface. Adding one (real
 * Kafka, etcd) means a folder under src/harness/systems/ with an object implementing it, and a
 * line in systems/index.ts; the cluster, the fault mechanisms, the docker world and the CLI stay
 * as they are.
 *
 * What the harness provides to every system, so adapters need not:
 * - a private Docker network, one container per node named by its alias (`node<id>`), which
 *   peers resolve by DNS, with NET_ADMIN; the node's client port mapped to a host port;
 * - the image's entry point `quorumcheck-node-entry` (docker/bin/): an adapter's image must keep
 *   it (build FROM the quorumd base image, or copy it), since it fills in the node's own address
 *   and starts `/etc/quorumd/run.sh`, the adapter's NodeProgram;
 * - every fault: partitions and packet loss by iptables in the node's network namespace, kill,
 *   pause, stop, and clock faults through libfaketime (when `clockFaults` says they apply).
 */
import type { ProgressLog } from '../docker/docker-cli.js';
import type { NodeProgram } from '../cluster/node-program.js';
import type { NodeEvent } from '../../history/node-event.js';

/** The workloads a run can give a system's clients (see SystemAdapter.workload). */
export const WORKLOAD_KINDS = ['topics', 'register'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** How a topology places roles: every node does everything, or voters apart from servers. */
export type RoleLayout = 'combined' | 'isolated';
export const ROLE_LAYOUTS: readonly RoleLayout[] = ['combined', 'isolated'];

export interface TopologyRequest {
  /** Voters of the consensus quorum; the CLI allows 3, 5 or 7 (tests may ask for 1). */
  voters: number;
  roles: RoleLayout;
  /** Isolated only: how many client-serving nodes besides the voters (default per system). */
  servers?: number;
}

/** One node of a planned topology, before any container exists. */
export interface PlannedNode {
  /** Unique, positive; the container is named `node<nodeId>`. */
  nodeId: number;
  /** The system's own role names (`broker`, `controller`; a ZooKeeper system may say `zookeeper`). */
  roles: readonly string[];
  /** Votes in the quorum whose event logs the Raft invariants judge. */
  voter: boolean;
  /** Answers client operations: clients connect only to these. */
  servesClients: boolean;
}

/** What a system says about its leader. */
export interface LeaderReport {
  leaderId: number;
  /** The leader's epoch (Raft term), as the system numbers it. */
  epoch: number;
  /** The node that answered. */
  reportedBy: number;
}

/**
 * A completed operation, in the history's words: `ok` with its value; `fail` only when it
 * certainly did not take effect; `info` when it may have (timeouts, closed connections, retries
 * exhausted). `node` is the node the client talked to, where the client knows it.
 */
export type OperationCompletion =
  | { type: 'ok'; value: unknown; node?: number }
  | { type: 'fail'; error: string; node?: number }
  | { type: 'info'; error: string; node?: number };

/**
 * One logical process's connection: one operation at a time (the caller awaits each `invoke`).
 * `invoke` resolves for every answer the system gives, errors included; it rejects only for a
 * bug (an operation outside the vocabulary). After an `info` the caller closes this client and
 * opens a fresh one, as Jepsen retires a process whose operation is indeterminate.
 */
export interface OperationClient {
  invoke(f: string, value: unknown): Promise<OperationCompletion>;
  close(): Promise<void>;
}

/** A running node as an adapter sees it: no Docker, only where this process reaches it. */
export interface NodeEndpoint {
  nodeId: number;
  roles: readonly string[];
  voter: boolean;
  servesClients: boolean;
  /** `host:port` of the node's client port, reachable from this process. */
  clientAddress: string;
}

export interface ClientOptions {
  /** The logical process id (the history's `process`), for client ids and logs. */
  process: number;
  /** How long one operation may take before it is `info` (timeout). */
  requestTimeoutMs: number;
  /** The nodes to connect to; by default every client-serving node. */
  endpoints: readonly NodeEndpoint[];
}

export interface ImageOptions {
  log?: ProgressLog;
}

/** Settings the run passes to every node's program. */
export interface NodeSettings {
  /** `--node-config KEY=VALUE`, in the system's own keys (already checked by checkNodeConfig). */
  nodeConfig: Readonly<Record<string, string>>;
}

export interface SystemAdapter {
  /** The name users type (`--system quorumd`). */
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly summary: string;
  /**
   * What its clients do in a run: `topics`, topic-metadata operations (Kafka's admin calls), or
   * `register`, reads, writes and compare-and-sets on a few keys with unique values (Jepsen's
   * register test). The run pipeline draws its operations from this and judges them with `model`.
   */
  readonly workload: WorkloadKind;
  /** The checker's model for its clients' histories (`topics`; `etcd-keyed`: a register per key). */
  readonly model: string;
  /** Ports every node listens on inside its container. */
  readonly ports: { client: number; peer: number };
  /**
   * Where each node writes the node event stream (src/history/node-event.ts) inside its
   * container, or null when the system writes none: the Raft invariants are then `unknown`.
   */
  readonly eventLogPath: string | null;
  /**
   * How long one client operation may take before a run calls it indeterminate (`info`), where
   * the system's operations are much faster than Kafka's admin calls (the run's default, 5 s).
   */
  readonly requestTimeoutMs?: number;
  /** Whether its processes honour libfaketime (LD_PRELOAD), so clock faults mean something. */
  readonly clockFaults: boolean;
  /**
   * For a system that writes no event stream of ours but logs its Raft state changes (Kafka's
   * KRaft controllers): the node events read from a voter's output, judged like any event
   * stream. The adapter's doc says which invariants they can judge.
   */
  eventsFromOutput?(nodeId: number, output: string): NodeEvent[];
  /**
   * For a system that writes no event stream of ours: which Raft invariants can be judged from
   * what it exposes, and why each other one cannot. Absent: the system writes our stream (quorumd)
   * or nothing is said (every invariant not judged).
   */
  readonly observedInvariants?: ObservedInvariantScope;

  /** Builds the image if it is missing and returns its name; throws naming what is missing. */
  ensureImage(options: ImageOptions): Promise<string>;
  /** The nodes of a topology; throws TopologyError naming what is impossible. */
  planTopology(request: TopologyRequest): PlannedNode[];
  /** Throws NodeConfigError naming the first key or value the system would refuse. */
  checkNodeConfig(nodeConfig: Readonly<Record<string, string>>): void;
  /**
   * What runs in every node's container: files, run script, and the output line saying a node
   * serves (the cluster's start waits for it; see NodeProgram.readyLogPattern).
   */
  nodeProgram(settings: NodeSettings): NodeProgram;
  /** The current leader as the system reports it, or null if no node names one in time. */
  findLeader(endpoints: readonly NodeEndpoint[], timeoutMs: number): Promise<LeaderReport | null>;
  /** A client for one logical process. */
  openClient(options: ClientOptions): Promise<OperationClient>;
}

/** Rule names are the checker's (INVARIANT_RULES); the harness does not import the checker. */
export interface ObservedInvariantScope {
  /** Rules judged on eventsFromOutput's events, and how those are got, in words. */
  fromOutput?: { how: string; rules: readonly string[] };
  /** Rules judged on DescribeQuorum answers polled during the run (kafka/describe-quorum-poll.ts). */
  fromDescribeQuorum?: { how: string; rules: readonly string[] };
  /** Why each rule no source judges cannot be judged from outside, by rule name. */
  notJudged: Readonly<Record<string, string>>;
}

/** A topology the system cannot have (ping-pong on 3 nodes, isolated roles for etcd). */
export class TopologyError extends Error {
  readonly code = 'TOPOLOGY_IMPOSSIBLE';
  constructor(message: string) {
    super(message);
    this.name = 'TopologyError';
  }
}

/** A `--node-config` entry the system would refuse, named. */
export class NodeConfigError extends Error {
  readonly code = 'NODE_CONFIG_INVALID';
  constructor(readonly key: string, message: string) {
    super(`--node-config ${key}: ${message}`);
    this.name = 'NodeConfigError';
  }
}

/** Voter counts the run accepts: odd, so a majority is well defined, and small. */
export const VOTER_COUNTS: readonly number[] = [3, 5, 7];

/**
 * The common Kafka-style planning, shared by KRaft-like systems: combined puts `broker,controller`
 * on voters 1..N; isolated puts `controller` on 1..N and `broker` on 101..100+servers (ids as in
 * Kafka's own examples, so a log line says which kind of node it is).
 */
export function planKraftTopology(request: TopologyRequest, serversDefault: number): PlannedNode[] {
  assertVoters(request.voters);
  const controllers = Array.from({ length: request.voters }, (_, index) => index + 1);
  if (request.roles === 'combined') {
    if (request.servers !== undefined) {
      throw new TopologyError(`combined roles put a broker on every voter: servers (${request.servers}) applies to isolated roles only`);
    }
    return controllers.map((nodeId) => ({ nodeId, roles: ['broker', 'controller'], voter: true, servesClients: true }));
  }
  if (request.roles !== 'isolated') {
    throw new TopologyError(`roles must be one of ${ROLE_LAYOUTS.join(', ')}, got '${String(request.roles)}'`);
  }
  const servers = request.servers ?? serversDefault;
  if (!Number.isInteger(servers) || servers < 1 || servers > brokersMax) {
    throw new TopologyError(`isolated roles need 1 to ${brokersMax} brokers, got ${servers}`);
  }
  return [
    ...controllers.map((nodeId) => ({ nodeId, roles: ['controller'], voter: true, servesClients: false })),
    ...Array.from({ length: servers }, (_, index) => ({
      nodeId: isolatedBrokerIdBase + index + 1, roles: ['broker'], voter: false, servesClients: true,
    })),
  ];
}

export const isolatedBrokerIdBase = 100;
/** More brokers than this is a load test, not a partition test. */
export const brokersMax = 9;

function assertVoters(voters: number): void {
  if (!Number.isInteger(voters) || voters < 1 || voters > 9) {
    throw new TopologyError(`voters must be an integer from 1 to 9 (runs use ${VOTER_COUNTS.join(', ')}), got ${voters}`);
  }
}
