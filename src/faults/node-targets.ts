/**
 * Symbolic fault targets, as a fault schedule names them before the run starts (`leader`,
 * `random`, `minority`, ...), and their resolution to node ids at the moment a fault is applied,
 * from what the cluster looks like then (its nodes, its current leader, the nodes another fault
 * already holds). Pure functions: the randomness is a seeded stream the caller passes in.
 */

/**
 * - `leader`: the current leader (a random node when none is known);
 * - `not-leader`: one random node other than the leader;
 * - `random`: one random node;
 * - `minority`: ⌊(n-1)/2⌋ random nodes (a quorum remains);
 * - `majority`: ⌊n/2⌋+1 random nodes (no quorum remains);
 * - `all`: every node;
 * - a number: that node.
 */
export type NodeTarget = 'leader' | 'not-leader' | 'random' | 'minority' | 'majority' | 'all' | number;

export const SYMBOLIC_TARGETS = ['leader', 'not-leader', 'random', 'minority', 'majority', 'all'] as const;

/** The randomness a resolution needs (the simulator's SeededRandom is one). */
export interface TargetRandom {
  shuffled<T>(items: readonly T[]): T[];
}

export interface TargetContext {
  /** Every node of the cluster (ids). */
  nodes: readonly number[];
  /** The leader as the cluster reports it now, or null. */
  leaderId: number | null;
  /** Nodes that may not be chosen (a fault of the same family already holds them). */
  busy?: ReadonlySet<number>;
}

export interface ResolvedTarget {
  /** The chosen nodes in ascending order; empty when none could be chosen. */
  nodes: number[];
  /** Why fewer nodes were chosen than the target asks for (all busy, no leader known...), or null. */
  note: string | null;
}

export function isNodeTarget(value: unknown): value is NodeTarget {
  return (typeof value === 'number' && Number.isInteger(value)) || (SYMBOLIC_TARGETS as readonly unknown[]).includes(value);
}

export function describeTarget(target: NodeTarget): string {
  return typeof target === 'number' ? `node ${target}` : target;
}

/** The nodes `target` stands for now. Busy nodes are never chosen; the note says what was left out. */
export function resolveTarget(target: NodeTarget, context: TargetContext, random: TargetRandom): ResolvedTarget {
  const busy = context.busy ?? new Set<number>();
  const free = context.nodes.filter((node) => !busy.has(node));
  const leader = context.leaderId !== null && context.nodes.includes(context.leaderId) ? context.leaderId : null;
  const n = context.nodes.length;
  const pickFrom = (pool: readonly number[], count: number, note: string | null = null): ResolvedTarget => {
    const chosen = random.shuffled(pool).slice(0, count).sort((a, b) => a - b);
    const short = chosen.length < count ? `only ${chosen.length} of ${count} nodes were free` : null;
    return { nodes: chosen, note: note ?? short };
  };
  switch (target) {
    case 'leader':
      if (leader === null) return pickFrom(free, 1, 'no leader known: a random node instead');
      if (busy.has(leader)) return { nodes: [], note: `the leader, node ${leader}, already has a fault` };
      return { nodes: [leader], note: null };
    case 'not-leader': return pickFrom(free.filter((node) => node !== leader), 1);
    case 'random': return pickFrom(free, 1);
    case 'minority': return pickFrom(free, Math.floor((n - 1) / 2));
    case 'majority': return pickFrom(free, Math.floor(n / 2) + 1);
    case 'all': return pickFrom(free, n);
    default:
      if (!context.nodes.includes(target)) throw new RangeError(`fault target node ${target} is not one of ${context.nodes.join(',')}`);
      if (busy.has(target)) return { nodes: [], note: `node ${target} already has a fault` };
      return { nodes: [target], note: null };
  }
}
