/**
 * The time the Kafka request handlers run on: deadlines of retried submissions, the pause between
 * retries, and the wall clock DescribeQuorum's timestamps are shown on. quorumd runs them on the
 * real clock; the simulator injects its virtual one, so simulated clients go through exactly the
 * handler code kafkajs reaches (forwarding, retries, error mapping).
 */
export interface HandlerClock {
  /** A clock for deadlines, in ms (monotonic on a real host). */
  nowMs(): number;
  /** Resolves after `ms` on this clock. */
  sleep(ms: number): Promise<void>;
  /** Wall-clock time in epoch ms (Date.now() on a real host). */
  wallNowMs(): number;
}

export const REAL_CLOCK: HandlerClock = Object.freeze({
  nowMs: () => performance.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  wallNowMs: () => Date.now(),
});
