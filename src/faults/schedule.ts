/**
 * One seeded fault schedule for a run, in the spirit of Jepsen's generators: computed before the
 * run from the seed and the options alone, so it can be printed, saved (schedule.json) and
 * replayed. The same type drives the simulator and the containers.
 *
 * Each entry says what (a partition shape, kill, pause, stop, a clock fault, packet loss), when
 * (ms after the fault phase starts), for how long, and on whom, symbolically (`leader`,
 * `minority`, ...; see node-targets.ts). Targets are resolved when the entry is applied, from the
 * cluster as it is then, and the run records them as resolved (ResolvedFault).
 *
 * Rules the schedule keeps, so that mechanisms never have to arbitrate:
 *  - at most one partition, one packet-loss setting and one voter change are in force at a time
 *    (applying a partition or loss replaces the previous one, so overlapping entries would cut
 *    each other short; a second voter change would be refused while the first is uncommitted);
 *  - entries end by the time limit; after it the run heals everything and checks recovery.
 * A node holding a process fault (kill, pause, stop) is never chosen for another one; that is
 * decided at resolution (the `busy` set), since which node `leader` means is known only then.
 * A vote-kill is no event of a line but a condition of the whole fault phase: asked for, one entry
 * watches every node from the phase's start to its end, while the other kinds (kills, partitions)
 * make the elections it needs. It holds no node while it watches; it kills only a node no other
 * process fault holds, at the moment of its vote, and holds it until it is back.
 */
import { isPartitionShape, shapeProblem, shapesFor, type PartitionShape } from './partition-shapes.js';
import { describeTarget, isNodeTarget, type NodeTarget } from './node-targets.js';
import type { GrudgeDescription } from './grudge.js';

export const NEMESIS_KINDS = ['partition', 'kill', 'pause', 'stop', 'clock', 'loss', 'membership', 'vote-kill'] as const;
export type NemesisKind = (typeof NEMESIS_KINDS)[number];

/**
 * The voter changes a membership entry makes (KIP-853), on a cluster whose voter set lives in its
 * log and that has spare controllers (observers formatted to join later):
 * - add: a controller that is not a voter (a spare, or one removed earlier) is added; removed again at the end;
 * - remove: the target voter is removed; added back at the end (it went on as an observer);
 * - replace: the target voter fails and comes back on a fresh disk (a new directory id), the old
 *   replica is removed from the voter set, and at the end the new one is added.
 */
export const MEMBERSHIP_CHANGES = ['add', 'remove', 'replace'] as const;
export type MembershipChange = (typeof MEMBERSHIP_CHANGES)[number];

export const CLOCK_MODES = ['bump', 'skew', 'strobe'] as const;
export type ClockMode = (typeof CLOCK_MODES)[number];

/**
 * What an entry does while it is in force; undone at its end.
 * - partition: the grudge of `shape` (partition-shapes.ts).
 * - kill: kill -9 the targets (unsynced writes lost); restart them at the end.
 * - kill behind a paused leader (`behindPausedLeader`, target `all`): the leader is paused, every
 *   other node is killed and restarted three times in quick succession, and the leader resumes,
 *   all within BEHIND_PAUSE_MS_MAX (below a follower's fetch timeout, 2 s by default, counted from
 *   each restart, so the leader still leads when it resumes). Each new incarnation forwards
 *   requests (its broker registration, clients' writes) to the paused leader under ids that start
 *   again from 1, so the leader's answers to the earlier incarnations reach the last one, whose
 *   requests of the same ids are open: only the incarnation checks keep them apart (bug switch
 *   incarnation-check-off). A single kill does not reach that: an incarnation that ran a while
 *   has used ids a new one reaches late, and clients' writes are few while the leader is paused
 *   (their calls wait on it), so each node is killed several times and every node but the leader.
 * - pause: SIGSTOP the targets (nothing runs, timers fire late); SIGCONT at the end.
 * - stop: graceful shutdown of the targets (a leader resigns first); start them at the end.
 * - clock bump: the targets' clocks jump by `deltaMs`; back at the end.
 * - clock skew: each target's clock is offset by its own amount within ±`skewMsMax`.
 * - clock strobe: the targets' clocks flip between +`deltaMs` and their true time every `periodMs`.
 * - loss: every packet arriving at a target is dropped with `probability`.
 * - membership: a voter change (MEMBERSHIP_CHANGES), undone at the end where it can be.
 * - vote-kill: while in force, a target that grants a vote is killed -9 at once, before it could
 *   have written anything after the vote, and started again (at most once per VOTE_KILL_GAP_MS per
 *   node); nothing to undo at the end but the watching. A vote that was not durable is forgotten,
 *   and the node may vote again in the same epoch (the vote-before-persist bug, Raft's rule that a
 *   vote is on disk before it is answered). In force for the whole fault phase (see above).
 */
