/**
 * A World is where one run happens: the simulator (worlds/sim-world.ts) or Docker containers
 * (worlds/docker-world.ts). The run pipeline (run/) decides *what* happens and when: which
 * operations clients invoke, which faults the schedule applies to whom, when to heal, what to
 * check. A world only says *how*: it owns the nodes, the clock, the fault mechanisms, the clients
 * and the node logs. Nothing in a world decides to inject a fault or to invoke an operation.
 *
 * The contract every world keeps:
 *  - Node ids are those of `WorldOptions.topology` (planTopology below), identical in both worlds,
 *    so a schedule or a history means the same thing in either.
 *  - Times are the world's clock (`clock.nowMs()`): ms since the world started, virtual in the
 *    simulator (it advances only while the pipeline awaits), monotonic real time in Docker.
 *    Histories record these (as ns) and nothing else.
 *  - Fault mechanisms are idempotent and independent: `applyGrudge` replaces the partition in
 *    force (HEALED heals it) and leaves packet loss alone; `setPacketLoss` replaces the loss in
 *    force and leaves the grudge alone; `healAll` undoes every fault of every kind. They resolve
 *    once the fault is in force (Docker: the rules are installed), and reject with an Error naming
 *    the node and the step when a mechanism fails.
 *  - A client executes one operation at a time, in the vocabulary of the run's workload (topic
 *    operations, history/topic-operations.ts; or the keyed register's, history/register-operations.ts),
 *    and resolves with its completion as the system's client classifies it (history/kafka-completion.ts
 *    for Kafka's clients). It never throws for the system's behaviour (timeouts, refused connections and
 *    errors are completions); it rejects only for a broken world (a bug, the engine gone).
 *  - A world that stops on its own (the simulator halts at a broken invariant or an exception in a
 *    node) resolves `halted` with the reason; the pipeline then stops waiting and judges what it has.
 */
import type { InvariantChecker } from '../checker/invariants/invariant-checker.js';
import type { Grudge } from '../faults/grudge.js';
import type { KafkaCompletion } from '../history/kafka-completion.js';
import type { NodeEvent } from '../history/node-event.js';
import type { ObservedEventSource } from '../harness/systems/observed-sources.js';
import type { RegisterFunction } from '../history/register-operations.js';
import type { TopicFunction } from '../history/topic-operations.js';

export type WorldKind = 'sim' | 'docker';
export type NodeRole = 'controller' | 'broker';
/** `combined`: every node is `broker,controller`. `isolated`: controllers and brokers apart. */
export type RolesMode = 'combined' | 'isolated';

export interface WorldNode {
  id: number;
  roles: readonly NodeRole[];
}

export interface Topology {
  roles: RolesMode;
  /** Voter ids (1..n): the initial voters. */
  controllers: readonly number[];
  /**
   * Spare controllers (n+1..): formatted to join later (KIP-853's --no-initial-controllers), they
   * start as observers for membership faults to add. Non-empty only when the voter set lives in
   * the log (kraft.version 1); empty otherwise.
   */
  spares: readonly number[];
  /** Ids of the nodes clients talk to: the controllers in combined mode, 101.. in isolated mode. */
  brokers: readonly number[];
  /** Every node, ascending, with its roles. */
  nodes: readonly WorldNode[];
}

export const CONTROLLER_COUNTS = [3, 5, 7] as const;
/** Brokers of an isolated cluster: enough for a replication factor of 3. */
export const ISOLATED_BROKER_COUNT = 3;
/** Isolated brokers are numbered from here, so their ids never collide with voters'. */
export const ISOLATED_BROKER_ID_BASE = 100;

/** Spare controllers a cluster with membership faults has: enough to add two voters, or replace one and add one. */
export const MEMBERSHIP_SPARE_CONTROLLERS = 2;
/**
 * The Docker world's restart allowance (World.restartAllowanceMs): a restarted container needs its
 * process to start and its node to recover and rejoin, a few seconds on a loaded 2-core machine.
 * Here, not in worlds/docker-world.ts, so the CLI's help can name it without loading the harness.
 */
export const DOCKER_RESTART_ALLOWANCE_MS = 10_000;

/**
 * The node ids and roles both worlds use for `controllers` voters in `roles` mode, with `spares`
 * more controllers that start as observers (membership faults).
 */
