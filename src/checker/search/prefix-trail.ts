/**
 * Snapshots of the search's path (its stack of linearized calls) in O(1) amortized each.
 *
 * The search keeps its longest prefixes for the witness, taking one whenever it abandons a node at
 * the longest depth so far. Copying the stack each time cost O(depth) per dead end at the frontier,
 * quadratic along a 20,000-call part, and the 80 KB copies dominated garbage collection. Instead
 * the path is shared: each stack frame gets a node pointing to the frame below, created only when a
 * snapshot needs it, and kept until that frame is popped. A snapshot is then a node; its call ids
 * are read out only when the search ends with a failure.
 *
 * Nodes live in two typed arrays (call id, parent node), not as objects: a valid history's search
 * makes a node for nearly every frame it pushes at the frontier, and as objects they were a large
 * share of what the garbage collector copied. A frame gets a node at most once per push, so the
 * pool holds at most as many nodes as the search pushed calls.
 */

const NO_NODE = -1;

/** A path as it was when taken: read it with `trail.callIds`. */
export interface TrailMark {
  readonly node: number;
  readonly depth: number;
}

export class PrefixTrail {
  /** The node of each frame below `validDepth`. */
  private readonly frameNode: Int32Array;
  private nodeCallId: Int32Array;
  private nodeParent: Int32Array;
  private nodeCount = 0;
  /** Frames below this depth have their node in `frameNode`. */
  private validDepth = 0;

  constructor(maxDepth: number) {
    this.frameNode = new Int32Array(maxDepth);
    const capacity = Math.max(16, Math.min(maxDepth, 1024));
    this.nodeCallId = new Int32Array(capacity);
    this.nodeParent = new Int32Array(capacity);
  }

  /** The frame at `depth` and every frame above it were popped (or replaced). */
  poppedTo(depth: number): void {
    if (depth < this.validDepth) this.validDepth = depth;
  }

  /** The path of the first `depth` frames; `callIdAt(i)` is frame i's call id. */
  mark(depth: number, callIdAt: (frame: number) => number): TrailMark {
    for (let frame = this.validDepth; frame < depth; frame++) {
      if (this.nodeCount === this.nodeCallId.length) this.grow();
      const node = this.nodeCount++;
      this.nodeCallId[node] = callIdAt(frame);
      this.nodeParent[node] = frame === 0 ? NO_NODE : this.frameNode[frame - 1]!;
      this.frameNode[frame] = node;
    }
    if (depth > this.validDepth) this.validDepth = depth;
    return { node: depth === 0 ? NO_NODE : this.frameNode[depth - 1]!, depth };
  }

  /** The call ids of a path taken from this trail, bottom frame first. */
  callIds(mark: TrailMark): number[] {
    const ids = new Array<number>(mark.depth);
    let node = mark.node;
    for (let i = mark.depth - 1; i >= 0; i--, node = this.nodeParent[node]!) ids[i] = this.nodeCallId[node]!;
    return ids;
  }

  private grow(): void {
    const callIds = new Int32Array(this.nodeCallId.length * 2);
    callIds.set(this.nodeCallId);
    this.nodeCallId = callIds;
    const parents = new Int32Array(this.nodeParent.length * 2);
    parents.set(this.nodeParent);
    this.nodeParent = parents;
  }
}