export type FaultAction =
  | { kind: 'partition'; shape: PartitionShape }
  | { kind: 'kill'; target: NodeTarget; behindPausedLeader?: true }
  | { kind: 'pause' | 'stop'; target: NodeTarget }
  | { kind: 'clock'; mode: 'bump'; target: NodeTarget; deltaMs: number }
  | { kind: 'clock'; mode: 'skew'; target: NodeTarget; skewMsMax: number }
  | { kind: 'clock'; mode: 'strobe'; target: NodeTarget; deltaMs: number; periodMs: number }
  | { kind: 'loss'; target: NodeTarget; probability: number }
  | { kind: 'membership'; change: MembershipChange; target: NodeTarget }
  | { kind: 'vote-kill'; target: NodeTarget };

/**
 * A kill behind a paused leader is held at most this long (the leader's pause): below the fetch
 * timeout (2 s by default), so the leader is not replaced meanwhile and answers what it was asked.
 * Longer pauses give clients more time to write through the short-lived incarnations: 1.9 s
 * caught incarnation-check-off in as many default seeds as 1.5 s (7 of 100) with 2 kills.
 */
export const BEHIND_PAUSE_MS_MAX = 1_900;
/**
 * The share of kill entries drawn as a kill behind a paused leader: the rest stay plain kills
 * (mostly of the leader). With a third, incarnation-check-off is caught in 9 of default seeds
 * 1-150, the first at seed 7.
 */
const BEHIND_PAUSE_CHANCE = 1 / 3;

/**
 * A vote-kill kills a node at most once in this long (from its restart), so that elections between
 * kills can finish and the cluster makes progress while the fault is in force.
 */
export const VOTE_KILL_GAP_MS = 2_000;

export interface FaultEntry {
  /** Position in the schedule, from 0. */
  id: number;
  /** When it starts: ms after the fault phase starts. */
  atMs: number;
  /** How long it is held before it is undone. */
  durationMs: number;
  action: FaultAction;
}

export interface FaultSchedule {
  seed: number;
  /** The cluster's node ids, every one a possible target. */
  nodes: number[];
  kinds: NemesisKind[];
  /** Length of the fault phase; every entry ends by then. */
  timeLimitMs: number;
  /** In start order (atMs, then id). */
  entries: FaultEntry[];
}

/**
 * An entry as it was applied: the nodes its target resolved to (a partition's are the nodes its
 * grudge cuts), and when it started and ended on the world's clock. The run directory's
 * schedule.json holds the schedule with these.
 */
export interface ResolvedFault {
  id: number;
  action: FaultAction;
  nodes: number[];
  /** Partitions: the grudge applied. */
  grudge?: GrudgeDescription;
  /** A kill behind a paused leader: the leader it paused (`nodes` are the nodes it killed). */
  pausedLeader?: number;
  /** Clock faults: the offset given to each node, by node id. */
  clockOffsetsMs?: Record<string, number>;
  /** The leader when the entry was applied (what `leader` meant). */
  leaderId: number | null;
  startedAtMs: number;
  /** Null when the run ended (or stopped) before the entry's end. */
  endedAtMs: number | null;
  /** Why the entry did less than it names (no free node, no leader known), or null. */
  note: string | null;
}

export interface ResolvedSchedule extends FaultSchedule {
  resolved: ResolvedFault[];
}

