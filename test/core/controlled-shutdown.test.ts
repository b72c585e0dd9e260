/**
 * Controlled shutdown, as a KRaft broker does on SIGTERM: the broker asks to be fenced, the
 * controller moves the leadership of its partitions to other ISR members, takes it out of ISRs and
 * fences it; the broker knows once it applied that, and heartbeats no more (a heartbeat would
 * unfence it). A fencing that changes more records than fit one batch is split into several.
 */
import { describe, expect, it } from 'vitest';
import { NON_ATOMIC_BATCH_RECORDS_MAX } from '../../src/core/active-controller.js';
import type { MetadataImage } from '../../src/core/metadata/index.js';
import { TinyCluster } from '../support/tiny-cluster.js';

function electedCluster(): { cluster: TinyCluster; leader: number } {
  const cluster = new TinyCluster([1, 2, 3]);
  expect(cluster.run(20_000, () => cluster.leaders().length === 1)).toBe(true);
  // Every broker registered and unfenced.
  cluster.run(cluster.nowMs + 3000);
  return { cluster, leader: cluster.leaders()[0]! };
}

function createTopic(cluster: TinyCluster, via: number, name: string, numPartitions: number): void {
  const requestId = cluster.submit(via, { type: 'createTopic', name, numPartitions, replicationFactor: 3 });
  cluster.run(cluster.nowMs + 10_000, () => cluster.response(requestId) !== undefined);
  const response = cluster.response(requestId);
  expect(response?.outcome === 'ok' && (response.result as { ok: boolean }).ok, JSON.stringify(response)).toBe(true);
}

function partitionsLedBy(image: MetadataImage, brokerId: number): number {
  let led = 0;
  for (const name of image.topicNames()) {
    for (const partition of image.partitions(image.topic(name)!.topicId)) if (partition.leader === brokerId) led++;
  }
  return led;
}

function partitionsWithInIsr(image: MetadataImage, brokerId: number): number {
  let count = 0;
  for (const name of image.topicNames()) {
    for (const partition of image.partitions(image.topic(name)!.topicId)) if (partition.isr.includes(brokerId)) count++;
  }
  return count;
}

describe('controlled shutdown', () => {
  for (const who of ['a follower', 'the active controller'] as const) {
    it(`of ${who}: its partitions get other leaders, it leaves the ISRs and is fenced, and stays fenced`, () => {
      const { cluster, leader } = electedCluster();
      createTopic(cluster, leader, 'orders', 30);
      cluster.run(cluster.nowMs + 1000);
      const broker = who === 'the active controller' ? leader : [1, 2, 3].find((id) => id !== leader)!;
      const node = cluster.nodes.get(broker)!;
      expect(partitionsLedBy(node.committedImage, broker)).toBeGreaterThan(0);
      cluster.act(broker, (n) => n.beginControlledShutdown(cluster.nowMs));
      expect(cluster.run(cluster.nowMs + 10_000, () => node.controlledShutdownDone)).toBe(true);
      // Done means this node applied it: its own image already shows it.
      expect(partitionsLedBy(node.committedImage, broker)).toBe(0);
      expect(node.committedImage.broker(broker)!.fenced).toBe(true);
      // No heartbeat unfences it afterwards, however long the node stays up.
      cluster.run(cluster.nowMs + 10_000);
      for (const id of [1, 2, 3]) {
        const image = cluster.nodes.get(id)!.committedImage;
        expect(image.broker(broker)!.fenced, `node ${id}'s image`).toBe(true);
        expect(partitionsLedBy(image, broker), `node ${id}'s image`).toBe(0);
        expect(partitionsWithInIsr(image, broker), `node ${id}'s image`).toBe(0);
        for (const name of image.topicNames()) {
          for (const partition of image.partitions(image.topic(name)!.topicId)) expect(partition.leader).toBeGreaterThan(0);
        }
      }
    });
  }

  it('a fencing of more records than a batch holds is split into several batches, and done once the last commits', () => {
    const { cluster, leader } = electedCluster();
    for (let t = 0; t < 3; t++) createTopic(cluster, leader, `big-${t}`, 10_000);
    const broker = [1, 2, 3].find((id) => id !== leader)!;
    const endBefore = cluster.nodes.get(leader)!.debugState().logEndOffset;
    cluster.act(broker, (n) => n.beginControlledShutdown(cluster.nowMs));
    expect(cluster.run(cluster.nowMs + 20_000, () => cluster.nodes.get(broker)!.controlledShutdownDone)).toBe(true);
    expect(cluster.nodes.get(broker)!.committedImage.broker(broker)!.fenced).toBe(true);
    expect(partitionsWithInIsr(cluster.nodes.get(broker)!.committedImage, broker)).toBe(0);
    cluster.run(cluster.nowMs + 3000);
    // 30,000 partitions each lose the broker from their ISR: more than one batch's worth.
    const entries = cluster.nodes.get(leader)!.debugState().logEndOffset - endBefore;
    expect(entries).toBeGreaterThanOrEqual(Math.ceil(30_001 / NON_ATOMIC_BATCH_RECORDS_MAX));
    for (const id of [1, 2, 3]) {
      const image = cluster.nodes.get(id)!.committedImage;
      expect(partitionsWithInIsr(image, broker), `node ${id}'s image`).toBe(0);
      expect(image.broker(broker)!.fenced).toBe(true);
    }
  });

  it('a node shutting down never stands for election: with its leader gone it waits for the others to elect one, and follows it', () => {
    const { cluster, leader } = electedCluster();
    const [leaving, other] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    cluster.act(leaving, (n) => n.beginControlledShutdown(cluster.nowMs));
    cluster.run(cluster.nowMs + 1000);
    // The leader dies and the two others cannot reach each other: no election can succeed, and a
    // node standing would show as Prospective (or Candidate) again and again.
    const from = cluster.events.length;
    cluster.crash(leader);
    cluster.cut.add(`${leaving}->${other}`).add(`${other}->${leaving}`);
    cluster.run(cluster.nowMs + 10_000);
    const stood = cluster.events.slice(from).filter((e) => e.node === leaving && e.kind === 'epoch-changed' &&
      ['prospective', 'candidate', 'leader'].includes((e as { state: string }).state));
    expect(stood, 'the leaving node stood for election').toEqual([]);
    expect(cluster.events.slice(from).some((e) => e.node === other && e.kind === 'epoch-changed' && (e as { state: string }).state === 'prospective')).toBe(true);
    // Healed, the other one wins with the leaving node's vote, and the leaving node follows it.
    cluster.cut.clear();
    expect(cluster.run(cluster.nowMs + 10_000, () => cluster.leaders().length === 1)).toBe(true);
    expect(cluster.leaders()).toEqual([other]);
    expect(cluster.run(cluster.nowMs + 5000, () => cluster.nodes.get(leaving)!.debugState().leaderId === other)).toBe(true);
  });

  it('a broker that never registered is done at once', () => {
    const cluster = new TinyCluster([1, 2, 3]);
    const node = cluster.nodes.get(1)!;
    cluster.act(1, (n) => n.beginControlledShutdown(cluster.nowMs));
    expect(node.controlledShutdownDone).toBe(true);
  });
});
