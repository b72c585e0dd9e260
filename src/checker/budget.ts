/**
 * The limits of one linearizability check: wall time and memory. The search asks `spent()` every
 * few thousand steps (reading the clock or the heap on every step would cost more than the step);
 * once a limit is spent the verdict is `unknown` with the cause, never a crash.
 *
 * Memory is bounded two ways: by an estimate of the search's own memo cache (cheap, exact enough,
 * and deterministic) and by the heap plus typed-array memory in use (catches models whose states
 * are larger than the estimate assumes). Workers also get `resourceLimits` as a last guard (see search/parallel.ts).
 */
import { getHeapStatistics } from 'node:v8';

export const DEFAULT_TIME_LIMIT_MS = 30_000;
export const DEFAULT_MEMORY_LIMIT_MIB = 1024;

export interface BudgetOptions {
  timeLimitMs?: number;
  memoryLimitMiB?: number;
  /**
   * When the check started (Date.now()), for a budget that continues one started elsewhere, e.g.
   * in a worker thread: the time limit counts from then. Default: now.
   */
  startedAtEpochMs?: number;
}

/**
 * A flag shared between threads (one Int32 in a SharedArrayBuffer): once any thread sets it, every
 * search sharing it stops at its next budget check. Used to stop the other parts when one part is
 * found invalid, without waiting for a synchronous search to yield.
 */
export class StopFlag {
  readonly cells: Int32Array;
  constructor(cells: Int32Array = new Int32Array(new SharedArrayBuffer(4))) {
    this.cells = cells;
  }
  raise(): void {
    Atomics.store(this.cells, 0, 1);
  }
  get raised(): boolean {
    return Atomics.load(this.cells, 0) !== 0;
  }
}

/** Why a search stopped because another part was found invalid. */
export const STOPPED_CAUSE = 'stopped: another part was found invalid';

export class Budget {
  readonly timeLimitMs: number;
  readonly memoryLimitMiB: number;
  /** Date.now() when the check started, to hand the same budget to another thread. */
  readonly startedAtEpochMs: number;
  private readonly startMs: number;
  private readonly deadlineMs: number;
  private readonly memoryLimitBytes: number;
  /** Heap in use when the check started: the limit applies to what the check adds. */
  private readonly heapBaselineBytes: number;
  private peakHeapAddedBytes = 0;

  constructor(options: BudgetOptions = {}, private readonly stopFlag?: StopFlag) {
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    this.memoryLimitMiB = options.memoryLimitMiB ?? DEFAULT_MEMORY_LIMIT_MIB;
    if (!(this.timeLimitMs > 0)) throw new RangeError(`timeLimitMs must be > 0, got ${this.timeLimitMs}`);
    if (!(this.memoryLimitMiB > 0)) throw new RangeError(`memoryLimitMiB must be > 0, got ${this.memoryLimitMiB}`);
    const alreadySpentMs = options.startedAtEpochMs === undefined ? 0 : Date.now() - options.startedAtEpochMs;
    this.startMs = performance.now() - Math.max(0, alreadySpentMs);
    this.startedAtEpochMs = Date.now() - Math.max(0, alreadySpentMs);
    this.deadlineMs = this.startMs + this.timeLimitMs;
    this.memoryLimitBytes = this.memoryLimitMiB * 1024 * 1024;
    this.heapBaselineBytes = memoryInUseBytes();
  }

  /**
   * A budget for part of the remaining time (same memory limit and stop flag), for a search that
   * should leave time for another. Its causes name its own slice, so callers report their own.
   */
  slice(fraction: number): Budget {
    if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`slice fraction must be in (0, 1], got ${fraction}`);
    return new Budget({ timeLimitMs: Math.max(1, this.remainingMs() * fraction), memoryLimitMiB: this.memoryLimitMiB }, this.stopFlag);
  }

  elapsedMs(): number {
    return performance.now() - this.startMs;
  }

  remainingMs(): number {
    return Math.max(0, this.deadlineMs - performance.now());
  }

  /**
   * The most heap the check added over its start, as sampled at budget checks and part ends (a
   * lower bound of the true peak; for reports and benchmarks).
   */
  get peakHeapBytes(): number {
    return this.peakHeapAddedBytes;
  }

  /** Reads the heap now, keeps the peak, and returns what the check has added. */
  sampleHeap(): number {
    const added = memoryInUseBytes() - this.heapBaselineBytes;
    if (added > this.peakHeapAddedBytes) this.peakHeapAddedBytes = added;
    return added;
  }

  /**
   * Null while the budget lasts; otherwise the cause, in words, naming the limit and how far the
   * search got. `cacheBytes` is the search's own estimate of its memo cache.
   */
  spent(statesExplored: number, cacheBytes: number): string | null {
    if (this.stopFlag?.raised) return STOPPED_CAUSE;
    if (performance.now() >= this.deadlineMs) {
      return `time limit ${this.timeLimitMs} ms spent after ${statesExplored} states`;
    }
    if (cacheBytes >= this.memoryLimitBytes) {
      return `memory limit ${this.memoryLimitMiB} MiB reached by the search cache after ${statesExplored} states`;
    }
    const heapAddedBytes = this.sampleHeap();
    if (heapAddedBytes >= this.memoryLimitBytes) {
      return `memory limit ${this.memoryLimitMiB} MiB reached (heap) after ${statesExplored} states`;
    }
    return null;
  }
}

/**
 * The JS heap plus memory held outside it by typed arrays: the search keeps its bitsets in typed
 * arrays, which `used_heap_size` alone does not count.
 */
function memoryInUseBytes(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}