export function planTopology(controllers: number, roles: RolesMode, spares = 0): Topology {
  if (!Number.isInteger(controllers) || controllers < 1 || controllers > 9) {
    throw new RangeError(`controllers must be an integer in [1, 9], got ${controllers}`);
  }
  if (!Number.isInteger(spares) || spares < 0 || spares > MEMBERSHIP_SPARE_CONTROLLERS) {
    throw new RangeError(`spare controllers must be an integer in [0, ${MEMBERSHIP_SPARE_CONTROLLERS}], got ${spares}`);
  }
  const controllerIds = Array.from({ length: controllers }, (_, index) => index + 1);
  const spareIds = Array.from({ length: spares }, (_, index) => controllers + index + 1);
  if (roles === 'combined') {
    const all = [...controllerIds, ...spareIds];
    return {
      roles, controllers: controllerIds, spares: spareIds, brokers: all,
      nodes: all.map((id) => ({ id, roles: ['broker', 'controller'] as const })),
    };
  }
  if (roles !== 'isolated') throw new RangeError(`roles must be combined or isolated, got '${String(roles)}'`);
  const brokerIds = Array.from({ length: ISOLATED_BROKER_COUNT }, (_, index) => ISOLATED_BROKER_ID_BASE + index + 1);
  return {
    roles, controllers: controllerIds, spares: spareIds, brokers: brokerIds,
    nodes: [
      ...[...controllerIds, ...spareIds].map((id) => ({ id, roles: ['controller'] as const })),
      ...brokerIds.map((id) => ({ id, roles: ['broker'] as const })),
    ],
  };
}

/** What a world is built from. Everything else a world needs is its own business. */
export interface WorldOptions {
  topology: Topology;
  /**
   * Server properties set on every node, Kafka's names (`metadata.read.consistency=cached`).
   * A world refuses a key it cannot apply with an Error naming it.
   */
  nodeConfig: Readonly<Record<string, string>>;
  /** The run's seed: the simulator derives everything from it; Docker uses it for names only. */
  seed: number;
  /** Progress and diagnostics, one line each (the pipeline forwards them to its sink). */
  log?: (line: string) => void;
}

export interface WorldClock {
  /** ms since the world started. */
  nowMs(): number;
  /** Resolves after `ms` of the world's time (at once for ms <= 0). */
  sleep(ms: number): Promise<void>;
}

export interface LeaderInfo {
  nodeId: number;
  epoch: number;
}

/**
 * One operation in the history vocabulary of the run's workload: a topic operation
 * (history/topic-operations.ts), or a read, write or cas of the keyed register, its value a
 * `[key, value]` pair (history/register-operations.ts). The simulator's clients speak topics only.
 */
export interface ClientOperation {
  f: TopicFunction | RegisterFunction;
  value: unknown;
  /**
   * create-topic operations sent in the same CreateTopics request as this one, as a kafkajs
   * user's createTopics of several topics is (the request is one write on the controller). Each
   * is its own operation in the history, on a process of its own, with this one's invoke and
   * complete times. A client without `invokeTogether` sends this operation alone.
   */
  together?: ClientOperation[];
}

/**
 * What a client's operation came to. `node` is the node that answered, where the client knows it.
 * `acknowledged`: for a write acknowledged as committed, where the metadata log put it (the
 * simulator knows; a Kafka client does not), for "no acknowledged write lost".
 */
export type ClientCompletion = KafkaCompletion & {
  node?: number;
  acknowledged?: { committedOffset: number; committedEpoch: number };
};

/** One logical client process: a Kafka admin client that runs one operation at a time. */
export interface WorldClient {
  invoke(operation: ClientOperation): Promise<ClientCompletion>;
  /** Sends create-topic operations in one request; their completions, in order (see ClientOperation.together). */
  invokeTogether?(operations: ClientOperation[]): Promise<ClientCompletion[]>;
  /** Closes its connections; an operation still running completes as `info` or never. */
  close(): Promise<void>;
}

/** A voter: its node and the directory (disk) it runs on (KIP-853). */
export interface VoterKey {
  nodeId: number;
  directoryId: string;
}

/** How a voter change ended: `unknown` when it was written and may still commit. */
export interface MembershipOutcome {
  outcome: 'ok' | 'failed' | 'unknown';
  /** Why, when not ok: Kafka's error name (the stable code callers branch on) and a message for people. */
  error?: MembershipError;
}

