/**
 * A network partition as Jepsen describes one: a *grudge* maps a node to the set of nodes whose
 * traffic it drops. Grudges are plain values; a mechanism applies them (the simulated network at
 * delivery, iptables rules in containers). A node missing from the map drops nothing.
 */

export type Grudge = ReadonlyMap<number, ReadonlySet<number>>;

/** No partition: every node hears every other. */
export const HEALED: Grudge = new Map();

/** True when `to` drops traffic coming from `from` under `grudge`. */
export function drops(grudge: Grudge, from: number, to: number): boolean {
  return grudge.get(to)?.has(from) ?? false;
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
