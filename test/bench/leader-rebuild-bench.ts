/**
 * issue 12's leader that resigned after each election, reproduced in one process: two voters of
 * three (the third, the former leader, is gone) restart from a snapshot of N partitions with the
 * former leader's fencing of broker 1 in their logs, uncommitted: a change to every partition.
 * They elect one of them, which must rebuild its latest image from that tail. The driver runs the
 * two cores on the wall clock as the real host does: an input at a time, a node's due timer
 * before the messages that reached it since (the host's timers phase comes before its poll
 * phase), messages delivered one round after they were sent. Figures: the longest single input
 * (the electing one, before the rebuild was sliced), how often a leader resigned by check-quorum,
 * and the time from the first election until the leader committed its epoch.
 * QUORUMD_BENCH_REBUILD_PARTITIONS (default 1,000,000) and QUORUMD_BENCH_REBUILD_FETCH_TIMEOUT_MS
 * (default 2000, the default fetch timeout: check-quorum allows 1.5 of them) set the size and the
 * window; a smaller window shows on a quiet machine what a loaded one does with the default.
 */
import { loadavg } from 'node:os';
import { ActiveController } from '../../src/core/active-controller.js';
import type { LogEntry, PeerEnvelope } from '../../src/core/host-interface.js';
import { recordRunOf, type MetadataBatch } from '../../src/core/metadata-log.js';
import { MetadataImage, MetadataSnapshot } from '../../src/core/metadata/index.js';
import { QuorumNode } from '../../src/core/quorum-node.js';
import { SeededRandom } from '../../src/sim/random.js';
import type { ServerFigure } from './server-figures.js';

const PARTITIONS_PER_TOPIC = 10_000;
const SNAPSHOT_END = 10;
const RUN_MS = 12_000;

