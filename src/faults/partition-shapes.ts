/**
 * The partition shapes of the nemesis, as pure functions from the cluster's nodes (and a seeded
 * shuffle) to a grudge. The same functions drive the simulator and the container nemesis, so a
 * shape means the same thing in both. The vocabulary is Jepsen's.
 */
import { completeGrudge, HEALED, type Grudge } from './grudge.js';

/** The only randomness a shape needs: a seeded shuffle (the simulator's SeededRandom is one). */
export interface ShuffleSource {
  shuffled<T>(items: readonly T[]): T[];
}

export const PARTITION_SHAPES = [
  'halves',
  'isolate-one',
  'isolate-leader',
  'majorities-ring',
  'bridge',
  'one-way',
] as const;
export type PartitionShape = (typeof PARTITION_SHAPES)[number];

/** A random split into two halves; with an odd count the first half is the smaller one. */
export function halves(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 2, 'halves');
  const shuffled = random.shuffled(nodes);
  const cut = Math.floor(shuffled.length / 2);
  return completeGrudge([shuffled.slice(0, cut), shuffled.slice(cut)]);
}

/** `node` alone on one side, everyone else on the other. */
export function isolate(nodes: readonly number[], node: number): Grudge {
  requireNodes(nodes, 2, 'isolate');
  if (!nodes.includes(node)) throw new RangeError(`cannot isolate node ${node}: not one of ${nodes.join(',')}`);
  return completeGrudge([[node], nodes.filter((other) => other !== node)]);
}

/** A random node isolated from the rest. */
export function isolateOne(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 2, 'isolate-one');
  return isolate(nodes, random.shuffled(nodes)[0] as number);
}

/**
 * The leader isolated from the rest. `leaderId` null (no known leader) isolates a random node, so
 * the nemesis still does something a person can read in the history.
 */
export function isolateLeader(nodes: readonly number[], leaderId: number | null, random: ShuffleSource): Grudge {
  return leaderId === null || !nodes.includes(leaderId) ? isolateOne(nodes, random) : isolate(nodes, leaderId);
}

/**
 * Every node hears a majority (itself included), but no two nodes hear the same majority. Nodes
 * are placed on a random ring; each window of `majority` consecutive nodes is what the window's
 * middle node hears. With 3 nodes each node hears itself and one neighbour.
 */
export function majoritiesRing(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 3, 'majorities-ring');
  const ring = random.shuffled(nodes);
  const majority = Math.floor(ring.length / 2) + 1;
  const grudge = new Map<number, Set<number>>();
  for (let start = 0; start < ring.length; start += 1) {
    const window = Array.from({ length: majority }, (_, i) => ring[(start + i) % ring.length] as number);
    const middle = window[Math.floor(majority / 2)] as number;
    grudge.set(middle, new Set(ring.filter((node) => !window.includes(node))));
  }
  return grudge;
}

/**
 * Two halves joined by one bridge node that hears both sides (and both sides hear it), while the
 * halves do not hear each other. With 3 nodes: a - b - c.
 */
export function bridge(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 3, 'bridge');
  // The first node of the shuffle is the bridge: it holds no grudge and nobody holds one against it.
  const rest = random.shuffled(nodes).slice(1);
  const cut = Math.floor(rest.length / 2);
  const left = rest.slice(0, cut);
  const right = rest.slice(cut);
  const grudge = new Map<number, Set<number>>();
  for (const node of left) grudge.set(node, new Set(right));
  for (const node of right) grudge.set(node, new Set(left));
  return grudge;
}

/**
 * An asymmetric partition: one random node either cannot hear anyone (`deaf`) or cannot be heard
 * by anyone (`mute`), while traffic in the other direction flows. Raft must cope with both: a
 * mute leader keeps receiving fetches it cannot answer; a deaf node keeps starting elections.
 */
export function oneWay(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 2, 'one-way');
  const node = random.shuffled(nodes)[0] as number;
  const direction = random.shuffled(['deaf', 'mute'] as const)[0];
  const others = nodes.filter((other) => other !== node);
  if (direction === 'deaf') return new Map([[node, new Set(others)]]);
  return new Map(others.map((other) => [other, new Set([node])]));
}

/** Build the named shape. */
export function partitionShape(
  shape: PartitionShape,
  nodes: readonly number[],
  leaderId: number | null,
  random: ShuffleSource,
): Grudge {
  switch (shape) {
    case 'halves': return halves(nodes, random);
    case 'isolate-one': return isolateOne(nodes, random);
    case 'isolate-leader': return isolateLeader(nodes, leaderId, random);
    case 'majorities-ring': return majoritiesRing(nodes, random);
    case 'bridge': return bridge(nodes, random);
    case 'one-way': return oneWay(nodes, random);
  }
}

/** Heal every partition. */
export function heal(): Grudge {
  return HEALED;
}

function requireNodes(nodes: readonly number[], minimum: number, shape: string): void {
  if (nodes.length < minimum) {
    throw new RangeError(`partition shape ${shape} needs at least ${minimum} nodes, got ${nodes.length}`);
  }
  if (new Set(nodes).size !== nodes.length) throw new RangeError(`duplicate node ids: ${nodes.join(',')}`);
}
