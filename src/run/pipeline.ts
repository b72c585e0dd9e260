/**
 * One run, whatever the world: options -> plan (the fault schedule and the workload, from the
 * seed) -> world -> the generator feeds clients and nemesis for the time limit -> recovery ->
 * node logs -> checks. run-once.ts wraps it with the world's life, the run directory and the exit
 * code; this file is what happens in between, and it is the same code for the simulator and for
 * containers.
 *
 * Phases: setup (a leader is awaited, so faults start on a working cluster), faults (clients and
 * the nemesis run side by side until the time limit; every entry of the schedule ends by then),
 * recovery (everything healed, a write must be acknowledged within the bound), collecting (every
 * node's logs). A world that halts on its own (the simulator at a broken invariant) ends the run
 * where it stands; what was recorded is judged.
 */
import type { AcknowledgedWrite } from '../checker/invariants/acknowledged-writes.js';
import type { InvariantChecker } from '../checker/invariants/invariant-checker.js';
import { buildFaultSchedule, type FaultSchedule, type ResolvedFault } from '../faults/schedule.js';
import { HistoryRecorder } from '../history/history-recorder.js';
import type { Operation } from '../history/operation.js';
import { SeededRandom } from '../sim/random.js';
import { ClientPool, type ClientCounts } from './clients.js';
import { NemesisRunner } from './nemesis.js';
import type { RunOptions } from './options.js';
import type { ProgressSink } from './progress.js';
import { quorumBoundMs, recover, recoveryBoundMs, type RecoveryOutcome } from './recovery.js';
import { operationSource, planWorkload, type PlannedWorkload } from './workloads.js';
import { MEMBERSHIP_SPARE_CONTROLLERS, planTopology, type CollectedNodeLog, type ObservedEvents, type Topology, type World } from './world.js';

export interface RunPlan {
  options: RunOptions;
  topology: Topology;
  schedule: FaultSchedule;
  /** The system's workload (options.workload) as the seed draws it. */
  workload: PlannedWorkload;
}

/** What happened in a run, before it is judged. */
export interface RunRecord {
  plan: RunPlan;
  history: Operation[];
  resolved: ResolvedFault[];
  acknowledged: AcknowledgedWrite[];
  counts: ClientCounts;
  /** Nemesis operations in the history (each start and stop, heal-all). */
  nemesisActions: number;
  /** ms of world time until a leader was first seen at the start, or null (none within the bound). */
  setupMs: number | null;
  recovery: RecoveryOutcome | null;
  /** Why the world stopped on its own, or null. */
  halted: string | null;
  /** Length of the run on the world's clock. */
  runMs: number;
  /** The world's clock when the run ended (progress events after it are stamped with this). */
  endedAtMs: number;
  nodeLogs: CollectedNodeLog[];
  /** What could not be collected, one sentence each. */
  missing: string[];
  /** Whether the nodes give a node event stream (World.nodeEvents): if not, the invariants are not judged. */
  nodeEvents: boolean;
  /** Without a node event stream: what the system exposes, for the invariants judged from outside (null: nothing). */
  observed: ObservedEvents | null;
  worldFigures: Readonly<Record<string, number>>;
  /** The world's checker that judged every node event as it happened (World.liveInvariants), or null. */
  liveInvariants?: InvariantChecker | null;
}

/** The seed's schedule and workload for these options (pure). */
export function planRun(options: RunOptions): RunPlan {
  // Membership faults need controllers to add: spares that start as observers.
  const topology = planTopology(options.nodes, options.roles, options.nemesis.includes('membership') ? MEMBERSHIP_SPARE_CONTROLLERS : 0);
  const root = SeededRandom.fromSeed(options.seed);
  const schedule = buildFaultSchedule({
    seed: options.seed,
    nodes: topology.nodes.map((node) => node.id),
    kinds: options.nemesis,
    timeLimitMs: options.timeLimitMs,
    lines: options.faultLines,
    ...(options.partitionShapes === null ? {} : { partitionShapes: options.partitionShapes }),
  }, root.fork('fault-schedule'));
  return { options, topology, schedule, workload: planWorkload(options.workload, root.fork('workload')) };
}

/** How often the fault phase reports progress, on the world's clock (sinks may print fewer). */
const TICK_MS = 1_000;
/** How often the setup phase asks for a leader. */
const SETUP_POLL_MS = 100;

/**
 * Runs `plan` on `world` (built for plan.topology) and collects what happened. `runDir`: where
 * the world writes node logs (null: kept in memory only). Never throws for the system's behaviour;
 * a world mechanism that fails is recorded, and a world that halts ends the run early.
 */
