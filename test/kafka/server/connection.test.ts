/**
 * The connection handler over real sockets: response order under out-of-order handlers, the
 * in-flight bound, and each failure rule (answer with a Kafka error, or log and close only that
 * connection while the server keeps serving the others).
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiVersionsApi, apiVersionsTable, createTopicsApi, deleteTopicsApi, metadataApi } from '../../../src/kafka/apis/index.js';
import type { MetadataRequest, MetadataResponse } from '../../../src/kafka/apis/metadata/index.js';
import { encodeRequestFrame } from '../../../src/kafka/apis/message-frames.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { Reader } from '../../../src/kafka/protocol/reader.js';
import { FrameReader } from '../../../src/kafka/server/frame-reader.js';
import { KafkaServer } from '../../../src/kafka/server/kafka-server.js';
import type { RequestContext } from '../../../src/kafka/server/request-handler.js';
import { InMemoryTopicsHandler } from './in-memory-topics-handler.js';
import { eventually, rawExchange } from './raw-client.js';
import { RecordingLogger } from './recording-logger.js';

/** Metadata answers wait until the test releases them, in whatever order it chooses. */
class GatedHandler extends InMemoryTopicsHandler {
  readonly gates: { topics: string[] | null; release: () => void }[] = [];

  override async metadata(context: RequestContext, request: MetadataRequest): Promise<MetadataResponse> {
    await new Promise<void>((release) => this.gates.push({ topics: request.topics, release }));
    return super.metadata(context, request);
  }
}

const servers: KafkaServer[] = [];
const clients: KafkaClientConnection[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(handler: InMemoryTopicsHandler, options: { requestMaxBytes?: number; maxInFlightRequests?: number } = {}) {
  const logger = new RecordingLogger();
  const server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, logger, ...options });
  servers.push(server);
  return { server, logger };
}

async function client(server: KafkaServer): Promise<KafkaClientConnection> {
  const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port: server.port, clientId: 'test' });
  clients.push(connection);
  return connection;
}

function handlerFor(getPort: () => number): GatedHandler {
  return new GatedHandler({ nodeId: 1, host: '127.0.0.1', port: getPort });
}

describe('response order', () => {
  it('answers in request order when handlers finish in reverse order', async () => {
    let port = 0;
    const handler = handlerFor(() => port);
    const { server } = await start(handler);
    port = server.port;
    const connection = await client(server);
    const names = ['t0', 't1', 't2', 't3', 't4'];
    const answers = names.map((name) => connection.request(metadataApi, 6, { topics: [name], allowAutoTopicCreation: false }));
    await eventually(() => handler.gates.length === names.length, 'all requests reach the handler');
    for (const gate of [...handler.gates].reverse()) gate.release();
    // The client matches each answer to the oldest pending request and checks its correlation id,
    // so a reordered answer would fail here.
    const responses = await Promise.all(answers);
    expect(responses.map((response) => response.topics[0]?.name)).toEqual(names);
  });

  it('starts at most maxInFlightRequests handlers at once, and still answers every request', async () => {
    let port = 0;
    const handler = handlerFor(() => port);
    const { server } = await start(handler, { maxInFlightRequests: 2 });
    port = server.port;
    const connection = await client(server);
    const answers = [0, 1, 2, 3, 4].map((i) => connection.request(metadataApi, 1, { topics: [`t${i}`], allowAutoTopicCreation: true }));
    await eventually(() => handler.gates.length === 2, 'two requests reach the handler');
    // Let other socket events run; no third request may start while two are unanswered.
    await new Promise((resolve) => setImmediate(resolve));
    expect(handler.gates.length).toBe(2);
    for (let released = 0; released < 5; released++) {
      await eventually(() => handler.gates.length > released, `request ${released} reaches the handler`);
      handler.gates[released]?.release();
    }
    const responses = await Promise.all(answers);
    expect(responses.map((response) => response.topics[0]?.name)).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });
});