export interface MembershipError {
  code: string;
  message: string;
}

/**
 * Voter changes (KIP-853), in worlds whose topology has spare controllers. Each resolves when the
 * cluster answered (or the request timed out); none throws for the system's behaviour.
 */
export interface MembershipMechanisms {
  /** The voter set as the leader reports it, or null when no leader answers. */
  voters(): Promise<VoterKey[] | null>;
  /** The directory the node runs on now. */
  directoryOf(nodeId: number): string;
  /** Adds the node, on the directory it runs on now, to the voter set (AddRaftVoter). */
  addVoter(nodeId: number): Promise<MembershipOutcome>;
  /** Removes the voter `key` (RemoveRaftVoter). */
  removeVoter(key: VoterKey): Promise<MembershipOutcome>;
  /**
   * The node's disk fails: it is killed, gets a fresh disk with a new directory id (formatted to
   * join later), and starts again as an observer. Resolves with the directory it had.
   */
  replaceDisk(nodeId: number): Promise<string>;
}

/** A vote a node granted, as its event stream said it (`vote-granted`). */
export interface GrantedVote {
  node: number;
  epoch: number;
  votedFor: number;
}

/** The node was killed for `vote` (or the kill failed: `error`), at `atMs` on the world's clock. */
export type OnVoteKilled = (vote: GrantedVote, atMs: number, error?: Error) => void;

export interface VoteKillWatch {
  /**
   * Arms a running node: its next vote kills it. Resolves once armed; rejects naming the node when
   * it cannot be (its event log not readable). A node another process fault (kill, stop, pause)
   * takes is disarmed by the world; arming it again is the caller's.
   */
  arm(node: number): Promise<void>;
  /** Disarms every node and stops watching (kills already made stay made). */
  stop(): Promise<void>;
}

/** What `collectNodeLogs` found for one node. */
export interface CollectedNodeLog {
  nodeId: number;
  roles: readonly NodeRole[];
  /** The node's event stream, in its own order (the pipeline merges nodes by time). */
  events: readonly NodeEvent[];
  /** Paths relative to the run directory of the files written, or null when not written. */
  logFile: string | null;
  eventsFile: string | null;
  /** Why something of this node is missing (its container was gone, the log was cut), or null. */
  missing: string | null;
}

/** A system's events as seen from outside, for checker/invariants/observed-invariants.ts. */
export interface ObservedEvents {
  sources: ObservedEventSource[];
  notJudged: Readonly<Record<string, string>>;
}

export interface World extends AsyncDisposable {
  readonly kind: WorldKind;
  /** The system under test: "quorumd", or a reference system's name. */
  readonly system: string;
  readonly systemVersion: string;
  readonly topology: Topology;
  readonly clock: WorldClock;
  /**
   * How long nodes take to come back after `healAll` starts killed and stopped ones (process
   * start-up, container restart): added to the recovery bound (run/recovery.ts). 0 in the simulator.
   */
  readonly restartAllowanceMs: number;
  /** The timeout of one client operation: after it the operation completes as `info`. */
  readonly requestTimeoutMs: number;
  /**
   * Whether the nodes give the node event stream the Raft invariants judge (default true: quorumd
   * writes it). False for a system that writes none (etcd, Kafka): the run leaves the invariants
   * out of its verdict and says so, instead of calling them unknown.
   */
  readonly nodeEvents?: boolean;
  /**
   * Where the nodes write no event stream of ours: what the system exposes, by source, with the
   * rules each source judges and why the others are not judged (asked after collectNodeLogs).
   * Absent or null: nothing is judged from outside (the run says the invariants were not judged).
   */
  observedEvents?(): ObservedEvents | null;
  /**
   * Resolves with a reason if the world stops on its own before it is disposed (the simulator
   * halted at a broken invariant or an exception inside a node). Never rejects.
   */
  readonly halted: Promise<string>;

