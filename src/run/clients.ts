/**
 * The client side of the generator: `concurrency` logical processes, each a world client running
 * one operation at a time, drawn from the workload, until the fault phase ends. Every operation
 * is recorded as an invocation and its completion (ok / fail / info, as the world's client
 * classified it). A process whose operation ended `info` may still have it in flight, so it is
 * retired, as Jepsen retires it, and a fresh process (a new number) takes its slot.
 *
 * Pacing: `rate` operations per second in all; each process waits a random time with mean
 * concurrency/rate seconds between its operations. Every draw comes from the slot's own stream of
 * the run's seed, so in the simulator the same seed gives the same operations at the same times.
 */
import type { AcknowledgedWrite } from '../checker/invariants/acknowledged-writes.js';
import type { HistoryRecorder } from '../history/history-recorder.js';
import type { SeededRandom } from '../sim/random.js';
import { nextOperation, type WorkloadConfig } from './workload.js';
import type { ClientCompletion, ClientOperation, World, WorldClient } from './world.js';

export interface ClientPoolOptions {
  concurrency: number;
  rate: number;
  workload: WorkloadConfig;
}

export interface ClientCounts {
  operations: number;
  ok: number;
  fail: number;
  info: number;
}

export class ClientPool {
  readonly counts: ClientCounts = { operations: 0, ok: 0, fail: 0, info: 0 };
  readonly acknowledged: AcknowledgedWrite[] = [];
  private nextProcess: number;

  constructor(
    private readonly world: World,
    private readonly recorder: HistoryRecorder,
    private readonly random: SeededRandom,
    private readonly options: ClientPoolOptions,
  ) {
    this.nextProcess = options.concurrency;
  }

  /** A process number never used before in this run. */
  freshProcess(): number {
    return this.nextProcess++;
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
    const clock = this.world.clock;
    this.recorder.invoke(process, operation.f, operation.value, clock.nowMs());
    this.counts.operations += 1;
    const completion = await client.invoke(operation);
    const details = completion.node === undefined ? {} : { node: completion.node };
    if (completion.type === 'ok') {
      this.counts.ok += 1;
      const recorded = this.recorder.complete(process, 'ok', operation.f, completion.value, clock.nowMs(), details);
      if (completion.acknowledged !== undefined) this.acknowledged.push({ ...completion.acknowledged, operation: recorded });
    } else {
      this.counts[completion.type] += 1;
      this.recorder.complete(process, completion.type, operation.f, null, clock.nowMs(), { ...details, error: completion.error });
    }
    return completion;
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
        const completion = await this.invokeRecorded(process, client, nextOperation(this.options.workload, random));
        if (completion.type === 'info') {
          await client.close();
          process = this.freshProcess();
          client = await this.world.openClient(process);
        }
        await clock.sleep(random.intBetween(0, Math.ceil(2 * meanGapMs)));
      }
    } finally {
      await client.close();
    }
  }
}
