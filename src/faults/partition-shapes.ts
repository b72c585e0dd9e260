/**
 * The partition shapes of the nemesis, as pure functions from the cluster's nodes (and a seeded
 * shuffle) to a grudge. The same functions drive the simulator and the container nemesis, so a
 * shape means the same thing in both. The vocabulary is Jepsen's, plus KIP-996's ping-pong.
 *
 * Shapes that depend on the current leader (isolate-leader, majority) take it as an argument:
 * the fault schedule names the shape, and the leader is looked up when the fault is applied.
 */
import { completeGrudge, grudgeFromLinks, HEALED, type Grudge } from './grudge.js';

/** The only randomness a shape needs: a seeded shuffle (the simulator's SeededRandom is one). */
export interface ShuffleSource {
  shuffled<T>(items: readonly T[]): T[];
}

export const PARTITION_SHAPES = [
  'halves',
  'random-halves',
  'isolate-one',
  'isolate-leader',
  'minority-third',
  'majority',
  'majorities-ring',
  'bridge',
  'one-way',
  'ping-pong',
] as const;
export type PartitionShape = (typeof PARTITION_SHAPES)[number];

/** The smallest cluster each shape can cut, and the only size ping-pong is defined for. */
const NODES_MIN: Readonly<Record<PartitionShape, number>> = {
  'halves': 2, 'random-halves': 2, 'isolate-one': 2, 'isolate-leader': 2, 'minority-third': 2, 'majority': 2,
  'majorities-ring': 3, 'bridge': 3, 'one-way': 2, 'ping-pong': 5,
};
const PING_PONG_NODES = 5;

/** Why `shape` cannot cut a cluster of `nodeCount` nodes, or null when it can. */
export function shapeProblem(shape: PartitionShape, nodeCount: number): string | null {
  if (shape === 'ping-pong' && nodeCount !== PING_PONG_NODES) {
    return `partition shape ping-pong is KIP-996's 5-node topology; it needs exactly 5 nodes, got ${nodeCount}`;
  }
  const minimum = NODES_MIN[shape];
  return nodeCount < minimum ? `partition shape ${shape} needs at least ${minimum} nodes, got ${nodeCount}` : null;
}

/** The shapes that can cut a cluster of `nodeCount` nodes. */
export function shapesFor(nodeCount: number): PartitionShape[] {
  return PARTITION_SHAPES.filter((shape) => shapeProblem(shape, nodeCount) === null);
}

export function isPartitionShape(name: string): name is PartitionShape {
  return (PARTITION_SHAPES as readonly string[]).includes(name);
}

/** The nodes in id order split in two; with an odd count the first half is the smaller one. */
export function halves(nodes: readonly number[]): Grudge {
  requireNodes(nodes, 'halves');
  const sorted = [...nodes].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length / 2);
  return completeGrudge([sorted.slice(0, cut), sorted.slice(cut)]);
}

/** A random split into two halves; with an odd count the first half is the smaller one. */
export function randomHalves(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 'random-halves');
  const shuffled = random.shuffled(nodes);
  const cut = Math.floor(shuffled.length / 2);
  return completeGrudge([shuffled.slice(0, cut), shuffled.slice(cut)]);
}

/** `node` alone on one side, everyone else on the other. */
export function isolate(nodes: readonly number[], node: number): Grudge {
  requireNodes(nodes, 'isolate-one');
  if (!nodes.includes(node)) throw new RangeError(`cannot isolate node ${node}: not one of ${nodes.join(',')}`);
  return completeGrudge([[node], nodes.filter((other) => other !== node)]);
}

/** A random node isolated from the rest. */
export function isolateOne(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 'isolate-one');
  return isolate(nodes, random.shuffled(nodes)[0] as number);
}

/**
 * The leader isolated from the rest. `leaderId` null (no known leader) isolates a random node, so
 * the nemesis still does something a person can read in the history.
 */
export function isolateLeader(nodes: readonly number[], leaderId: number | null, random: ShuffleSource): Grudge {
  return leaderId === null || !nodes.includes(leaderId) ? isolateOne(nodes, random) : isolate(nodes, leaderId);
}

/** A random third of the nodes (at least one, always a minority) cut off from the rest. */
export function minorityThird(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 'minority-third');
  const shuffled = random.shuffled(nodes);
  const cut = Math.max(1, Math.floor(shuffled.length / 3));
  return completeGrudge([shuffled.slice(0, cut), shuffled.slice(cut)]);
}

