/**
 * DescribeQuorum asked of every client-serving node during a run, and the answers turned into node
 * events for the Raft invariants judged from outside. An answer names the leader and its epoch as
 * the answering controller knows them (a Kafka broker forwards the request to the controller it
 * believes active), and a controller learns a leader only from that leader's own election: two
 * answers naming different leaders for one epoch break SingleLeader, whoever gave them and in
 * whatever order they arrived. That is all these answers judge: they cannot be ordered against each
 * other finely enough for MonotonicEpoch (concurrent polls, forwarding to a stale controller), and
 * they carry no votes or flushed offsets.
 */
import type { NodeEvent } from '../../../history/node-event.js';
import type { NodeEndpoint } from '../system-adapter.js';
import { askLeader } from './describe-quorum-leader.js';

/** One answer: `atNs` is this process's wall clock when it arrived. */
export interface DescribeQuorumAnswer {
  atNs: number;
  /** The node asked. */
  askedNode: number;
  leaderId: number;
  epoch: number;
}

/** The rules these events judge (see the module comment). */
export const DESCRIBE_QUORUM_RULES: readonly string[] = ['SingleLeader'];

/**
 * The answers as events: a `became-leader` of the named leader at the first answer naming it for
 * an epoch, one stream per leader, each in time order.
 */
export function describeQuorumEvents(answers: readonly DescribeQuorumAnswer[]): NodeEvent[][] {
  const seen = new Set<string>();
  const byLeader = new Map<number, NodeEvent[]>();
  for (const answer of [...answers].sort((a, b) => a.atNs - b.atNs)) {
    const key = `${answer.leaderId}@${answer.epoch}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const stream = byLeader.get(answer.leaderId) ?? [];
    stream.push({ timeNs: answer.atNs, node: answer.leaderId, kind: 'became-leader', epoch: answer.epoch, leaderId: answer.leaderId });
    byLeader.set(answer.leaderId, stream);
  }
  return [...byLeader.values()];
}

/**
 * Polls every endpoint every `intervalMs` until stopped, one round at a time (a round waits for
 * its slowest answer or `timeoutMs`). Nodes that do not answer or know no leader add nothing.
 */
export class DescribeQuorumPoller {
  readonly answers: DescribeQuorumAnswer[] = [];
  /** Rounds completed, and the requests that got no answer (down, partitioned, timed out). */
  rounds = 0;
  unanswered = 0;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(endpoints: () => readonly NodeEndpoint[], intervalMs: number, timeoutMs: number) {
    this.loop = this.run(endpoints, intervalMs, timeoutMs);
  }

  /** Stops after the round in flight; resolves with every answer. */
  async stop(): Promise<DescribeQuorumAnswer[]> {
    this.stopped = true;
    await this.loop;
    return this.answers;
  }

  private async run(endpoints: () => readonly NodeEndpoint[], intervalMs: number, timeoutMs: number): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      await Promise.all(endpoints().map(async (endpoint) => {
        const report = await askLeader(endpoint, timeoutMs).catch(() => undefined);
        if (report === undefined) this.unanswered += 1;
        if (report === null || report === undefined) return;
        this.answers.push({ atNs: Date.now() * 1_000_000, askedNode: endpoint.nodeId, leaderId: report.leaderId, epoch: report.epoch });
      }));
      this.rounds += 1;
      const waitMs = intervalMs - (Date.now() - started);
      if (waitMs > 0 && !this.stopped) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