export async function executeRun(plan: RunPlan, world: World, sink: ProgressSink, runDir: string | null, schedule: FaultSchedule = plan.schedule): Promise<RunRecord> {
  const { options } = plan;
  const clock = world.clock;
  const root = SeededRandom.fromSeed(options.seed);
  const recorder = new HistoryRecorder();
  const clients = new ClientPool(world, recorder, root.fork('clients'), {
    concurrency: options.concurrency, rate: options.rate, source: operationSource(plan.workload, plan.topology.brokers.length),
    successors: world.kind === 'docker' ? 'same-slot' : 'fresh',
  });
  const nemesis = new NemesisRunner(world, schedule, recorder, root.fork('nemesis'), sink);
  const boundMs = recoveryBoundMs(options.nodeConfig, world.requestTimeoutMs, world.restartAllowanceMs);
  let setupMs: number | null = null;
  let recovery: RecoveryOutcome | null = null;
  const startMs = clock.nowMs();

  const phases = async (): Promise<void> => {
    sink.emit({ kind: 'phase', phase: 'setup', atMs: clock.nowMs(), detail: `waiting up to ${boundMs} ms for a leader` });
    while (clock.nowMs() - startMs < boundMs) {
      if ((await world.leader()) !== null) {
        setupMs = clock.nowMs() - startMs;
        break;
      }
      await clock.sleep(SETUP_POLL_MS);
    }
    const faultStartMs = clock.nowMs();
    const faultEndMs = faultStartMs + options.timeLimitMs;
    sink.emit({
      kind: 'phase', phase: 'faults', atMs: faultStartMs,
      detail: `${options.timeLimitMs / 1000} s, ${schedule.entries.length} faults scheduled, ${options.concurrency} clients`,
    });
    let faultsDone = false;
    const ticker = async (): Promise<void> => {
      while (!faultsDone && clock.nowMs() + TICK_MS < faultEndMs) {
        await clock.sleep(TICK_MS);
        if (faultsDone) return;
        const nowMs = clock.nowMs();
        sink.emit({
          kind: 'tick', atMs: nowMs, elapsedMs: nowMs - faultStartMs, remainingMs: Math.max(0, faultEndMs - nowMs),
          ...clients.counts, nemesis: nemesis.faultsInForce(),
        });
      }
    };
    // Always run, sink or not, so a run is the same whoever watches it.
    const tick = ticker();
    await Promise.all([clients.run(faultEndMs), nemesis.run(faultStartMs)]);
    faultsDone = true;
    await tick;
    sink.emit({ kind: 'phase', phase: 'recovery', atMs: clock.nowMs(), detail: `healing every fault; a write must be acknowledged within ${boundMs} ms` });
    recovery = await recover(world, recorder, clients, boundMs, quorumBoundMs(options.nodeConfig, world.restartAllowanceMs), options.watchAfterHealMs);
  };

  const halted = await Promise.race([phases().then(() => null), world.halted]);
  if (halted !== null) sink.emit({ kind: 'log', line: `the world stopped: ${halted}` });
  const endedAtMs = clock.nowMs();
  const runMs = endedAtMs - startMs;
  sink.emit({ kind: 'phase', phase: 'collecting', atMs: clock.nowMs() });
  const missing: string[] = [];
  let nodeLogs: CollectedNodeLog[] = [];
  try {
    nodeLogs = await world.collectNodeLogs(runDir);
    for (const log of nodeLogs) if (log.missing !== null) missing.push(`node ${log.nodeId}: ${log.missing}`);
  } catch (error) {
    missing.push(`the node logs could not be collected: ${error instanceof Error ? error.message : String(error)}`);
  }
  const nodeEvents = world.nodeEvents ?? true;
  const observed = nodeEvents ? null : world.observedEvents?.() ?? null;
  if (!nodeEvents && observed === null) missing.push(`${world.system} gives no node event stream: the Raft invariants were not judged`);
  return {
    plan, history: recorder.operations, resolved: [...nemesis.resolved].sort((a, b) => a.id - b.id),
    acknowledged: clients.acknowledged, counts: { ...clients.counts },
    nemesisActions: recorder.operations.filter((op) => op.process === 'nemesis').length,
    setupMs, recovery, halted, runMs, endedAtMs, nodeLogs, missing, nodeEvents, observed, worldFigures: world.figures?.() ?? {},
    liveInvariants: nodeEvents ? world.liveInvariants?.() ?? null : null,
  };
}
