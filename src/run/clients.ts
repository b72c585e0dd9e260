/**
 * The client side of the generator: `concurrency` logical processes, each a world client running
 * one operation at a time, drawn from the workload, until the fault phase ends. Every operation
 * is recorded as an invocation and its completion (ok / fail / info, as the world's client
 * classified it). A process whose operation ended `info` may still have it in flight, so it is
 * retired, as Jepsen retires it, and a fresh process takes its slot. In containers its number is,
 * as in Jepsen, the old one plus `concurrency`, so slot = process mod concurrency, and a world that
 * pins processes to nodes by number (etcd's clients) keeps the slot on its node: a client cut off
 * with its node goes on asking that node, which is how a stale read there becomes observable. The
 * simulator keeps numbering successors with the next unused number (its seeds replay as before).
 *
 * Pacing: `rate` operations per second in all; each process waits a random time with mean
 * concurrency/rate seconds between its operations. Every draw comes from the slot's own stream of
 * the run's seed, so in the simulator the same seed gives the same operations at the same times.
 */
import type { AcknowledgedWrite } from '../checker/invariants/acknowledged-writes.js';
import type { HistoryRecorder } from '../history/history-recorder.js';
import type { SeededRandom } from '../sim/random.js';
import type { OperationSource } from './workloads.js';
import type { ClientCompletion, ClientOperation, World, WorldClient } from './world.js';

export interface ClientPoolOptions {
  concurrency: number;
  rate: number;
  /**
   * How a retired process's successor is numbered: `same-slot` (process + concurrency, as Jepsen
   * numbers them: a world that pins processes to nodes by number keeps the slot on its node) or
   * `fresh` (the next number never used: the simulator's, whose draws and regression seeds
   * depend on the numbers as they were). Default fresh.
   */
  successors?: 'fresh' | 'same-slot';
  /** The run's workload (workloads.ts); the recovery probe writes through it too. */
  source: OperationSource;
}

export interface ClientCounts {
  operations: number;
  ok: number;
  fail: number;
  info: number;
}

const NO_DETAILS = Object.freeze({});

export class ClientPool {
  readonly counts: ClientCounts = { operations: 0, ok: 0, fail: 0, info: 0 };
  readonly acknowledged: AcknowledgedWrite[] = [];
  /** Every process number used so far. */
  private readonly usedProcesses = new Set<number>();
  /** Where the search for a fresh process number starts. */
  private nextFresh: number;

  constructor(
    private readonly world: World,
    private readonly recorder: HistoryRecorder,
    private readonly random: SeededRandom,
    private readonly options: ClientPoolOptions,
  ) {
    for (let slot = 0; slot < options.concurrency; slot += 1) this.usedProcesses.add(slot);
    this.nextFresh = options.concurrency;
  }

  /** The run's workload, for the recovery probe's writes. */
  get source(): OperationSource {
    return this.options.source;
  }

  /** A process number never used before in this run (the recovery probe's, after the slots ended). */
  freshProcess(): number {
    while (this.usedProcesses.has(this.nextFresh)) this.nextFresh += 1;
    this.usedProcesses.add(this.nextFresh);
    return this.nextFresh;
  }

  /** The process that takes a retired one's slot: never used before, same slot (process mod concurrency). */
  private successorOf(process: number): number {
    let next = process + this.options.concurrency;
    while (this.usedProcesses.has(next)) next += this.options.concurrency;
    this.usedProcesses.add(next);
    return next;
  }

  /** Runs every slot until the world's clock reaches `endAtMs`; resolves when the last operation completed. */
  async run(endAtMs: number): Promise<void> {
    await Promise.all(Array.from({ length: this.options.concurrency }, (_, slot) => this.runSlot(slot, endAtMs)));
  }

  /**
   * Invokes one operation as `process` on `client` and records it; returns the completion.
   * Shared with the recovery probe, so its writes are in the history like any other.
   */
  async invokeRecorded(process: number, client: WorldClient, operation: ClientOperation): Promise<ClientCompletion> {
    const together = operation.together;
    if (together !== undefined && together.length > 0 && client.invokeTogether !== undefined) {
      return this.invokeTogetherRecorded(process, client, operation, together);
    }
    const clock = this.world.clock;
    this.recorder.invoke(process, operation.f, operation.value, clock.nowMs());
    this.counts.operations += 1;
    const completion = await client.invoke(operation);
    this.record(process, operation, completion);
    return completion;
  }

  /**
   * Several create-topic operations in one request: each is recorded as its own operation, the
   * first on `process`, the others on fresh processes used for nothing else (a history's process
   * runs one operation at a time), all invoked and completed at the same moments. The checker
   * judges each topic's create on its own, as it judges every operation per topic.
   */
  private async invokeTogetherRecorded(
    process: number, client: WorldClient, operation: ClientOperation, together: ClientOperation[],
  ): Promise<ClientCompletion> {
    const clock = this.world.clock;
    const operations = [{ f: operation.f, value: operation.value }, ...together];
    const processes = [process, ...together.map(() => this.freshProcess())];
    for (const [i, one] of operations.entries()) this.recorder.invoke(processes[i]!, one.f, one.value, clock.nowMs());
    this.counts.operations += operations.length;
    const completions = await client.invokeTogether!(operations);
    for (const [i, one] of operations.entries()) this.record(processes[i]!, one, completions[i]!);
    return completions[0]!;
  }

  private record(process: number, operation: ClientOperation, completion: ClientCompletion): void {
    const clock = this.world.clock;
    // One details object per completion, built whole (a spread of it with the error made two).
    if (completion.type === 'ok') {
      this.counts.ok += 1;
      const details = completion.node === undefined ? NO_DETAILS : { node: completion.node };
      const recorded = this.recorder.complete(process, 'ok', operation.f, completion.value, clock.nowMs(), details);
      const acknowledged = completion.acknowledged;
      if (acknowledged !== undefined) {
        this.acknowledged.push({ committedOffset: acknowledged.committedOffset, committedEpoch: acknowledged.committedEpoch, operation: recorded });
      }
    } else {
      this.counts[completion.type] += 1;
      const details = completion.node === undefined ? { error: completion.error } : { node: completion.node, error: completion.error };
      this.recorder.complete(process, completion.type, operation.f, null, clock.nowMs(), details);
    }
  }

  private async runSlot(slot: number, endAtMs: number): Promise<void> {
    const clock = this.world.clock;
    const random = this.random.fork(`client-${slot}`);
    const meanGapMs = (this.options.concurrency / this.options.rate) * 1000;
    let process = slot;
    let client = await this.world.openClient(process);
    try {
      await clock.sleep(random.intBetween(0, Math.ceil(meanGapMs)));
      while (clock.nowMs() < endAtMs) {
        const operation = this.options.source.next(slot, random);
        const completion = await this.invokeRecorded(process, client, operation);
        this.options.source.observe(slot, operation, completion);
        if (completion.type === 'info') {
          await client.close();
          process = this.options.successors === 'same-slot' ? this.successorOf(process) : this.freshProcess();
          client = await this.world.openClient(process);
        }
        await clock.sleep(random.intBetween(0, Math.ceil(2 * meanGapMs)));
      }
    } finally {
      await client.close();
    }
  }
}
