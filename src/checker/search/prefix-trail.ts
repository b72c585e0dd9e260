/**
 * Snapshots of the search's path (its stack of linearized calls) in O(1) amortized each.
 *
 * The search keeps its longest prefixes for the witness, taking one whenever it abandons a node at
 * the longest depth so far. Copying the stack each time cost O(depth) per dead end at the frontier,
 * quadratic along a 20,000-call part, and the 80 KB copies dominated garbage collection. Instead
 * the path is shared: each stack frame gets a node pointing to the frame below, created only when a
 * snapshot needs it, and kept until that frame is popped. A snapshot is then a node; its call ids
 * are read out only when the search ends with a failure.
 */

interface TrailNode {
  readonly callId: number;
  readonly parent: TrailNode | null;
}

/** A path as it was when taken: read it with `PrefixTrail.callIds`. */
export interface TrailMark {
  readonly node: TrailNode | null;
  readonly depth: number;
}

export class PrefixTrail {
  private readonly nodes: (TrailNode | null)[];
  /** Frames below this depth have their node in `nodes`. */
  private validDepth = 0;

  constructor(maxDepth: number) {
    this.nodes = new Array<TrailNode | null>(maxDepth).fill(null);
  }

  /** The frame at `depth` and every frame above it were popped (or replaced). */
  poppedTo(depth: number): void {
    if (depth < this.validDepth) this.validDepth = depth;
  }

  /** The path of the first `depth` frames; `callIdAt(i)` is frame i's call id. */
  mark(depth: number, callIdAt: (frame: number) => number): TrailMark {
    for (let frame = this.validDepth; frame < depth; frame++) {
      this.nodes[frame] = { callId: callIdAt(frame), parent: frame === 0 ? null : this.nodes[frame - 1]! };
    }
    if (depth > this.validDepth) this.validDepth = depth;
    return { node: depth === 0 ? null : this.nodes[depth - 1]!, depth };
  }

  static callIds(mark: TrailMark): number[] {
    const ids = new Array<number>(mark.depth);
    let node = mark.node;
    for (let i = mark.depth - 1; i >= 0; i--, node = node!.parent) ids[i] = node!.callId;
    return ids;
  }
}
