/**
 * The Docker world: a run against real nodes in containers. The pipeline decides what happens;
 * this world does it with the harness's mechanisms (src/harness/): a cluster of the system under
 * test (quorumd unless another adapter is given), its partitions and packet loss as iptables
 * chains inside each node's network namespace, kill -9, pause, graceful stop, libfaketime clocks,
 * kafkajs clients, and the nodes' logs read out as one consistent cut.
 *
 * Time: `clock.nowMs()` is ms since the world was created, on the kernel's monotonic clock. Node
 * event logs are stamped with the same kernel clock (containers share the host's kernel), so the
 * world shifts their `timeNs` onto its own origin: history and events share one time line. (On
 * Docker Desktop the nodes' kernel is a VM's and the shift is only approximate.) The clock anchors
 * of the nodes' human logs (quorumd's pairing of wall and monotonic time) move by the same amount.
 *
 * Set-up failures (no engine, no image, a node setting the system refuses, a cluster that does
 * not start) reject with WorldSetupError after removing whatever was started.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateGrudge, type Grudge } from '../../faults/grudge.js';
import { parseNodeEvents } from '../../checker/invariants/event-log-reader.js';
import { nodeLogFile, writeNodeEventsFile } from '../../history/run-directory-format.js';
import { shiftClockAnchors } from '../../history/node-log-line.js';
import type { NodeEvent } from '../../history/node-event.js';
import type { AdvertiseMode } from '../../harness/cluster/cluster-layout.js';
import { watchUnexpectedExits } from '../../harness/cluster/exit-watch.js';
import type { FaultPathChoice } from '../../harness/cluster/node-access.js';
import type { StartedQuorumCluster } from '../../harness/cluster/started-quorum-cluster.js';
import { ClockFaults } from '../../harness/nemesis/clock-faults.js';
import { gracefulStopTimeoutMsDefault } from '../../harness/nemesis/graceful-stop.js';
import { pauseNode, resumeNode, type PauseMode } from '../../harness/nemesis/process-pause.js';
import { VoteKillWatch } from '../../harness/nemesis/vote-kill.js';
import { quorumdSystem } from '../../harness/systems/quorumd/quorumd-system.js';
import { dynamicQuorumdSystem, newDynamicQuorum } from '../../harness/systems/quorumd/quorumd-dynamic.js';
import { startSystemCluster, type StartedSystemCluster } from '../../harness/systems/system-cluster.js';
import { TopologyError, type PlannedNode, type SystemAdapter } from '../../harness/systems/system-adapter.js';
import { DescribeQuorumPoller } from '../../harness/systems/kafka/describe-quorum-poll.js';
import { observedSources } from '../../harness/systems/observed-sources.js';
import { assertDockerEngineAnswers } from '../../harness/docker/engine.js';
import { DockerMembershipMechanisms } from './docker-membership.js';
import {
  DOCKER_RESTART_ALLOWANCE_MS, WorldSetupError, type MembershipMechanisms,
  type ClientOperation, type CollectedNodeLog, type LeaderInfo, type ObservedEvents, type Topology, type World, type WorldClient,
  type WorldClock, type WorldFactory, type WorldOptions, type OnVoteKilled, type VoteKillWatch as WorldVoteKillWatch,
} from '../world.js';

export interface DockerWorldOptions {
  /** The system under test; default quorumd. */
  system?: SystemAdapter;
  /** An image to run instead of the system's own (which is built if missing). */
  image?: string;
  /** One client operation's timeout: after it the operation is `info`. Default: the system's, else 5 s. */
  requestTimeoutMs?: number;
  advertise?: AdvertiseMode;
  faultPath?: FaultPathChoice;
  /** How `pause` freezes a node: SIGSTOP (default, as Jepsen) or the cgroup freezer. */
  pauseMode?: PauseMode;
  /** How long a graceful stop waits for the node before it kills it. */
  gracefulStopTimeoutMs?: number;
  /** How long `leader()` waits for DescribeQuorum answers. */
  leaderTimeoutMs?: number;
}

export const dockerRequestTimeoutMsDefault = 5_000;
/** How often a system judged from outside is asked DescribeQuorum during a run, and how long an answer may take. */
const describeQuorumPollMs = 1_000;
const describeQuorumPollTimeoutMs = 2_000;
/** The restart allowance the pipeline adds to its recovery bound (world.ts says why 10 s). */
export const dockerRestartAllowanceMs = DOCKER_RESTART_ALLOWANCE_MS;
const leaderTimeoutMsDefault = 2_000;
/** How long a vote-kill waits for a started node's event log to appear, and how often it looks. */
const EVENT_LOG_WAIT_MS = 10_000;
const EVENT_LOG_WAIT_STEP_MS = 100;
/** How long a start waits for a node killed from this host to have stopped, and how often it looks. */
const EXIT_WAIT_MS = 10_000;
const EXIT_WAIT_STEP_MS = 20;

