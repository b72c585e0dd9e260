/**
 * Voter changes on real quorumd processes on loopback (KIP-853), with KRaft's default timeouts.
 *
 * - add-controller: the time from AddRaftVoter to the new voter counted in the high watermark. The
 *   cluster is one controller formatted `--standalone` and one formatted `--no-initial-controllers`
 *   that has joined as an observer; each trial adds the second (1 -> 2 voters) and removes it again.
 *   With two voters the majority is both, so the change commits (and AddRaftVoter answers) only once
 *   the new voter has fetched past the new voter set: the answer is the moment it is counted. Timed
 *   from the request sent by an in-process client to its answer; then a few trials of the whole
 *   `quorumd add-controller` command, which adds the CLI's process start (node with tsx).
 * - sim-membership-speed: issue 11's figure first: simulated seconds per second of one core's
 *   process CPU with `--nemesis membership`, at steady state as a sweep's workers run, on the
 *   compiled tree a sweep runs (sim-one-core.ts: fixed seeds, one at a time, in a child pinned to
 *   one CPU with taskset; target ≥ 1000×), the cold first pass beside it. Then the cost of the
 *   faults: the simulator's speed with membership faults on, beside the same cluster and seed
 *   without them, in one process (runs alternate after a warm-up, median of each), so it is a ratio
 *   a shared machine does not distort much. The lead's quiet-machine figure is the first one:
 *   `npm run bench -- sim-membership-speed` with nothing else running.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { addRaftVoterApi } from '../../src/kafka/apis/add-raft-voter/index.js';
import { removeRaftVoterApi } from '../../src/kafka/apis/remove-raft-voter/index.js';
import { KafkaClientConnection } from '../../src/kafka/client/kafka-client-connection.js';
import { ErrorCode, errorName } from '../../src/kafka/protocol/error-codes.js';
import { askServer } from '../../src/cli/quorumd/describe.js';
import { LocalCluster, quorumd, waitFor } from '../integration/support/local-cluster.js';
import { NEMESIS_KINDS, type NemesisKind } from '../../src/faults/schedule.js';
import { resolveRunOptions } from '../../src/run/options.js';
import { executeRun, planRun } from '../../src/run/pipeline.js';
import { SILENT } from '../../src/run/progress.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';
import { SIM_SEMI_SPACE_MIB } from '../../src/run/young-generation.js';
import { SIM_CONDITIONS } from '../../src/sim/sim-cluster-config.js';
import { DEFAULT_TIMEOUTS, NODE_ARGS, quantile, type ServerBenchmark, type ServerFigure } from './server-figures.js';
import type { OneCoreResult, OneCoreRun } from './sim-one-core.js';

export const MEMBERSHIP_BENCHMARKS: ServerBenchmark[] = [
  {
    name: 'add-controller',
    summary: 'AddRaftVoter to the new voter counted in the high watermark (1 -> 2 voters), 2 controllers on loopback, default timeouts',
    run: addControllerTime,
  },
  {
    name: 'sim-membership-speed',
    summary: 'simulated s per process CPU s on one core with --nemesis membership at steady state (the cold first pass beside it); then per CPU s with membership faults and without, 5 nodes under every other fault too',
    run: simMembershipSpeed,
  },
];

const SIM_SEED = 20_261_201;
const SIM_PHASE_MS = 120_000;
const SIM_WARM_RUNS = 2;
const SIM_MEASURED_RUNS = 3;

interface SimSpeed {
  perCpu: number;
  membershipFaults: number;
}

async function measureSim(nemesis: NemesisKind[]): Promise<SimSpeed> {
  const cpuBefore = process.cpuUsage();
  const plan = planRun(resolveRunOptions({
    env: 'sim', nodes: 5, roles: 'combined', nemesis, conditions: [...SIM_CONDITIONS], timeLimitMs: SIM_PHASE_MS,
  }, SIM_SEED));
  const world = await simWorldMaker()(plan, () => undefined);
  const record = await executeRun(plan, world, SILENT, null);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    perCpu: (record.worldFigures.simulatedMs ?? 0) / 1000 / ((cpu.user + cpu.system) / 1e6),
    membershipFaults: record.resolved.filter((fault) => fault.action.kind === 'membership' && fault.nodes.length > 0).length,
  };
}

const REPOSITORY_ROOT = new URL('../..', import.meta.url).pathname;
/** The CPU the one-core runs are pinned to. */
const ONE_CORE_CPU = '0';

