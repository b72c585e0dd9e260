/**
 * Fuzzing a running KafkaServer: random bytes and mutated valid frames (bits flipped, cut short,
 * junk appended, size prefixes and API keys and versions rewritten, frames glued together),
 * many connections at once. Whatever arrives, the process must not crash, every connection must
 * end, and a fresh connection must still get well-formed ApiVersions and Metadata answers.
 * The run is seeded; a failure prints the seed to reproduce it (KAFKA_TEST_SEED).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiVersionsApi, apiVersionsTable, describeClusterApi, describeQuorumApi, metadataApi, type AnyApiDefinition } from '../../../src/kafka/apis/index.js';
import { encodeRequestFrame } from '../../../src/kafka/apis/message-frames.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { KafkaServer } from '../../../src/kafka/server/kafka-server.js';
import { goldenCases } from '../apis/golden-cases.js';
import { reproduce, seededRandom, testSeed } from '../seed.js';
import { InMemoryTopicsHandler } from './in-memory-topics-handler.js';
import { eventually } from './raw-client.js';
import { RecordingLogger } from './recording-logger.js';

const CASES = 600;
const CONCURRENT_CONNECTIONS = 16;
const REQUEST_MAX_BYTES = 64 * 1024;

type Random = () => number;
const int = (random: Random, below: number): number => Math.floor(random() * below);

/** Valid frames of every served API version: the seeds that mutations start from. */
const validFrames: Buffer[] = [
  ...goldenCases.map((golden, i) =>
    encodeRequestFrame(golden.api, golden.version, { correlationId: i, clientId: 'fuzz' }, golden.expectedRequest),
  ),
  encodeRequestFrame(describeClusterApi, 0, { correlationId: 1, clientId: null }, { includeClusterAuthorizedOperations: true }),
  ...[0, 1].map((version) =>
    encodeRequestFrame(describeQuorumApi as AnyApiDefinition, version, { correlationId: 2, clientId: 'fuzz' }, {
      topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
    }),
  ),
];

const mutations: ((random: Random, frame: Buffer) => Buffer)[] = [
  // Flip a few random bits anywhere, size prefix included.
  (random, frame) => {
    const copy = Buffer.from(frame);
    for (let i = 0, flips = 1 + int(random, 6); i < flips; i++) {
      const at = int(random, copy.length);
      copy[at] = (copy[at] as number) ^ (1 << int(random, 8));
    }
    return copy;
  },
  // Cut the frame short, keeping its size prefix (the server waits, then sees the peer end).
  (random, frame) => frame.subarray(0, int(random, frame.length)),
  // Rewrite the size prefix so the body is cut or runs into the next frame.
  (random, frame) => {
    const copy = Buffer.from(frame);
    copy.writeInt32BE(Math.max(0, copy.length - 4 + int(random, 21) - 10), 0);
    return copy;
  },
  // A size prefix that is negative, zero, or beyond the limit.
  (random, frame) => {
    const copy = Buffer.from(frame);
    copy.writeInt32BE([-1, 0, REQUEST_MAX_BYTES + 1, 0x7fffffff, -0x80000000][int(random, 5)] as number, 0);
    return copy;
  },
  // Another API key or version in a header that keeps its body.
  (random, frame) => {
    const copy = Buffer.from(frame);
    if (copy.length >= 8) {
      if (random() < 0.5) copy.writeInt16BE(int(random, 80) - 5, 4);
      else copy.writeInt16BE(int(random, 12) - 2, 6);
    }
    return copy;
  },
  // Overwrite a random stretch of the body with random bytes, fixing the size prefix to match.
  (random, frame) => {
    const copy = Buffer.from(frame);
    const start = 8 + int(random, Math.max(1, copy.length - 8));
    for (let i = start; i < Math.min(copy.length, start + 1 + int(random, 8)); i++) copy[i] = int(random, 256);
    return copy;
  },
  // Junk appended after a valid frame, inside its size.
  (random, frame) => {
    const junk = Buffer.from(Array.from({ length: 1 + int(random, 30) }, () => int(random, 256)));
    const glued = Buffer.concat([frame, junk]);
    glued.writeInt32BE(glued.length - 4, 0);
    return glued;
  },
];

function fuzzBytes(random: Random): Buffer {
  const roll = random();
  if (roll < 0.15) {
    return Buffer.from(Array.from({ length: int(random, 200) }, () => int(random, 256)));
  }
  const pick = (): Buffer => validFrames[int(random, validFrames.length)] as Buffer;
  const mutate = (frame: Buffer): Buffer => (mutations[int(random, mutations.length)] as (r: Random, f: Buffer) => Buffer)(random, frame);
  if (roll < 0.85) return mutate(pick());
  // Several frames in one write: valid ones and mutated ones, so a bad frame follows good ones.
  return Buffer.concat(Array.from({ length: 2 + int(random, 4) }, () => (random() < 0.5 ? pick() : mutate(pick()))));
}

/** Writes the bytes in a few chunks, half-closes, and resolves when the connection has ended. */
function throwAtServer(port: number, bytes: Buffer, random: Random): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      let offset = 0;
      while (offset < bytes.length) {
        const chunkBytes = 1 + int(random, bytes.length);
        socket.write(bytes.subarray(offset, offset + chunkBytes));
        offset += chunkBytes;
      }
      socket.end();
    });
  });
}

describe('fuzzing a running KafkaServer', () => {
  const seed = testSeed();
  let server: KafkaServer;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    let port = 0;
    const handler = new InMemoryTopicsHandler({ nodeId: 7, host: '127.0.0.1', port: () => port });
    server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, logger, requestMaxBytes: REQUEST_MAX_BYTES });
    port = server.port;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('survives random and mutated frames and still answers a fresh connection', async () => {
    const random = seededRandom(seed);
    const inputs = Array.from({ length: CASES }, () => fuzzBytes(random));
    for (let batch = 0; batch < inputs.length; batch += CONCURRENT_CONNECTIONS) {
      await Promise.all(inputs.slice(batch, batch + CONCURRENT_CONNECTIONS).map((bytes) => throwAtServer(server.port, bytes, random)));
    }
    await eventually(() => server.connectionCount === 0, `every fuzzed connection ended (${reproduce(seed)})`);
    expect(server.connectionsAccepted, reproduce(seed)).toBe(CASES);
    // Bad input was seen and logged with its reason, not silently ignored.
    expect(logger.entries.filter((entry) => entry.level === 'warn').length, reproduce(seed)).toBeGreaterThan(CASES / 4);

    await using fresh = await KafkaClientConnection.connect({ host: '127.0.0.1', port: server.port, clientId: 'after-fuzz' });
    const versions = await fresh.request(apiVersionsApi, 2, {});
    expect(versions, reproduce(seed)).toEqual({ errorCode: ErrorCode.NONE, apiKeys: apiVersionsTable(), throttleTimeMs: 0 });
    const metadata = await fresh.request(metadataApi, 6, { topics: null, allowAutoTopicCreation: false });
    expect(metadata.brokers, reproduce(seed)).toEqual([{ nodeId: 7, host: '127.0.0.1', port: server.port, rack: null }]);
    expect(metadata.controllerId, reproduce(seed)).toBe(7);
  });
});