export const createDockerWorld: WorldFactory = (options) => openDockerWorld(options);

export async function openDockerWorld(options: WorldOptions, docker: DockerWorldOptions = {}): Promise<DockerWorld> {
  const log = options.log ?? (() => {});
  // Spare controllers mean membership faults: quorumd then runs a dynamic quorum (kraft.version 1).
  const membership = options.topology.spares.length > 0;
  if (membership && docker.system !== undefined && docker.system.name !== quorumdSystem.name) {
    throw new WorldSetupError(`membership faults need a dynamic quorum (KIP-853), which the harness sets up for quorumd only, not ${docker.system.name}`);
  }
  const system = membership ? dynamicQuorumdSystem(newDynamicQuorum(options.topology.controllers)) : docker.system ?? quorumdSystem;
  const originNs = process.hrtime.bigint();
  let nodes: PlannedNode[];
  try {
    system.checkNodeConfig(options.nodeConfig);
    nodes = systemNodes(system, options.topology);
  } catch (error) {
    throw new WorldSetupError((error as Error).message, { cause: error });
  }
  try {
    await assertDockerEngineAnswers();
  } catch (error) {
    throw new WorldSetupError((error as Error).message, { cause: error });
  }
  let started: StartedSystemCluster;
  try {
    started = await startSystemCluster({
      system,
      topology: nodes,
      nodeConfig: options.nodeConfig,
      ...(docker.image === undefined ? {} : { image: docker.image }),
      ...(docker.advertise === undefined ? {} : { advertise: docker.advertise }),
      ...(docker.faultPath === undefined ? {} : { faultPath: docker.faultPath }),
      runId: `s${options.seed}-${Date.now().toString(36)}`,
      log,
    });
  } catch (error) {
    throw new WorldSetupError(`the ${system.name} cluster could not be set up: ${(error as Error).message}`, { cause: error });
  }
  const startedMs = Number(process.hrtime.bigint() - originNs) / 1e6;
  const world = new DockerWorld(options.topology, system, started, originNs, docker, log);
  try {
    if (membership) await world.loadMembership();
  } catch (error) {
    await world[Symbol.asyncDispose]();
    throw new WorldSetupError(`the controllers' directory ids could not be read: ${(error as Error).message}`, { cause: error });
  }
  try {
    await world.watchExits();
  } catch (error) {
    await world[Symbol.asyncDispose]();
    throw new WorldSetupError(`the engine's event stream could not be followed: ${(error as Error).message}`, { cause: error });
  }
  log(`docker world: ${started.cluster.nodes.length} nodes of ${system.name} ready in ${Math.round(startedMs)} ms (run ${started.cluster.runId}); faults through ${world.faultPath}`);
  world.setupMs = startedMs;
  return world;
}

/**
 * The run's topology as the system plans it: the same node ids, in the system's own role names
 * (a ZooKeeper member beside a broker, an etcd member), so its node program finds its peers.
 * Throws naming a topology the system cannot have (isolated roles for etcd). Spare controllers
 * (membership faults, quorumd's) are planned as the run has them.
 */
export function systemNodes(system: SystemAdapter, topology: Topology): PlannedNode[] {
  if (topology.spares.length > 0) return plannedNodes(topology);
  const planned = system.planTopology({
    voters: topology.controllers.length, roles: topology.roles, ...(topology.roles === 'isolated' ? { servers: topology.brokers.length } : {}),
  });
  const ids = planned.map((node) => node.nodeId).join(', ');
  const expected = topology.nodes.map((node) => node.id).join(', ');
  if (ids !== expected) throw new TopologyError(`${system.name} plans nodes ${ids} where the run has ${expected}`);
  return planned;
}

/** Run's topology (ids and roles) as the harness plans nodes. */
export function plannedNodes(topology: Topology): PlannedNode[] {
  return topology.nodes.map((node) => ({
    nodeId: node.id,
    roles: [...node.roles],
    voter: topology.controllers.includes(node.id),
    servesClients: topology.brokers.includes(node.id),
  }));
}