  // ---- faults. Every method resolves once the fault is in force.
  /** Replaces the partition in force with `grudge` (HEALED heals it). */
  applyGrudge(grudge: Grudge): Promise<void>;
  /** Drops packets arriving at each of `nodes` with `probability`; replaces the loss in force ([] or 0: none). */
  setPacketLoss(nodes: readonly number[], probability: number): Promise<void>;
  /** kill -9: the process dies at once; what it had not synced is lost. */
  kill(nodeId: number): Promise<void>;
  /** Starts a killed or stopped node again (from what it had made durable). */
  start(nodeId: number): Promise<void>;
  /** SIGSTOP (or cgroup freeze): nothing runs, timers fire late, connections stay open. */
  pause(nodeId: number): Promise<void>;
  resume(nodeId: number): Promise<void>;
  /** Graceful stop (SIGTERM): a leader resigns first; `start` brings it back. */
  stop(nodeId: number): Promise<void>;
  /**
   * Sets the node's clock offset (0 removes it). What moves is the world's business, said in its
   * module comment: Docker shifts the node's wall clock (libfaketime); the simulator moves the
   * only clock its core has, a monotonic one, which follows steps forward and ignores steps back.
   */
  setClockOffset(nodeId: number, offsetMs: number): Promise<void>;
  /**
   * Flips the node's clock between +`deltaMs` and no offset every `periodMs`, for `durationMs`
   * from now (the world runs the strobe; the promise resolves once it has started).
   */
  strobeClock(nodeId: number, deltaMs: number, periodMs: number, durationMs: number): Promise<void>;
  /** Undoes every fault: heals partitions and loss, resumes, starts, zeroes clock offsets. */
  healAll(): Promise<void>;
  /**
   * A vote-kill: a node armed on the watch is killed (-9) the moment it grants a vote, before it
   * could have written anything after it, and disarmed; `onKilled` is told after. The node stays
   * down until `start`. Rejects with an Error saying why where the world cannot see a vote as it is
   * granted; absent in a world that never can.
   */
  killOnVote?(onKilled: OnVoteKilled): Promise<VoteKillWatch>;

  // ---- observation
  /** The leader and its epoch as the cluster reports it now (DescribeQuorum), or null. */
  leader(): Promise<LeaderInfo | null>;
  /** A client for logical process `process` (process ids are the pipeline's). */
  openClient(process: number): Promise<WorldClient>;
  /**
   * Every node's logs. With `runDir` the files are written there (nodes/<id>.log,
   * nodes/<id>.events.jsonl, see history/run-directory-format.ts); with null they are only read
   * (a sweep keeps the directories of failing seeds only).
   */
  collectNodeLogs(runDir: string | null): Promise<CollectedNodeLog[]>;
  /**
   * The node events so far, in time order, on the world's clock: an array that grows as the world
   * runs (the simulator). Absent where events are read only after the run (Docker's event logs).
   * The recovery phase watches them to end as soon as every voter is back (checks/quorum-rejoin.ts).
   */
  liveNodeEvents?(): readonly NodeEvent[];
  /**
   * Where events are read from the nodes' files (Docker): every node's events written so far, one
   * stream per node in time order, on the world's clock. `consistent: false` reads the files as
   * they are (nodes keep running; each file is cut at its last whole line), `true` stops the nodes
   * for the read as collectNodeLogs does, so the streams are one consistent cut. The recovery
   * phase peeks at them to end once every voter is seen back, instead of waiting out the bound.
   */
  peekNodeEvents?(options: { consistent: boolean }): Promise<readonly (readonly NodeEvent[])[]>;
  /**
   * The checker that judged every node event as it happened, with no rule armed (the simulator's):
   * the judge takes its verdicts instead of judging every event again (checks/invariants.ts).
   * Asked after collectNodeLogs. Absent where nothing judges the events during the run.
   */
  liveInvariants?(): InvariantChecker;
  /** Figures the world measured itself (the simulator's queue events and messages), for results.json. */
  figures?(): Readonly<Record<string, number>>;
  /** Voter changes, in worlds that support them (topology.spares non-empty). */
  readonly membership?: MembershipMechanisms;
}

/**
 * How a world is made: `await using world = await createWorld(options)`. A world that cannot be
 * set up (no engine, no image, a node-config key it cannot apply) rejects with a WorldSetupError,
 * having removed whatever it had started; the CLI exits 3 with its message.
 *
 * worlds/sim-world.ts exports `createSimWorld`; worlds/docker-world.ts exports
 * `createDockerWorld: WorldFactory` (the CLI loads it when --env docker is asked for).
 */
export type WorldFactory = (options: WorldOptions) => Promise<World>;

/** A world that could not be set up: bad input or a missing dependency, not a verdict on the system. */
export class WorldSetupError extends Error {
  override readonly name = 'WorldSetupError';
}