/** The randomness the schedule is drawn from (the simulator's SeededRandom is one). */
export interface ScheduleRandom {
  intBetween(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

export interface FaultScheduleOptions {
  seed: number;
  nodes: readonly number[];
  kinds: readonly NemesisKind[];
  timeLimitMs: number;
  /** Quiet time before each fault of a line, [min, max] ms. Default [500, 5000]. */
  gapMs?: readonly [number, number];
  /** How long each fault is held, [min, max] ms. Default [500, 8000]. */
  holdMs?: readonly [number, number];
  /** Lines of faults running side by side (faults overlap with 2 or more). Default 1. */
  lines?: number;
  /** Partition shapes to draw from. Default: every shape this cluster size allows. */
  partitionShapes?: readonly PartitionShape[];
}

export const FAULT_LINES_MAX = 4;
export const TIME_LIMIT_MS_MAX = 86_400_000;
/** A fault shorter than this would end before a mechanism in containers has applied it. */
const FAULT_MS_MIN = 100;

/**
 * `--nemesis` syntax: comma-separated kinds, or `none`. Throws a RangeError naming an unknown kind.
 */
export function parseNemesisList(text: string): NemesisKind[] {
  if (text.trim() === 'none') return [];
  const kinds = text.split(',').map((kind) => kind.trim()).filter((kind) => kind !== '');
  for (const kind of kinds) {
    if (!(NEMESIS_KINDS as readonly string[]).includes(kind)) {
      throw new RangeError(`unknown nemesis '${kind}' (known: ${NEMESIS_KINDS.join(', ')}, or none)`);
    }
  }
  return [...new Set(kinds)] as NemesisKind[];
}

/** Checks options before a run: a RangeError names the first problem (e.g. ping-pong on 3 nodes). */
export function validateScheduleOptions(options: FaultScheduleOptions): void {
  if (new Set(options.nodes).size !== options.nodes.length || options.nodes.length === 0) {
    throw new RangeError(`a fault schedule needs distinct node ids, got ${options.nodes.join(',')}`);
  }
  if (!Number.isInteger(options.timeLimitMs) || options.timeLimitMs < 0 || options.timeLimitMs > TIME_LIMIT_MS_MAX) {
    throw new RangeError(`time limit must be an integer number of ms in [0, ${TIME_LIMIT_MS_MAX}], got ${options.timeLimitMs}`);
  }
  for (const kind of options.kinds) {
    if (!(NEMESIS_KINDS as readonly string[]).includes(kind)) throw new RangeError(`unknown nemesis '${kind}'`);
  }
  for (const shape of options.partitionShapes ?? []) {
    if (!isPartitionShape(shape)) throw new RangeError(`unknown partition shape '${shape}'`);
    const problem = shapeProblem(shape, options.nodes.length);
    if (problem !== null) throw new RangeError(problem);
  }
  if (options.kinds.includes('partition') && options.nodes.length < 2) {
    throw new RangeError(`a partition needs at least 2 nodes, got ${options.nodes.length}`);
  }
  const lines = options.lines ?? 1;
  if (!Number.isInteger(lines) || lines < 1 || lines > FAULT_LINES_MAX) {
    throw new RangeError(`fault lines must be an integer in [1, ${FAULT_LINES_MAX}], got ${lines}`);
  }
  for (const [name, range] of [['gap', options.gapMs], ['hold', options.holdMs]] as const) {
    if (range === undefined) continue;
    if (!Number.isInteger(range[0]) || !Number.isInteger(range[1]) || range[0] < 0 || range[1] < range[0]) {
      throw new RangeError(`fault ${name} must be [min, max] integer ms with 0 <= min <= max, got [${range.join(', ')}]`);
    }
  }
}

/**
 * The schedule for these options, drawn from `random` (seeded from options.seed by the caller):
 * the same stream and options always give the same schedule.
 */
export function buildFaultSchedule(options: FaultScheduleOptions, random: ScheduleRandom): FaultSchedule {
  validateScheduleOptions(options);
  const gapMs = options.gapMs ?? [500, 5_000];
  const holdMs = options.holdMs ?? [500, 8_000];
  const shapes = options.partitionShapes ?? shapesFor(options.nodes.length);
  const drafts: Omit<FaultEntry, 'id'>[] = [];
  const exclusive: Record<ExclusiveKind, [number, number][]> = { partition: [], loss: [], membership: [] };
  if (options.kinds.includes('vote-kill') && options.timeLimitMs >= FAULT_MS_MIN) {
    drafts.push({ atMs: 0, durationMs: options.timeLimitMs, action: drawAction('vote-kill', shapes, random) });
  }
  // Only when asked for is the vote-kill left out of the lines' draws: every other schedule is drawn as before.
  const lineKinds = options.kinds.includes('vote-kill') ? options.kinds.filter((kind) => kind !== 'vote-kill') : options.kinds;
  if (lineKinds.length > 0) {
    for (let line = 0; line < (options.lines ?? 1); line += 1) {
      let atMs = random.intBetween(gapMs[0], gapMs[1]);
      while (atMs + FAULT_MS_MIN <= options.timeLimitMs) {
        const durationMs = Math.min(random.intBetween(holdMs[0], holdMs[1]), options.timeLimitMs - atMs);
        const kind = random.pick(lineKinds);
        const overlapping = isExclusive(kind) && exclusive[kind].some(([start, end]) => atMs < end && start < atMs + durationMs);
        if (!overlapping && durationMs >= FAULT_MS_MIN && (kind !== 'partition' || shapes.length > 0)) {
          if (isExclusive(kind)) exclusive[kind].push([atMs, atMs + durationMs]);
          const action = drawAction(kind, shapes, random);
          const held = action.kind === 'kill' && action.behindPausedLeader === true ? Math.min(durationMs, BEHIND_PAUSE_MS_MAX) : durationMs;
          drafts.push({ atMs, durationMs: held, action });
        }
        atMs += durationMs + random.intBetween(gapMs[0], gapMs[1]);
      }
    }
  }
  drafts.sort((a, b) => a.atMs - b.atMs);
  return {
    seed: options.seed,
    nodes: [...options.nodes],
    kinds: [...options.kinds],
    timeLimitMs: options.timeLimitMs,
    entries: drafts.map((draft, id) => ({ id, ...draft })),
  };
}

/** Kinds of which at most one entry is in force at a time: one partition, one loss setting, one voter change. */
type ExclusiveKind = 'partition' | 'loss' | 'membership';

function isExclusive(kind: NemesisKind): kind is ExclusiveKind {
  return kind === 'partition' || kind === 'loss' || kind === 'membership';
}

/** Process faults aim mostly at the leader or one node, now and then at a minority or majority. */
function processTarget(random: ScheduleRandom): NodeTarget {
  const roll = random.intBetween(1, 20);
  if (roll <= 8) return 'leader';
  if (roll <= 15) return 'random';
  if (roll <= 18) return 'minority';
  if (roll <= 19) return 'majority';
  return 'all';
}

function drawAction(kind: NemesisKind, shapes: readonly PartitionShape[], random: ScheduleRandom): FaultAction {
  switch (kind) {
    case 'partition': return { kind, shape: random.pick(shapes) };
    case 'kill':
      if (random.chance(BEHIND_PAUSE_CHANCE)) return { kind, target: 'all', behindPausedLeader: true };
      return { kind, target: processTarget(random) };
    case 'pause':
    case 'stop':
      return { kind, target: processTarget(random) };
    case 'clock': {
      const mode = random.pick(CLOCK_MODES);
      const target = random.pick<NodeTarget>(['leader', 'random', 'minority', 'all']);
      const sign = random.chance(0.5) ? 1 : -1;
      if (mode === 'bump') return { kind, mode, target, deltaMs: sign * random.pick([250, 1_000, 5_000, 30_000]) };
      if (mode === 'skew') return { kind, mode, target, skewMsMax: random.pick([100, 1_000, 10_000]) };
      return { kind, mode, target, deltaMs: sign * random.pick([200, 1_000, 5_000]), periodMs: random.pick([10, 100, 1_000]) };
    }
    case 'loss':
      return { kind, target: random.pick<NodeTarget>(['all', 'leader', 'random', 'minority']), probability: random.pick([0.05, 0.2, 0.5]) };
    case 'membership':
      return { kind, change: random.pick(MEMBERSHIP_CHANGES), target: random.pick<NodeTarget>(['leader', 'not-leader', 'random']) };
    case 'vote-kill':
      // Every node: whichever voter an election asks, its vote is the one forgotten.
      return { kind, target: 'all' };
  }
}

/** One line per entry, for progress output and logs: "12.5 s +3.0 s kill leader". */
export function describeFaultAction(action: FaultAction): string {
  switch (action.kind) {
    case 'partition': return `partition ${action.shape}`;
    case 'kill':
      if (action.behindPausedLeader === true) return `kill ${action.target === 'all' ? 'every node but the leader' : describeTarget(action.target)} twice behind the paused leader`;
      return `kill ${describeTarget(action.target)}`;
    case 'pause':
    case 'stop':
      return `${action.kind} ${describeTarget(action.target)}`;
    case 'clock':
      if (action.mode === 'skew') return `clock skew ±${action.skewMsMax} ms on ${describeTarget(action.target)}`;
      if (action.mode === 'bump') return `clock bump ${signed(action.deltaMs)} ms on ${describeTarget(action.target)}`;
      return `clock strobe ${signed(action.deltaMs)} ms every ${action.periodMs} ms on ${describeTarget(action.target)}`;
    case 'loss': return `loss ${Math.round(action.probability * 100)}% into ${describeTarget(action.target)}`;
    case 'membership': return action.change === 'add' ? 'membership add a controller' : `membership ${action.change} ${describeTarget(action.target)}`;
    case 'vote-kill': return `vote-kill ${describeTarget(action.target)}`;
  }
}

function signed(value: number): string {
  return value >= 0 ? `+${value}` : String(value);
}

/**
 * Reads a schedule back (schedule.json of a run directory, for `quorumcheck reproduce`),
 * checking every field; a RangeError names the first bad one.
 */
export function parseFaultSchedule(value: unknown): FaultSchedule {
  const record = object(value, 'schedule');
  const nodes = integers(record.nodes, 'schedule.nodes');
  const kinds = Array.isArray(record.kinds) ? record.kinds.map(String) : [];
  const schedule: FaultSchedule = {
    seed: integer(record.seed, 'schedule.seed'),
    nodes,
    kinds: parseNemesisList(kinds.length === 0 ? 'none' : kinds.join(',')),
    timeLimitMs: integer(record.timeLimitMs, 'schedule.timeLimitMs'),
    entries: [],
  };
  if (!Array.isArray(record.entries)) throw new RangeError('schedule.entries must be a list');
  record.entries.forEach((raw: unknown, index: number) => {
    const where = `schedule.entries[${index}]`;
    const entry = object(raw, where);
    schedule.entries.push({
      id: integer(entry.id, `${where}.id`),
      atMs: integer(entry.atMs, `${where}.atMs`),
      durationMs: integer(entry.durationMs, `${where}.durationMs`),
      action: parseAction(entry.action, `${where}.action`, nodes.length),
    });
  });
  return schedule;
}

function parseAction(value: unknown, where: string, nodeCount: number): FaultAction {
  const action = object(value, where);
  const target = (): NodeTarget => {
    if (!isNodeTarget(action.target)) throw new RangeError(`${where}.target: unknown target ${JSON.stringify(action.target)}`);
    return action.target;
  };
  switch (action.kind) {
    case 'partition': {
      const shape = String(action.shape);
      if (!isPartitionShape(shape)) throw new RangeError(`${where}.shape: unknown partition shape '${shape}'`);
      const problem = shapeProblem(shape, nodeCount);
      if (problem !== null) throw new RangeError(`${where}: ${problem}`);
      return { kind: 'partition', shape };
    }
    case 'kill':
      if (action.behindPausedLeader === undefined) return { kind: 'kill', target: target() };
      if (action.behindPausedLeader !== true) throw new RangeError(`${where}.behindPausedLeader must be true or absent, got ${JSON.stringify(action.behindPausedLeader)}`);
      return { kind: 'kill', target: target(), behindPausedLeader: true };
    case 'pause':
    case 'stop':
      return { kind: action.kind, target: target() };
    case 'clock':
      if (action.mode === 'bump') return { kind: 'clock', mode: 'bump', target: target(), deltaMs: integer(action.deltaMs, `${where}.deltaMs`, true) };
      if (action.mode === 'skew') return { kind: 'clock', mode: 'skew', target: target(), skewMsMax: integer(action.skewMsMax, `${where}.skewMsMax`) };
      if (action.mode === 'strobe') {
        return {
          kind: 'clock', mode: 'strobe', target: target(),
          deltaMs: integer(action.deltaMs, `${where}.deltaMs`, true), periodMs: integer(action.periodMs, `${where}.periodMs`),
        };
      }
      throw new RangeError(`${where}.mode: unknown clock mode ${JSON.stringify(action.mode)} (known: ${CLOCK_MODES.join(', ')})`);
    case 'loss': {
      const probability = action.probability;
      if (typeof probability !== 'number' || !(probability > 0 && probability <= 1)) {
        throw new RangeError(`${where}.probability must be in (0, 1], got ${JSON.stringify(probability)}`);
      }
      return { kind: 'loss', target: target(), probability };
    }
    case 'membership': {
      const change = String(action.change);
      if (!(MEMBERSHIP_CHANGES as readonly string[]).includes(change)) {
        throw new RangeError(`${where}.change: unknown membership change '${change}' (known: ${MEMBERSHIP_CHANGES.join(', ')})`);
      }
      return { kind: 'membership', change: change as MembershipChange, target: target() };
    }
    case 'vote-kill':
      return { kind: 'vote-kill', target: target() };
    default:
      throw new RangeError(`${where}.kind: unknown nemesis ${JSON.stringify(action.kind)} (known: ${NEMESIS_KINDS.join(', ')})`);
  }
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function integer(value: unknown, where: string, signedOk = false): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (!signedOk && value < 0)) {
    throw new RangeError(`${where} must be ${signedOk ? 'an' : 'a non-negative'} integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function integers(value: unknown, where: string): number[] {
  if (!Array.isArray(value)) throw new RangeError(`${where} must be a list of node ids`);
  return value.map((item, index) => integer(item, `${where}[${index}]`));
}