export class DockerWorld implements World {
  readonly kind = 'docker' as const;
  readonly system: string;
  readonly systemVersion: string;
  readonly clock: WorldClock;
  readonly restartAllowanceMs = dockerRestartAllowanceMs;
  readonly requestTimeoutMs: number;
  /** Only a system that writes our node event stream (quorumd) gives the invariants anything to judge. */
  readonly nodeEvents: boolean;
  readonly halted: Promise<string>;
  /** How long the world took to be ready: engine check, image check or build, cluster start (for figures). */
  setupMs = 0;
  /** Voter changes, when the topology has spare controllers (a dynamic quorum). */
  membership?: MembershipMechanisms;
  private halt: (reason: string) => void = () => {};
  private exitWatch: { stop(): void } | null = null;
  private readonly clocks: ClockFaults;
  private readonly paused = new Set<number>();
  private readonly down = new Set<number>();
  private readonly pauseMode: PauseMode;
  private disposed = false;
  /** DescribeQuorum asked during the run, where the system's invariants are judged from outside. */
  private readonly poller: DescribeQuorumPoller | null;
  private observed: ObservedEvents | null = null;
  /** The vote-kill in force. */
  private voteKills: VoteKillWatch | null = null;
  /** Nodes a vote-kill killed, until their container has stopped (a start before that is refused). */
  private readonly exiting = new Map<number, Promise<void>>();

  constructor(
    readonly topology: Topology,
    private readonly adapter: SystemAdapter,
    private readonly started: StartedSystemCluster,
    private readonly originNs: bigint,
    private readonly options: DockerWorldOptions,
    private readonly log: (line: string) => void,
  ) {
    this.system = adapter.name;
    this.systemVersion = `image ${started.cluster.image}`;
    this.requestTimeoutMs = options.requestTimeoutMs ?? adapter.requestTimeoutMs ?? dockerRequestTimeoutMsDefault;
    this.nodeEvents = adapter.eventLogPath !== null;
    this.pauseMode = options.pauseMode ?? 'signal';
    this.clocks = new ClockFaults(started.cluster);
    this.poller = adapter.observedInvariants?.fromDescribeQuorum === undefined ? null
      : new DescribeQuorumPoller(() => started.endpoints().filter((endpoint) => endpoint.servesClients), describeQuorumPollMs, describeQuorumPollTimeoutMs);
    this.halted = new Promise((resolve) => { this.halt = resolve; });
    this.clock = {
      nowMs: () => Number(process.hrtime.bigint() - originNs) / 1e6,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
    };
  }

  /** The harness cluster, for suites and benchmarks that need more than the World interface. */
  get cluster(): StartedQuorumCluster {
    return this.started.cluster;
  }

  /** @internal Sets up voter changes: reads every controller's directory id. */
  async loadMembership(): Promise<void> {
    const mechanisms = new DockerMembershipMechanisms(this.cluster, [...this.topology.controllers, ...this.topology.spares], this.requestTimeoutMs);
    await mechanisms.load();
    this.membership = mechanisms;
  }

  /** @internal Starts noticing nodes that exit on their own. */
  async watchExits(): Promise<void> {
    this.exitWatch = await watchUnexpectedExits(this.cluster, (exit) => {
      if (this.disposed) return;
      this.halt(`node ${exit.nodeId} exited on its own (exit code ${exit.exitCode}); its log is nodes/${exit.nodeId}.log`);
    });
  }

  async applyGrudge(grudge: Grudge): Promise<void> {
    validateGrudge(grudge, this.topology.nodes.map((node) => node.id));
    await this.cluster.packetFilters.setGrudge(grudge);
  }

  async setPacketLoss(nodes: readonly number[], probability: number): Promise<void> {
    if (nodes.length === 0 || probability === 0) {
      await this.cluster.packetFilters.clearLoss();
      return;
    }
    const all = this.cluster.nodes.map((node) => node.nodeId);
    await this.cluster.packetFilters.setLoss(new Map(nodes.map((nodeId) => [nodeId, {
      from: new Set(all.filter((peer) => peer !== nodeId)), probability,
    }])));
  }

  async kill(nodeId: number): Promise<void> {
    this.voteKills?.detach(nodeId);
    await this.cluster.node(nodeId).kill('SIGKILL');
    this.down.add(nodeId);
    this.paused.delete(nodeId); // a killed process is no longer stopped; its container is gone
  }

  async start(nodeId: number): Promise<void> {
    await this.exiting.get(nodeId);
    this.exiting.delete(nodeId);
    await this.cluster.node(nodeId).start();
    this.down.delete(nodeId);
  }

  async pause(nodeId: number): Promise<void> {
    if (this.voteKills?.detach(nodeId) === true) this.cluster.node(nodeId).hostKill('disarmed');
    await pauseNode(this.cluster, nodeId, this.pauseMode);
    this.paused.add(nodeId);
  }