export async function leaderRebuildFigures(): Promise<ServerFigure[]> {
  const partitions = Number(process.env.QUORUMD_BENCH_REBUILD_PARTITIONS ?? 1_000_000);
  const fetchTimeoutMs = Number(process.env.QUORUMD_BENCH_REBUILD_FETCH_TIMEOUT_MS ?? 2000);
  const image = MetadataImage.empty();
  for (const brokerId of [1, 2, 3]) {
    image.apply({ type: 'RegisterBroker', brokerId, incarnationId: `i${brokerId}`, brokerEpoch: brokerId, endpoints: [], rack: null, fenced: false });
  }
  for (let t = 0; t * PARTITIONS_PER_TOPIC < partitions; t++) {
    const topicId = (t + 1).toString(16).padStart(32, '0');
    image.apply({ type: 'Topic', name: `big-${t}`, topicId });
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      const replicas = [0, 1, 2].map((i) => 1 + ((p + i) % 3));
      image.apply({ type: 'Partition', topicId, partitionId: p, replicas, isr: replicas, leader: replicas[0]!, leaderEpoch: 0, partitionEpoch: 0 });
    }
  }
  // The former leader's fencing of broker 1, as its active controller wrote it.
  const tail: MetadataBatch[] = [];
  const former = new ActiveController(image.clone(), [], 1, 0, 9000, {}, 'former');
  const appender = {
    nextOffset: () => SNAPSHOT_END + tail.length, append: (batch: MetadataBatch) => ({ offset: SNAPSHOT_END + tail.push(batch) - 1, epoch: 1 }),
    // The former leader's own applying is no part of this bench: it never waits for it.
    appliedOffset: () => SNAPSHOT_END + tail.length,
  };
  former.plan({ type: 'fenceBroker', brokerId: 1 }, { node: 1, incarnationId: 'x', requestId: 1, internal: true }, appender, 0);
  for (let turn = 1; former.hasQueued; turn++) former.appendQueued(appender, turn);
  const tailRecords = tail.reduce((sum, batch) => sum + batch.length, 0);
  // A node that wrote or read these batches has their bytes (the committed events' digests hash them).
  for (const batch of tail) recordRunOf(batch);
  const snapshot = { endOffset: SNAPSHOT_END, lastEpoch: 1, state: MetadataSnapshot.of(image) };
  const log: LogEntry<MetadataBatch>[] = tail.map((record, i) => ({ offset: SNAPSHOT_END + i, epoch: 1, record }));
  const startMs = performance.now();
  const nodes = new Map([2, 3].map((nodeId) => [nodeId, new QuorumNode({
    config: { nodeId, voters: [1, 2, 3], clusterId: 'rebuild-bench', fetchTimeoutMs },
    recovered: { quorumState: { epoch: 1, votedFor: null, leaderId: 1 }, snapshot, log: [...log] },
    random: SeededRandom.fromSeed(nodeId), nowMs: startMs,
  })]));
  let inflight: PeerEnvelope[] = [];
  let next: PeerEnvelope[] = [];
  let longestInputMs = 0;
  let longestInputCpuMs = 0;
  let longestInputWhat = '';
  let elections = 0;
  let resignations = 0;
  let firstElectionMs = NaN;
  let committedMs = NaN;
  const wasLeader = new Map<number, boolean>();
  const run = (node: QuorumNode, what: string, input: (nowMs: number) => void): void => {
    const cpu = process.cpuUsage();
    const before = node.debugState();
    const began = performance.now();
    input(began);
    const tookMs = performance.now() - began;
    if (tookMs > longestInputMs) {
      longestInputMs = tookMs;
      const used = process.cpuUsage(cpu);
      longestInputCpuMs = (used.user + used.system) / 1000;
      const after = node.debugState();
      longestInputWhat = `${what} on a ${before.state} that ended ${after.state}, applying ${after.appliedOffset - before.appliedOffset} log entries`;
    }
    while (node.hasReady()) {
      next.push(...node.ready().messages.filter((envelope) => envelope.to !== 1));
      node.advance();
    }
  };
  while (performance.now() - startMs < RUN_MS) {
    for (const [nodeId, node] of nodes) {
      if (performance.now() >= node.nextWakeMs()) run(node, 'a tick', (nowMs) => node.tick(nowMs));
      for (const envelope of inflight) if (envelope.to === nodeId) run(node, `a ${(envelope.message as { type?: string }).type ?? 'message'}`, (nowMs) => node.receive(envelope, nowMs));
      const state = node.debugState();
      const leads = state.state === 'leader';
      if (leads && wasLeader.get(nodeId) !== true) {
        elections++;
        if (Number.isNaN(firstElectionMs)) firstElectionMs = performance.now();
      }
      if (!leads && wasLeader.get(nodeId) === true) resignations++;
      wasLeader.set(nodeId, leads);
      if (leads && Number.isNaN(committedMs) && state.highWatermark > SNAPSHOT_END + tail.length) committedMs = performance.now();
    }
    inflight = next.filter((envelope) => nodes.has(envelope.to));
    next = [];
    if (inflight.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const note = `${partitions.toLocaleString('en')} partitions, a fencing tail of ${tailRecords.toLocaleString('en')} records; fetch timeout ${fetchTimeoutMs} ms ` +
    `(check-quorum ${1.5 * fetchTimeoutMs} ms); load average ${loadavg()[0]!.toFixed(1)}`;
  return [
    { name: 'new leader: longest single input', value: longestInputMs, unit: 'ms', note: `${longestInputWhat}; ${longestInputCpuMs.toFixed(0)} ms of it on a CPU; ${note}` },
    { name: 'new leader: elections and check-quorum resignations', value: resignations, unit: 'resignations', targetMax: 0,
      note: `${elections} election(s) in ${RUN_MS / 1000} s` },
    { name: 'new leader: first election until its epoch committed', value: committedMs - firstElectionMs, unit: 'ms',
      note: Number.isNaN(committedMs) ? `never within ${RUN_MS / 1000} s` : 'the tail committed with it' },
  ];
}
