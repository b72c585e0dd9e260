/**
 * The host's clock: milliseconds (for the core) and nanoseconds (for event stamps) from the
 * kernel's monotonic clock, clamped so that they never go back. Clock-skew faults (libfaketime)
 * may move what the process sees; the core must still never see time run backwards.
 * CLOCK_MONOTONIC is shared by every process on one kernel, so events of nodes on one machine
 * (or in containers on it) can be merged by their `timeNs`.
 */
export class MonotonicClock {
  private lastNs = 0n;

  constructor(private readonly readNs: () => bigint = () => process.hrtime.bigint()) {}

  nowNs(): number {
    return Number(this.advance());
  }

  /** Milliseconds with microsecond precision. */
  nowMs(): number {
    return Number(this.advance() / 1000n) / 1000;
  }

  private advance(): bigint {
    const raw = this.readNs();
    if (raw > this.lastNs) this.lastNs = raw;
    return this.lastNs;
  }
}