/** sim-one-core.ts in a child process pinned to one CPU (taskset), or unpinned where taskset is missing. */
async function oneCoreFigures(): Promise<ServerFigure[]> {
  // The child measures dist/, the code sweeps run: build it from these sources first.
  const buildStartedMs = performance.now();
  await promisify(execFile)(process.execPath, [join(REPOSITORY_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: REPOSITORY_ROOT });
  const buildS = (performance.now() - buildStartedMs) / 1000;
  // The young generation sweeps and the quorumcheck command run with (young-generation.ts), so
  // that the figure measures what they run.
  const child = [process.execPath, `--max-semi-space-size=${SIM_SEMI_SPACE_MIB}`, '--import', 'tsx', 'test/bench/sim-one-core.ts', '--tree', 'dist'];
  const taskset = await promisify(execFile)('taskset', ['--version']).then(() => true, () => false);
  const [file, ...args] = taskset ? ['taskset', '-c', ONE_CORE_CPU, ...child] : child;
  const loadBefore = loadavg()[0]!.toFixed(1);
  const { stdout } = await promisify(execFile)(file!, args, { cwd: REPOSITORY_ROOT, maxBuffer: 1 << 24 });
  const { runs, steady, steadyPasses, steadyMeasured } = JSON.parse(stdout.trim().split('\n').at(-1)!) as OneCoreResult;
  const sumOf = (list: OneCoreRun[], value: (run: OneCoreRun) => number): number => list.reduce((total, run) => total + value(run), 0);
  const sum = (value: (run: OneCoreRun) => number): number => sumOf(runs, value);
  const simulatedS = sum((run) => run.simulatedS);
  const steadySimulatedS = sumOf(steady, (run) => run.simulatedS);
  const bySpeed = [...steady].sort((a, b) => a.simulatedS / a.cpuS - b.simulatedS / b.cpuS);
  const describe = (run: OneCoreRun): string =>
    `seed ${run.seed} (${run.options}, ${run.historyEntries} history entries): ${(run.simulatedS / run.cpuS).toFixed(0)}× per CPU s`;
  const pinned = taskset ? `pinned to CPU ${ONE_CORE_CPU} with taskset` : 'NOT pinned (no taskset): helper threads may use other cores';
  const load = `load average ${loadBefore} before, ${loadavg()[0]!.toFixed(1)} after`;
  return [
    { name: 'steady state: simulated s per process CPU s, one core, --nemesis membership (the figure)',
      value: steadySimulatedS / sumOf(steady, (run) => run.cpuS), unit: '×', targetMin: 1000,
      note: `quorumcheck run --env sim --nemesis membership, options drawn by seed: ${runs.length} seeds from ${runs[0]!.seed}, the last ` +
        `${steadyMeasured} of ${steadyPasses} passes after the cold one (${steadySimulatedS.toFixed(0)} simulated s), the run without the ` +
        `checks after it; the compiled tree (dist/, built in ${buildS.toFixed(0)} s) with ${SIM_SEMI_SPACE_MIB} MiB semi-spaces, as sweeps run; process CPU (main thread and V8's ` +
        `threads); ${pinned}; ${load}` },
    { name: 'steady state: spread of the measured passes (fastest pass over slowest)', value: passSpread(steady, runs.length), unit: '×',
      note: `each measured pass's simulated s per CPU s: ${passFigures(steady, runs.length).map((figure) => figure.toFixed(0)).join(', ')}` },
    { name: 'steady state: simulated s per wall s', value: steadySimulatedS / sumOf(steady, (run) => run.wallS), unit: '×',
      note: 'on a shared machine wall time measures the neighbours too' },
    { name: 'steady state: CPU per history entry', value: sumOf(steady, (run) => run.cpuS) * 1e6 / sumOf(steady, (run) => run.historyEntries), unit: 'µs',
      note: 'a run\'s cost follows its client workload: the drawn rate (25, 100 or 400 ops/s) decides most of a seed\'s speed' },
    ...threadSplit(steady, steadySimulatedS).map((figure) => ({ ...figure, name: `steady state: ${figure.name}` })),
    { name: 'steady state: slowest seed', value: bySpeed[0]!.simulatedS / bySpeed[0]!.cpuS, unit: '×', note: describe(bySpeed[0]!) },
    { name: 'steady state: fastest seed', value: bySpeed.at(-1)!.simulatedS / bySpeed.at(-1)!.cpuS, unit: '×', note: describe(bySpeed.at(-1)!) },
    { name: 'cold (the first pass, after 3 warm-up seeds): simulated s per process CPU s', value: simulatedS / sum((run) => run.cpuS), unit: '×',
      note: `${(simulatedS / sum((run) => run.wallS)).toFixed(0)}× per wall s; V8 is still compiling the hot code` },
    ...threadSplit(runs, simulatedS).map((figure) => ({ ...figure, name: `cold: ${figure.name}` })),
    { name: 'cold: simulated s per wall s, the same seeds with every check (the whole quorumcheck run)', value: simulatedS / sum((run) => run.withChecksWallS),
      unit: '×', note: `${(simulatedS / sum((run) => run.withChecksCpuS)).toFixed(0)}× per CPU s` },
  ];
}

/** Each pass's simulated s per process CPU s, in order: `runs` holds the passes one after another, `seedCount` runs each. */
function passFigures(runs: OneCoreRun[], seedCount: number): number[] {
  const figures: number[] = [];
  for (let start = 0; start < runs.length; start += seedCount) {
    const pass = runs.slice(start, start + seedCount);
    figures.push(pass.reduce((total, run) => total + run.simulatedS, 0) / pass.reduce((total, run) => total + run.cpuS, 0));
  }
  return figures;
}

/** How far apart the measured passes are (fastest over slowest, 1 when they agree): the figure's noise on this machine now. */
function passSpread(runs: OneCoreRun[], seedCount: number): number {
  const figures = passFigures(runs, seedCount);
  return Math.max(...figures) / Math.min(...figures);
}

/**
 * The process's CPU split into the main thread's (the simulation) and V8's other threads' (mostly
 * the optimizing compiler): in a short-lived process the compiler's share is large, and on one core
 * it takes turns with the simulation. Nothing where the main thread's CPU was not measured.
 */
function threadSplit(runs: OneCoreRun[], simulatedS: number): ServerFigure[] {
  if (runs.some((run) => run.mainThreadCpuS === null)) return [];
  const cpuS = runs.reduce((total, run) => total + run.cpuS, 0);
  const mainS = runs.reduce((total, run) => total + run.mainThreadCpuS!, 0);
  return [
    { name: 'simulated s per main-thread CPU s (the simulation alone, without V8\'s compiler and GC threads)', value: simulatedS / mainS, unit: '×',
      note: `main thread ${mainS.toFixed(2)} CPU s, V8's other threads ${(cpuS - mainS).toFixed(2)} CPU s ` +
        `(${(100 * (cpuS - mainS) / cpuS).toFixed(0)} % of the process's CPU)` },
  ];
}

async function simMembershipSpeed(): Promise<ServerFigure[]> {
  const oneCore = await oneCoreFigures();
  const withFaults = [...NEMESIS_KINDS];
  const without = NEMESIS_KINDS.filter((kind) => kind !== 'membership');
  for (let run = 0; run < SIM_WARM_RUNS; run++) {
    await measureSim(withFaults);
    await measureSim(without);
  }
  const on: SimSpeed[] = [];
  const off: SimSpeed[] = [];
  for (let run = 0; run < SIM_MEASURED_RUNS; run++) {
    on.push(await measureSim(withFaults));
    off.push(await measureSim(without));
  }
  const median = (runs: SimSpeed[]): number => quantile(runs.map((run) => run.perCpu).sort((a, b) => a - b), 0.5);
  const load = `load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`;
  return [
    ...oneCore,
    { name: 'simulated time per CPU time, membership faults on (median)', value: median(on), unit: '×',
      note: `${SIM_MEASURED_RUNS} runs of ${SIM_PHASE_MS / 1000} simulated s after ${SIM_WARM_RUNS} warm-up pairs (the cost of the faults, not the figure); ` +
        `${on[0]!.membershipFaults} membership faults applied per run; ${load}` },
    { name: 'simulated time per CPU time, membership faults off (median)', value: median(off), unit: '×' },
    { name: 'on / off', value: median(on) / median(off), unit: '×' },
  ];
}

const LEADER = 1;
const JOINER = 2;
/** Each trial's AddRaftVoter and RemoveRaftVoter timeout (the server's answer comes before it). */
const CHANGE_TIMEOUT_MS = 30_000;
/** A refused change (the last one not yet committed, the observer not yet seen caught up) is asked again after this. */
const REFUSED_RETRY_MS = 50;
const REFUSED_TRIES_MAX = 200;

async function addControllerTime(): Promise<ServerFigure[]> {
  const trials = Number(process.env.QUORUMD_BENCH_MEMBERSHIP_TRIALS ?? 20);
  if (!Number.isInteger(trials) || trials < 1) {
    throw new Error(`QUORUMD_BENCH_MEMBERSHIP_TRIALS must be a positive integer, got ${process.env.QUORUMD_BENCH_MEMBERSHIP_TRIALS}`);
  }
  const cliTrials = 3;
  const cluster = await LocalCluster.create({ controllers: 2, bootstrapControllers: [LEADER], properties: DEFAULT_TIMEOUTS, nodeArgs: NODE_ARGS });
  try {
    for (const nodeId of [LEADER, JOINER]) await cluster.format(nodeId, cluster.clusterId);
    await cluster.startNode(LEADER);
    await cluster.startNode(JOINER);
    const leaderAddress = cluster.controllerAddress(LEADER);
    const [host, port] = leaderAddress.split(':') as [string, string];
    const directoryId = await directoryIdOf(cluster, JOINER);
    const joinerPort = Number(cluster.controllerAddress(JOINER).split(':')[1]);
    await waitFor(async () => {
      const report = await askServer({ host, port: Number(port) }, 1000).catch(() => null);
      return report !== null && report.quorum.leaderId === LEADER && report.quorum.observers.some((o) => o.replicaId === JOINER && o.lastCaughtUpTimestamp > 0n) ? report : null;
    }, 60_000, () => `the joiner did not catch up as an observer of the standalone leader\n${cluster.outputs()}`);

    const connection = await KafkaClientConnection.connect({ host, port: Number(port), clientId: 'bench-membership' });
    const timesMs: number[] = [];
    let refusals = 0;
    try {
      const change = async (kind: 'add' | 'remove'): Promise<number> => {
        for (let tries = 1; ; tries++) {
          const startedMs = performance.now();
          const answer = kind === 'add'
            ? await connection.request(addRaftVoterApi, 0, {
              clusterId: cluster.clusterId, timeoutMs: CHANGE_TIMEOUT_MS, voterId: JOINER, voterDirectoryId: directoryId,
              listeners: [{ name: 'CONTROLLER', host: '127.0.0.1', port: joinerPort }],
            })
            : await connection.request(removeRaftVoterApi, 0, { clusterId: cluster.clusterId, voterId: JOINER, voterDirectoryId: directoryId });
          const elapsedMs = performance.now() - startedMs;
          if (answer.errorCode === ErrorCode.NONE) return elapsedMs;
          // Refused before anything was written (answered at once): ask again.
          if (answer.errorCode !== ErrorCode.REQUEST_TIMED_OUT || elapsedMs >= CHANGE_TIMEOUT_MS || tries >= REFUSED_TRIES_MAX) {
            throw new Error(`${kind} answered ${errorName(answer.errorCode)}: ${answer.errorMessage ?? ''}`);
          }
          refusals++;
          await new Promise((resolve) => setTimeout(resolve, REFUSED_RETRY_MS));
        }
      };
      for (let trial = 0; trial < trials; trial++) {
        timesMs.push(await change('add'));
        await change('remove');
      }
    } finally {
      await connection.close();
    }

    const cliTimesMs: number[] = [];
    for (let trial = 0; trial < cliTrials; trial++) {
      const startedMs = performance.now();
      await quorumd(['add-controller', '--config', cluster.node(JOINER).configPath, '--bootstrap-controller', leaderAddress]);
      cliTimesMs.push(performance.now() - startedMs);
      await quorumd(['remove-controller', '--bootstrap-controller', leaderAddress, '--controller-id', String(JOINER), '--controller-directory-id', directoryId]);
    }

    const sorted = [...timesMs].sort((a, b) => a - b);
    const load = `load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`;
    return [
      { name: 'AddRaftVoter to counted, p50', value: quantile(sorted, 0.5), unit: 'ms',
        note: `${trials} trials, each adding and removing node ${JOINER}; ${refusals} refusals asked again (observer not seen caught up yet); ${load}` },
      { name: 'AddRaftVoter to counted, p99', value: quantile(sorted, 0.99), unit: 'ms' },
      { name: 'AddRaftVoter to counted, max', value: sorted.at(-1) ?? NaN, unit: 'ms' },
      { name: 'quorumd add-controller, whole command (median)', value: quantile([...cliTimesMs].sort((a, b) => a - b), 0.5), unit: 'ms',
        note: `${cliTrials} runs, including the CLI's process start: ${cliTimesMs.map(Math.round).join(', ')} ms` },
    ];
  } finally {
    await cluster.stop();
  }
}

async function directoryIdOf(cluster: LocalCluster, nodeId: number): Promise<string> {
  const text = await readFile(join(cluster.directory, `data-${nodeId}`, 'meta.properties'), 'utf8');
  const match = /^directory\.id=(.+)$/m.exec(text);
  if (match === null) throw new Error(`node ${nodeId}'s meta.properties has no directory.id`);
  return match[1]!;
}