/**
 * A random majority on one side and the rest on the other, with the current leader (when known)
 * on the minority side: the majority must elect a new leader while the old one may still think
 * it leads, the classic split-brain window.
 */
export function majority(nodes: readonly number[], leaderId: number | null, random: ShuffleSource): Grudge {
  requireNodes(nodes, 'majority');
  const majoritySize = Math.floor(nodes.length / 2) + 1;
  const shuffled = random.shuffled(nodes);
  const others = leaderId !== null && nodes.includes(leaderId) ? shuffled.filter((node) => node !== leaderId) : shuffled;
  const side = others.slice(0, majoritySize);
  return completeGrudge([side, nodes.filter((node) => !side.includes(node))]);
}

/**
 * Every node hears a majority (itself included), but no two nodes hear the same majority. Nodes
 * are placed on a random ring; each window of `majority` consecutive nodes is what the window's
 * middle node hears. With 3 nodes each node hears itself and one neighbour.
 */
export function majoritiesRing(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 'majorities-ring');
  const ring = random.shuffled(nodes);
  const windowSize = Math.floor(ring.length / 2) + 1;
  const grudge = new Map<number, Set<number>>();
  for (let start = 0; start < ring.length; start += 1) {
    const window = Array.from({ length: windowSize }, (_, i) => ring[(start + i) % ring.length] as number);
    const middle = window[Math.floor(windowSize / 2)] as number;
    grudge.set(middle, new Set(ring.filter((node) => !window.includes(node))));
  }
  return grudge;
}

/**
 * Two halves joined by one bridge node that hears both sides (and both sides hear it), while the
 * halves do not hear each other. With 3 nodes: a - b - c.
 */
export function bridge(nodes: readonly number[], random: ShuffleSource): Grudge {
  requireNodes(nodes, 'bridge');
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
  requireNodes(nodes, 'one-way');
  const node = random.shuffled(nodes)[0] as number;
  const direction = random.shuffled(['deaf', 'mute'] as const)[0];
  const others = nodes.filter((other) => other !== node);
  if (direction === 'deaf') return new Map([[node, new Set(others)]]);
  return new Map(others.map((other) => [other, new Set([node])]));
}

/**
 * KIP-996's "ping-pong" topology, the case pre-vote exists for: 5 nodes (0..4 here are the node
 * ids in ascending order) linked only 0–2, 1–3, 2–3, 2–4, 3–4. Nodes 0 and 1 each hear one
 * peer; without pre-vote their elections keep disturbing a quorum they can never win.
 */
export function pingPong(nodes: readonly number[]): Grudge {
  requireNodes(nodes, 'ping-pong');
  const byIndex = [...nodes].sort((a, b) => a - b);
  const link = (a: number, b: number): [number, number] => [byIndex[a] as number, byIndex[b] as number];
  return grudgeFromLinks(byIndex, [link(0, 2), link(1, 3), link(2, 3), link(2, 4), link(3, 4)]);
}

/** Build the named shape; `leaderId` is the current leader where the shape needs it. */
export function partitionShape(
  shape: PartitionShape,
  nodes: readonly number[],
  leaderId: number | null,
  random: ShuffleSource,
): Grudge {
  switch (shape) {
    case 'halves': return halves(nodes);
    case 'random-halves': return randomHalves(nodes, random);
    case 'isolate-one': return isolateOne(nodes, random);
    case 'isolate-leader': return isolateLeader(nodes, leaderId, random);
    case 'minority-third': return minorityThird(nodes, random);
    case 'majority': return majority(nodes, leaderId, random);
    case 'majorities-ring': return majoritiesRing(nodes, random);
    case 'bridge': return bridge(nodes, random);
    case 'one-way': return oneWay(nodes, random);
    case 'ping-pong': return pingPong(nodes);
  }
}

/** Heal every partition. */
export function heal(): Grudge {
  return HEALED;
}

function requireNodes(nodes: readonly number[], shape: PartitionShape): void {
  const problem = shapeProblem(shape, nodes.length);
  if (problem !== null) throw new RangeError(problem);
  if (new Set(nodes).size !== nodes.length) throw new RangeError(`duplicate node ids: ${nodes.join(',')}`);
}
