/**
 * A network partition as Jepsen describes one: a *grudge* maps a node to the set of nodes whose
 * traffic it drops. Grudges are plain values; a mechanism applies them (the simulated network at
 * delivery, iptables rules in containers). A node missing from the map drops nothing.
 *
 * This is the project's one Grudge type: the simulator, the container harness, the fault schedule
 * and run directories all use it. Applying a grudge REPLACES the one in force (it is the whole
 * partition, never an addition to the previous one); applying HEALED heals every partition.
 */

export type Grudge = ReadonlyMap<number, ReadonlySet<number>>;

/** No partition: every node hears every other. */
export const HEALED: Grudge = new Map();

/** The JSON form of a grudge in histories, schedules and logs: `{"1": [2, 3]}`. */
export type GrudgeDescription = Readonly<Record<string, readonly number[]>>;

/** True when `to` drops traffic coming from `from` under `grudge`. */
export function drops(grudge: Grudge, from: number, to: number): boolean {
  return grudge.get(to)?.has(from) ?? false;
}

/** True when the grudge drops nothing at all. */
export function isHealed(grudge: Grudge): boolean {
  for (const ignored of grudge.values()) if (ignored.size > 0) return false;
  return true;
}

/**
 * Each node hears only the nodes of its own component; the components must not overlap and every
 * node must be in one (a "complete" partition in Jepsen's words).
 */
export function completeGrudge(components: readonly (readonly number[])[]): Grudge {
  const all = components.flat();
  if (new Set(all).size !== all.length) {
    throw new RangeError(`partition components overlap: ${JSON.stringify(components)}`);
  }
  const grudge = new Map<number, Set<number>>();
  for (const component of components) {
    const others = all.filter((node) => !component.includes(node));
    for (const node of component) {
      if (others.length > 0) grudge.set(node, new Set(others));
    }
  }
  return grudge;
}

/**
 * The grudge under which every node hears exactly its `links` (undirected pairs) and itself:
 * what a topology drawn as a graph means (KIP-996's ping-pong picture is one).
 */
export function grudgeFromLinks(nodes: readonly number[], links: readonly (readonly [number, number])[]): Grudge {
  const linked = (a: number, b: number): boolean => links.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
  const grudge = new Map<number, Set<number>>();
  for (const node of nodes) {
    const ignored = nodes.filter((other) => other !== node && !linked(node, other));
    if (ignored.length > 0) grudge.set(node, new Set(ignored));
  }
  return grudge;
}

/** A JSON-friendly form for histories and logs: `{"1": [2, 3]}`, keys and members sorted. */
export function describeGrudge(grudge: Grudge): Record<string, number[]> {
  const description: Record<string, number[]> = {};
  for (const node of [...grudge.keys()].sort((a, b) => a - b)) {
    const ignored = grudge.get(node);
    if (ignored !== undefined && ignored.size > 0) {
      description[String(node)] = [...ignored].sort((a, b) => a - b);
    }
  }
  return description;
}

/** The grudge a description (describeGrudge's output, or a schedule file's) stands for. */
export function grudgeFromDescription(description: GrudgeDescription): Grudge {
  const grudge = new Map<number, Set<number>>();
  for (const [key, ignored] of Object.entries(description)) {
    const node = Number(key);
    if (!Number.isInteger(node)) throw new RangeError(`grudge: '${key}' is not a node id`);
    if (!Array.isArray(ignored) || ignored.some((peer) => !Number.isInteger(peer))) {
      throw new RangeError(`grudge: node ${key} must list node ids, got ${JSON.stringify(ignored)}`);
    }
    if (ignored.length > 0) grudge.set(node, new Set(ignored));
  }
  return grudge;
}

/**
 * Checks a grudge against a cluster before a mechanism applies it: every id must be one of
 * `nodes`, and no node may hold a grudge against itself. Throws a RangeError naming the problem.
 */
export function validateGrudge(grudge: Grudge, nodes: readonly number[]): void {
  const known = new Set(nodes);
  for (const [node, ignored] of grudge) {
    if (!known.has(node)) throw new RangeError(`grudge names node ${node}, which is not one of ${nodes.join(',')}`);
    for (const peer of ignored) {
      if (peer === node) throw new RangeError(`grudge: node ${node} cannot ignore itself`);
      if (!known.has(peer)) throw new RangeError(`grudge: node ${node} ignores node ${peer}, which is not one of ${nodes.join(',')}`);
    }
  }
}