  async resume(nodeId: number): Promise<void> {
    await resumeNode(this.cluster, nodeId, this.pauseMode);
    this.paused.delete(nodeId);
  }

  async stop(nodeId: number): Promise<void> {
    // A stopped process must be running to hear SIGTERM; a paused one is thawed first.
    if (this.paused.has(nodeId)) await this.resume(nodeId);
    if (this.voteKills?.detach(nodeId) === true) this.cluster.node(nodeId).hostKill('disarmed');
    await this.cluster.node(nodeId).stop(this.options.gracefulStopTimeoutMs ?? gracefulStopTimeoutMsDefault);
    this.down.add(nodeId);
  }

  async setClockOffset(nodeId: number, offsetMs: number): Promise<void> {
    this.assertClockFaults();
    await this.clocks.set(nodeId, offsetMs);
  }

  async strobeClock(nodeId: number, deltaMs: number, periodMs: number, durationMs: number): Promise<void> {
    this.assertClockFaults();
    await this.clocks.strobe(nodeId, { deltaMs, periodMs, durationMs });
  }

  /** Through the event logs, read on this host in a thread of its own (harness/nemesis/vote-kill.ts): the nsenter path only. */
  async killOnVote(onKilled: OnVoteKilled): Promise<WorldVoteKillWatch> {
    if (this.adapter.eventLogPath === null) throw new Error(`${this.system} writes no event log of ours: its votes cannot be seen as they are granted`);
    if (this.cluster.access.path !== 'nsenter') {
      throw new Error(`a vote-kill needs the nsenter fault path, and faults go through ${this.faultPath}: a vote would be seen too late`);
    }
    const watch = new VoteKillWatch((vote, error) => {
      if (error === undefined) {
        this.cluster.node(vote.node).hostKill('killed');
        this.down.add(vote.node);
        this.exiting.set(vote.node, this.stopped(vote.node));
      }
      onKilled(vote, this.clock.nowMs(), error);
    });
    this.voteKills = watch;
    return {
      arm: (node) => this.armVoteKill(watch, node),
      stop: async () => {
        this.voteKills = null;
        const armed = watch.armedNodes();
        await watch.stop();
        for (const node of armed) this.cluster.node(node).hostKill('disarmed');
      },
    };
  }

  async healAll(): Promise<void> {
    await Promise.all([...this.paused].map((nodeId) => this.resume(nodeId)));
    await Promise.all([...this.down].map((nodeId) => this.start(nodeId)));
    await this.cluster.packetFilters.healAll();
    if (this.cluster.nodes.some((node) => node.clockSkew)) await this.clocks.reset();
  }

  async leader(): Promise<LeaderInfo | null> {
    const report = await this.started.findLeader(this.options.leaderTimeoutMs ?? leaderTimeoutMsDefault);
    return report === null ? null : { nodeId: report.leaderId, epoch: report.epoch };
  }

  async openClient(process: number): Promise<WorldClient> {
    const client = await this.started.openClient(process, this.requestTimeoutMs);
    return {
      invoke: async (operation: ClientOperation) => client.invoke(operation.f, operation.value),
      close: () => client.close(),
    };
  }

  async collectNodeLogs(runDir: string | null): Promise<CollectedNodeLog[]> {
    const answers = await this.poller?.stop() ?? null;
    const texts = await this.cluster.readLogs(this.adapter.eventLogPath);
    const scope = this.adapter.observedInvariants;
    if (scope !== undefined) {
      // The logs' events stay on their own (wall) clock: each source is judged on its own.
      const fromOutput = this.adapter.eventsFromOutput;
      const voterOutputs = fromOutput === undefined ? null : texts.filter((text) => this.topology.controllers.includes(text.nodeId))
        .map((text) => (text.output === null ? [] : fromOutput(text.nodeId, text.output)));
      this.observed = { sources: observedSources(scope, voterOutputs, answers), notJudged: scope.notJudged };
    }
    if (runDir !== null) await mkdir(path.join(runDir, 'nodes'), { recursive: true });
    return Promise.all(texts.map(async (text) => {
      const roles = this.topology.nodes.find((node) => node.id === text.nodeId)?.roles ?? [];
      const problems = text.missing === null ? [] : [text.missing];
      let events: NodeEvent[] = [];
      if (text.events !== null) {
        try {
          events = this.shiftToWorldTime(parseNodeEvents(text.events, `node ${text.nodeId} event log`));
        } catch (error) {
          problems.push(`the event log of node ${text.nodeId} is cut or damaged: ${(error as Error).message}`);
        }
      }
      let logFile: string | null = null;
      let eventsFile: string | null = null;
      if (runDir !== null) {
        if (text.output !== null) {
          logFile = nodeLogFile(text.nodeId);
          // Its clock anchors move with the events, so the report places its lines on the run's clock.
          await writeFile(path.join(runDir, logFile), shiftClockAnchors(text.output, -Number(this.originNs)));
        }
        if (text.events !== null) {
          eventsFile = await writeNodeEventsFile(runDir, text.nodeId, events);
        }
      }
      return { nodeId: text.nodeId, roles, events, logFile, eventsFile, missing: problems.length === 0 ? null : problems.join('; ') };
    }));
  }

