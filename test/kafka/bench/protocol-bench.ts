/**
 * Figures for the Kafka front, printed, never asserted:
 *   node --import tsx test/kafka/bench/protocol-bench.ts
 * - codec throughput: a Metadata v6 response of 100 topics x 10 partitions x 3 replicas,
 *   encoded and decoded; a CreateTopics v3 request decoded;
 * - frame reader: one 100 MiB frame arriving in 64 KiB chunks;
 * - server round trips over loopback: sequential latency, and pipelined throughput.
 */
import { performance } from 'node:perf_hooks';
import { createTopicsApi, metadataApi } from '../../../src/kafka/apis/index.js';
import type { MetadataResponse } from '../../../src/kafka/apis/metadata/index.js';
import { decodeRequestPayload, decodeResponsePayload, encodeRequestFrame, encodeResponseFrame } from '../../../src/kafka/apis/message-frames.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';
import { FrameReader } from '../../../src/kafka/server/frame-reader.js';
import { KafkaServer } from '../../../src/kafka/server/kafka-server.js';
import { InMemoryTopicsHandler } from '../server/in-memory-topics-handler.js';

function timed(label: string, iterations: number, bytesPerIteration: number, run: () => void): void {
  for (let i = 0; i < Math.min(50, iterations); i++) run(); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run();
  const elapsedMs = performance.now() - start;
  const perSecond = (iterations / elapsedMs) * 1000;
  const mibPerSecond = (bytesPerIteration * perSecond) / 2 ** 20;
  console.log(`${label.padEnd(52)} ${perSecond.toFixed(0).padStart(8)} ops/s  ${mibPerSecond.toFixed(1).padStart(7)} MiB/s`);
}

function bigMetadata(): MetadataResponse {
  return {
    throttleTimeMs: 0,
    brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: `node-${nodeId}.quorum`, port: 9092, rack: null })),
    clusterId: 'bench',
    controllerId: 1,
    topics: Array.from({ length: 100 }, (_, t) => ({
      errorCode: 0,
      name: `topic-${t}`,
      isInternal: false,
      partitions: Array.from({ length: 10 }, (_, p) => ({
        errorCode: 0,
        partitionIndex: p,
        leaderId: 1 + (p % 3),
        replicaNodes: [1, 2, 3],
        isrNodes: [1, 2, 3],
        offlineReplicas: [],
      })),
    })),
  };
}

function codecFigures(): void {
  const metadata = bigMetadata();
  const frame = encodeResponseFrame(metadataApi, 6, 1, metadata);
  console.log(`Metadata v6 response: ${frame.length} bytes (100 topics x 10 partitions x 3 replicas)`);
  timed('encode Metadata v6 response', 2000, frame.length, () => void encodeResponseFrame(metadataApi, 6, 1, metadata));
  timed('decode Metadata v6 response', 2000, frame.length, () => void decodeResponsePayload(metadataApi, 6, frame.subarray(4)));

  const createTopics = {
    topics: Array.from({ length: 20 }, (_, i) => ({
      name: `new-topic-${i}`,
      numPartitions: 6,
      replicationFactor: 3,
      assignments: [],
      configs: [{ name: 'retention.ms', value: '3600000' }],
    })),
    timeoutMs: 5000,
    validateOnly: false,
  };
  const request = encodeRequestFrame(createTopicsApi, 3, { correlationId: 1, clientId: 'bench' }, createTopics);
  timed('decode CreateTopics v3 request (20 topics)', 20000, request.length, () => void decodeRequestPayload(createTopicsApi, 3, request.subarray(4)));
}

function frameReaderFigures(): void {
  const frameBytes = 100 * 2 ** 20;
  const chunkBytes = 64 * 1024;
  const chunk = Buffer.alloc(chunkBytes, 1);
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(frameBytes);
  const reader = new FrameReader(frameBytes);
  const start = performance.now();
  reader.push(prefix);
  let frames = 0;
  for (let sent = 0; sent < frameBytes; sent += chunkBytes) frames += reader.push(chunk).length;
  const elapsedMs = performance.now() - start;
  console.log(`frame reader: one 100 MiB frame in 64 KiB chunks: ${elapsedMs.toFixed(0)} ms (${frames} frame, ${((100 / elapsedMs) * 1000).toFixed(0)} MiB/s)`);
}

async function serverFigures(): Promise<void> {
  let port = 0;
  const handler = new InMemoryTopicsHandler({ nodeId: 1, host: '127.0.0.1', port: () => port });
  handler.topics.set('orders', { partitionCount: 3, configs: new Map() });
  await using server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler });
  port = server.port;
  await using client = await KafkaClientConnection.connect({ host: '127.0.0.1', port });
  const request = { topics: ['orders'], allowAutoTopicCreation: false };

  const latenciesMs: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const start = performance.now();
    await client.request(metadataApi, 6, request);
    latenciesMs.push(performance.now() - start);
  }
  latenciesMs.sort((a, b) => a - b);
  const at = (q: number) => (latenciesMs[Math.floor(q * (latenciesMs.length - 1))] as number).toFixed(3);
  console.log(`loopback Metadata v6 round trip, one at a time: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);

  const total = 50_000;
  const inFlight = 100;
  const start = performance.now();
  let sent = 0;
  const lanes = Array.from({ length: inFlight }, async () => {
    while (sent < total) {
      sent++;
      await client.request(metadataApi, 6, request);
    }
  });
  await Promise.all(lanes);
  const elapsedMs = performance.now() - start;
  console.log(`loopback Metadata v6, ${inFlight} in flight on one connection: ${((total / elapsedMs) * 1000).toFixed(0)} requests/s`);
}

codecFigures();
frameReaderFigures();
await serverFigures();
