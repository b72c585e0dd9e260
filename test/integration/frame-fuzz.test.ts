/**
 * Random and mutated frames at a running quorumd's Kafka port (one combined node): whatever it
 * is sent, the process stays up and a fresh connection still gets a well-formed answer. Seeded:
 * set QUORUMD_FUZZ_SEED to reproduce; the seed is in every failure message.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiVersionsApi, createTopicsApi, deleteTopicsApi, describeConfigsApi, metadataApi } from '../../src/kafka/apis/index.js';
import { encodeRequestFrame } from '../../src/kafka/apis/message-frames.js';
import { KafkaClientConnection } from '../../src/kafka/client/kafka-client-connection.js';
import { seededRandom } from '../kafka/seed.js';
import { LocalCluster } from './support/local-cluster.js';

const SEED = Number(process.env.QUORUMD_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FRAMES = 400;
const reproduce = `reproduce with QUORUMD_FUZZ_SEED=${SEED}`;

let cluster: LocalCluster;
let port: number;

beforeAll(async () => {
  cluster = await LocalCluster.start({ controllers: 1 });
  port = cluster.node(1).brokerPort!;
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** Well-formed frames to mutate: every write and read a client sends. */
function validFrames(): Buffer[] {
  const header = { correlationId: 7, clientId: 'fuzz' };
  return [
    encodeRequestFrame(apiVersionsApi, 0, header, {}),
    encodeRequestFrame(metadataApi, 6, header, { topics: ['fuzz-topic'], allowAutoTopicCreation: false }),
    encodeRequestFrame(createTopicsApi, 3, header, {
      topics: [{ name: 'fuzz-created', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] }],
      timeoutMs: 1000, validateOnly: false,
    }),
    encodeRequestFrame(deleteTopicsApi, 1, header, { topicNames: ['fuzz-created'], timeoutMs: 1000 }),
    encodeRequestFrame(describeConfigsApi, 2, header, { resources: [{ resourceType: 2, resourceName: 'fuzz-created', configurationKeys: null }], includeSynonyms: true }),
  ];
}

function fuzzFrame(random: () => number, valid: Buffer[]): Buffer {
  const pick = random();
  if (pick < 0.3) {
    // Pure noise behind a plausible size prefix.
    const body = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
    const frame = Buffer.alloc(4 + body.length);
    frame.writeInt32BE(body.length, 0);
    body.copy(frame, 4);
    return frame;
  }
  const base = Buffer.from(valid[Math.floor(random() * valid.length)]!);
  if (pick < 0.8) {
    // A few bytes flipped past the size prefix: bad api keys, versions, lengths, strings.
    const flips = 1 + Math.floor(random() * 6);
    for (let i = 0; i < flips; i++) base[4 + Math.floor(random() * (base.length - 4))] = Math.floor(random() * 256);
    return base;
  }
  if (pick < 0.9) return base.subarray(0, Math.floor(random() * base.length)); // truncated
  base.writeInt32BE(random() < 0.5 ? -1 : 0x7fffffff, 0); // an absurd size
  return base;
}

/** Sends one frame on its own connection and waits briefly for the server to answer or close. */
function send(frame: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (): void => { socket.destroy(); resolve(); };
    const timer = setTimeout(done, 150);
    socket.on('error', () => { clearTimeout(timer); done(); });
    socket.on('close', () => { clearTimeout(timer); resolve(); });
    socket.on('connect', () => socket.write(frame));
  });
}

describe(`quorumd under fuzzed frames (seed ${SEED})`, () => {
  it('stays up and answers a well-formed request afterwards', async () => {
    const random = seededRandom(SEED);
    const valid = validFrames();
    for (let i = 0; i < FRAMES; i += 8) {
      await Promise.all(Array.from({ length: 8 }, () => send(fuzzFrame(random, valid))));
    }
    expect(cluster.node(1).process, `quorumd exited under fuzzing; ${reproduce}\n${cluster.outputs()}`).not.toBeNull();
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 2000 });
    try {
      const versions = await connection.request(apiVersionsApi, 2, {});
      expect(versions.errorCode, reproduce).toBe(0);
      const metadata = await connection.request(metadataApi, 6, { topics: null, allowAutoTopicCreation: false });
      expect(metadata.brokers.map((b) => b.nodeId), reproduce).toEqual([1]);
    } finally {
      await connection.close();
    }
  });
});