describe('failures answered with a Kafka error', () => {
  it('answers ApiVersions in an unsupported version with UNSUPPORTED_VERSION, in v0, with header v0', async () => {
    const { server } = await start(handlerFor(() => 0));
    // ApiVersions v3 is flexible (header v2 and a compact body) and beyond what we serve.
    const request = Buffer.from('00120003000000290004746573740006717569636b0431302e3000', 'hex');
    const frame = Buffer.concat([Buffer.from([0, 0, 0, request.length]), request]);
    const { frames, closedByServer } = await rawExchange(server.port, frame, 1);
    expect(closedByServer).toBe(false);
    const reader = new Reader(frames[0] as Buffer);
    expect(reader.int32()).toBe(0x29);
    expect(apiVersionsApi.versions[0]?.decodeResponse(reader)).toEqual({
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      apiKeys: apiVersionsTable(),
      throttleTimeMs: 0,
    });
    reader.expectEnd('ApiVersions v0 response');
  });

  it('answers UNKNOWN_SERVER_ERROR for every topic when the handler throws, and logs it', async () => {
    const handler = handlerFor(() => 0);
    handler.createTopics = async () => {
      throw new Error('controller channel broke');
    };
    const { server, logger } = await start(handler);
    const connection = await client(server);
    const response = await connection.request(createTopicsApi, 3, {
      topics: [
        { name: 'a', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        { name: 'b', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(response.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['a', ErrorCode.UNKNOWN_SERVER_ERROR],
      ['b', ErrorCode.UNKNOWN_SERVER_ERROR],
    ]);
    expect(logger.entries.some((e) => e.level === 'error' && String(e.fields.error).includes('controller channel broke'))).toBe(true);
    // The connection still serves.
    expect((await connection.request(apiVersionsApi, 2, {})).errorCode).toBe(ErrorCode.NONE);
  });

  it('answers REQUEST_TIMED_OUT when the handler never settles, and keeps answering later requests', async () => {
    const handler = handlerFor(() => 0);
    handler.deleteTopics = () => new Promise(() => undefined);
    const logger = new RecordingLogger();
    const server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, logger, handlerTimeoutMs: 50 });
    servers.push(server);
    const connection = await client(server);
    const stuck = connection.request(deleteTopicsApi, 1, { topicNames: ['a', 'b'], timeoutMs: 1000 });
    const after = connection.request(apiVersionsApi, 2, {});
    expect((await stuck).responses).toEqual([
      { name: 'a', errorCode: ErrorCode.REQUEST_TIMED_OUT },
      { name: 'b', errorCode: ErrorCode.REQUEST_TIMED_OUT },
    ]);
    expect((await after).errorCode).toBe(ErrorCode.NONE);
    expect(logger.entries.filter((e) => e.level === 'error' && e.message.includes('did not answer'))).toHaveLength(1);
  });

  it('answers UNKNOWN_SERVER_ERROR when the handler returns a response that cannot be encoded', async () => {
    const handler = handlerFor(() => 0);
    handler.metadata = async () => ({
      throttleTimeMs: 0,
      brokers: [],
      clusterId: null,
      controllerId: 1,
      topics: [{ errorCode: 0, name: 'x', isInternal: false, partitions: [{ errorCode: 0, partitionIndex: 2 ** 40, leaderId: 1, replicaNodes: [], isrNodes: [], offlineReplicas: [] }] }],
    });
    const { server, logger } = await start(handler);
    const connection = await client(server);
    const response = await connection.request(metadataApi, 6, { topics: ['x'], allowAutoTopicCreation: false });
    expect(response.topics).toEqual([{ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, name: 'x', isInternal: false, partitions: [] }]);
    expect(logger.entries.some((e) => e.level === 'error' && String(e.fields.error).includes('VALUE_OUT_OF_RANGE'))).toBe(true);
  });
});

describe('failures that close only the offending connection', () => {
  async function expectClosedAndLogged(frame: Buffer, code: string, options: { requestMaxBytes?: number } = {}) {
    let port = 0;
    const { server, logger } = await start(new InMemoryTopicsHandler({ nodeId: 1, host: '127.0.0.1', port: () => port }), options);
    port = server.port;
    const bystander = await client(server);
    const { frames, closedByServer } = await rawExchange(server.port, frame, 1);
    expect(frames).toEqual([]);
    expect(closedByServer).toBe(true);
    await eventually(() => logger.withCode(code).length === 1, `a ${code} log entry`);
    expect(logger.withCode(code)[0]?.level).toBe('warn');
    // Another connection, open all along, is unaffected; new connections are served.
    expect((await bystander.request(metadataApi, 6, { topics: null, allowAutoTopicCreation: false })).controllerId).toBe(1);
    expect((await (await client(server)).request(apiVersionsApi, 2, {})).errorCode).toBe(ErrorCode.NONE);
  }

  it('a frame larger than requestMaxBytes', async () => {
    const frame = Buffer.alloc(8);
    frame.writeInt32BE(4097, 0);
    await expectClosedAndLogged(frame, 'BAD_FRAME_SIZE', { requestMaxBytes: 4096 });
  });

  it('a negative frame size', async () => {
    await expectClosedAndLogged(Buffer.from('ffffff00', 'hex'), 'BAD_FRAME_SIZE');
  });

  it('an unknown API key', async () => {
    // Produce (key 0) v3, which quorumd does not serve.
    await expectClosedAndLogged(Buffer.from('0000000a0000000300000001ffff', 'hex'), 'UNKNOWN_API_KEY');
  });

  it('an unsupported version of a served API other than ApiVersions', async () => {
    await expectClosedAndLogged(Buffer.from('0000000c0003000700000001ffffffffffff', 'hex'), 'UNSUPPORTED_VERSION');
  });

  it('a request whose body does not decode', async () => {
    const valid = encodeRequestFrame(metadataApi, 1, { correlationId: 5, clientId: 'c' }, { topics: ['orders'], allowAutoTopicCreation: true });
    const garbled = Buffer.from(valid);
    garbled.writeInt32BE(1000, 4 + 8 + 3); // the topic count, now far beyond the bytes that follow
    await expectClosedAndLogged(garbled, 'MALFORMED_MESSAGE');
  });

  it('a request too short to hold a header', async () => {
    await expectClosedAndLogged(Buffer.from('00000003000300', 'hex'), 'MALFORMED_MESSAGE');
  });
});

describe('KafkaServer', () => {
  it('counts open and accepted connections, and closes them all on close()', async () => {
    const { server } = await start(handlerFor(() => 0));
    const [a, b, c] = [await client(server), await client(server), await client(server)];
    await eventually(() => server.connectionCount === 3, 'three connections open');
    await a.close();
    await eventually(() => server.connectionCount === 2, 'one connection closed');
    expect(server.connectionsAccepted).toBe(3);
    await server.close();
    expect(server.connectionCount).toBe(0);
    await expect(b.request(apiVersionsApi, 2, {})).rejects.toThrow();
    await expect(c.request(apiVersionsApi, 2, {})).rejects.toThrow();
  });

  it('refuses connections beyond maxConnections and counts them', async () => {
    const handler = handlerFor(() => 0);
    const server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, maxConnections: 1 });
    servers.push(server);
    const first = await client(server);
    await eventually(() => server.connectionCount === 1, 'first connection open');
    const second = await client(server);
    await expect(second.request(apiVersionsApi, 2, {})).rejects.toThrow();
    expect(server.connectionsRefused).toBe(1);
    expect((await first.request(apiVersionsApi, 2, {})).errorCode).toBe(ErrorCode.NONE);
  });

  it('fails to listen on a port already taken, with the OS error', async () => {
    const { server } = await start(handlerFor(() => 0));
    await expect(KafkaServer.listen({ host: '127.0.0.1', port: server.port, handler: handlerFor(() => 0) })).rejects.toThrow(/EADDRINUSE/);
  });

  it('rejects bad options with an error naming the option', async () => {
    const handler = handlerFor(() => 0);
    await expect(KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, maxInFlightRequests: 0 })).rejects.toThrow(/maxInFlightRequests/);
    await expect(KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, requestMaxBytes: 2 ** 31 })).rejects.toThrow(/requestMaxBytes/);
    await expect(KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, handlerTimeoutMs: -5 })).rejects.toThrow(/handlerTimeoutMs/);
  });
});