  /**
   * Every node's events so far (World.peekNodeEvents). Live, each running node's file is read where
   * it lies (nsenter) without stopping it, cut at its last whole line (the node may be writing);
   * consistent, the nodes are stopped for the read as collectNodeLogs stops them. Nodes of a system
   * without our event log give none.
   */
  async peekNodeEvents(options: { consistent: boolean }): Promise<NodeEvent[][]> {
    const eventLogPath = this.adapter.eventLogPath;
    if (eventLogPath === null) return [];
    const texts = options.consistent
      ? (await this.cluster.readLogs(eventLogPath)).map((text) => text.events ?? '')
      : await Promise.all(this.cluster.nodes.map((node) => node.readFile(eventLogPath).catch(() => '')));
    return texts.map((text, index) => {
      const whole = text.slice(0, text.lastIndexOf('\n') + 1);
      return this.shiftToWorldTime(parseNodeEvents(whole, `node ${this.cluster.nodes[index]!.nodeId} event log (peeked)`));
    });
  }

  /** Null for a system that says nothing of its invariants (etcd): the run then says none were judged. */
  observedEvents(): ObservedEvents | null {
    const scope = this.adapter.observedInvariants;
    return scope === undefined ? null : this.observed ?? { sources: [], notJudged: scope.notJudged };
  }

  figures(): Readonly<Record<string, number>> {
    const polls: Record<string, number> = this.poller === null ? {} : { describeQuorumRounds: this.poller.rounds, describeQuorumUnanswered: this.poller.unanswered };
    return { worldSetupMs: Math.round(this.setupMs), ...polls };
  }

  /** The fault path in use (`nsenter` or `docker-exec`) and why, for the run's log. */
  get faultPath(): string {
    return `${this.cluster.access.path} (${this.cluster.access.reason})`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.exitWatch?.stop();
    await this.poller?.stop();
    await this.started[Symbol.asyncDispose]();
    this.log(`docker world: run ${this.cluster.runId} removed`);
  }

  /** Resolves once the node's container no longer runs (a kill from this host is not waited for by the engine). */
  private async stopped(nodeId: number): Promise<void> {
    const node = this.cluster.node(nodeId);
    for (let waitedMs = 0; waitedMs < EXIT_WAIT_MS && await node.isRunning(); waitedMs += EXIT_WAIT_STEP_MS) {
      await this.clock.sleep(EXIT_WAIT_STEP_MS);
    }
  }

  /** Arms a running node; a node just started may not have opened its event log yet. */
  private async armVoteKill(watch: VoteKillWatch, nodeId: number): Promise<void> {
    const eventLogPath = this.adapter.eventLogPath as string;
    const node = this.cluster.node(nodeId);
    for (let waitedMs = 0; ; waitedMs += EVENT_LOG_WAIT_STEP_MS) {
      const pid = await node.mainPid();
      node.hostKill('armed');
      try {
        await watch.attach({ nodeId, hostPath: `/proc/${pid}/root${eventLogPath}`, pid });
        return;
      } catch (error) {
        node.hostKill('disarmed');
        if (waitedMs >= EVENT_LOG_WAIT_MS || this.voteKills !== watch) throw error;
        await this.clock.sleep(EVENT_LOG_WAIT_STEP_MS);
      }
    }
  }

  private assertClockFaults(): void {
    if (!this.cluster.nodes.some((node) => node.clockSkew)) {
      throw new Error(`${this.adapter.name} does not honour libfaketime here: clock faults cannot be applied`);
    }
  }

  /** Node stamps are the kernel's monotonic ns; the world's clock starts at originNs. */
  private shiftToWorldTime(events: NodeEvent[]): NodeEvent[] {
    const originNs = Number(this.originNs);
    return events.map((event) => ({ ...event, timeNs: event.timeNs - originNs }));
  }
}
