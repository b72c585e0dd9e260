/**
 * A simulated client process: one topic-metadata operation at a time, each to a random node,
 * recorded in the history as invoke and then ok / fail / info. It stops invoking once told to
 * stop; an operation still open then stays open (indeterminate), as in any real history.
 */
import type { TopicFunction } from '../history/topic-operations.js';
import type { HistoryRecorder } from './history-recorder.js';
import type { SeededRandom } from './random.js';
import type { RequestChannel, RequestOutcome } from './request-channel.js';
import { toCompletion, toMetadataOperation } from './topic-operation-mapping.js';
import { nextOperation, type PlannedOperation, type WorkloadConfig } from './workload.js';

export interface ClientConfig {
  /** A client waits up to this long between operations. */
  thinkMsMax: number;
  /** After this long without an answer the operation is recorded as info (timeout). */
  requestTimeoutMs: number;
}

/** Writes that a node acknowledged as committed, for NoAcknowledgedWriteLost. */
export type AcknowledgedWriteSink = (committedOffset: number, committedEpoch: number, operationIndex: number) => void;

export class SimClient {
  private stopped = false;

  constructor(
    readonly process: number,
    private readonly nodes: readonly number[],
    private readonly workload: WorkloadConfig,
    private readonly config: ClientConfig,
    private readonly random: SeededRandom,
    private readonly channel: RequestChannel,
    private readonly recorder: HistoryRecorder,
    private readonly onAcknowledged: AcknowledgedWriteSink,
  ) {}

  start(): void {
    this.channel.after(this.random.intBetween(0, this.config.thinkMsMax), () => this.invokeNext());
  }

  stop(): void {
    this.stopped = true;
  }

  /** Issue one chosen operation now (the liveness probe uses this); `done` hears the completion type. */
  invoke(planned: PlannedOperation, done: (type: 'ok' | 'fail' | 'info', value: unknown, error?: string) => void): void {
    const nodeId = this.random.pick(this.nodes);
    this.recorder.invoke(this.process, planned.f, planned.value, this.channel.nowMs(), nodeId);
    const operation = toMetadataOperation(planned.f as TopicFunction, planned.value);
    this.channel.request(nodeId, operation, this.config.requestTimeoutMs, (outcome) => {
      const completion = this.complete(planned.f as TopicFunction, nodeId, outcome);
      done(completion.type, completion.value, completion.error);
    });
  }

  private invokeNext(): void {
    if (this.stopped) return;
    this.invoke(nextOperation(this.workload, this.random), () => {
      this.channel.after(this.random.intBetween(0, this.config.thinkMsMax), () => this.invokeNext());
    });
  }

  private complete(
    f: TopicFunction, nodeId: number, outcome: RequestOutcome,
  ): { type: 'ok' | 'fail' | 'info'; value: unknown; error?: string } {
    const nowMs = this.channel.nowMs();
    if (outcome.kind === 'refused') {
      this.recorder.complete(this.process, 'fail', f, null, nowMs, { node: nodeId, error: 'connection refused' });
      return { type: 'fail', value: null, error: 'connection refused' };
    }
    if (outcome.kind === 'timeout') {
      this.recorder.complete(this.process, 'info', f, null, nowMs, { node: nodeId, error: 'timeout' });
      return { type: 'info', value: null, error: 'timeout' };
    }
    const completion = toCompletion(f, outcome.response);
    if (completion.type === 'ok') {
      const op = this.recorder.complete(this.process, 'ok', f, completion.value, nowMs, { node: nodeId });
      const { committedOffset, committedEpoch } = outcome.response.outcome === 'ok' ? outcome.response : {};
      if (committedOffset !== undefined && committedEpoch !== undefined) this.onAcknowledged(committedOffset, committedEpoch, op.index);
      return { type: 'ok', value: completion.value };
    }
    this.recorder.complete(this.process, completion.type, f, null, nowMs, { node: nodeId, error: completion.error });
    return { type: completion.type, value: null, error: completion.error };
  }
}