describe('a client that stops reading', () => {
  it('stops starting requests once answers back up, then answers them all in order when it reads again', async () => {
    let port = 0;
    const handler = new InMemoryTopicsHandler({ nodeId: 1, host: '127.0.0.1', port: () => port });
    for (let t = 0; t < 100; t++) handler.topics.set(`topic-${t}`, { partitionCount: 10, configs: new Map() });
    const { server } = await start(handler);
    port = server.port;
    const requestsSent = 1000; // about 45 MB of Metadata answers if all were buffered
    const frames = Array.from({ length: requestsSent }, (_, i) =>
      encodeRequestFrame(metadataApi, 6, { correlationId: i, clientId: 'slow' }, { topics: null, allowAutoTopicCreation: false }),
    );
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write(Buffer.concat(frames));
    // Wait until the handler call count stops growing over many polls: the server has stalled.
    let stableFor = 0;
    let last = -1;
    await eventually(() => {
      const calls = handler.calls.length;
      stableFor = calls === last ? stableFor + 1 : 0;
      last = calls;
      return stableFor >= 20;
    }, 'the server stops starting requests');
    expect(handler.calls.length).toBeLessThan(requestsSent);

    const reader = new FrameReader();
    const correlationIds: number[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) correlationIds.push(frame.readInt32BE(0));
    });
    socket.resume();
    await eventually(() => correlationIds.length === requestsSent, 'every answer arrives', 3000);
    expect(correlationIds).toEqual(frames.map((_, i) => i));
    socket.destroy();
  });
});
