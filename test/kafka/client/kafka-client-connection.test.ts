/**
 * The tools' client connection against servers that misbehave: a wrong correlation id or bytes
 * that do not decode reject the request with a coded error and end the connection; a server
 * that closes rejects every pending request.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiVersionsApi, apiVersionsTable } from '../../../src/kafka/apis/index.js';
import { encodeResponseFrame } from '../../../src/kafka/apis/message-frames.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';
import { KafkaProtocolError } from '../../../src/kafka/protocol/protocol-error.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server that answers every connection's first bytes with `reply` (or closes, if null). */
async function fakeServer(reply: Buffer | null): Promise<number> {
  const server = createServer((socket) => {
    socket.once('data', () => {
      if (reply === null) socket.destroy();
      else socket.write(reply);
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function requestError(reply: Buffer | null): Promise<unknown> {
  const port = await fakeServer(reply);
  const client = await KafkaClientConnection.connect({ host: '127.0.0.1', port });
  try {
    await client.request(apiVersionsApi, 2, {});
  } catch (error) {
    return error;
  } finally {
    await client.close();
  }
  throw new Error('expected the request to fail');
}

describe('KafkaClientConnection', () => {
  it('rejects an answer with another correlation id', async () => {
    const error = await requestError(encodeResponseFrame(apiVersionsApi, 2, 999, { errorCode: 0, apiKeys: apiVersionsTable(), throttleTimeMs: 0 }));
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect((error as Error).message).toMatch(/expected correlation id 1/);
  });

  it('rejects an answer that does not decode', async () => {
    const error = await requestError(Buffer.from('0000000600000001ffff', 'hex'));
    expect((error as KafkaProtocolError).code).toBe('MALFORMED_MESSAGE');
  });

  it('rejects pending requests when the server closes', async () => {
    expect(String(await requestError(null))).toMatch(/closed/);
  });

  it('fails to connect with the address in the error', async () => {
    const port = await fakeServer(null);
    await new Promise((resolve) => (servers.pop() as Server).close(resolve));
    await expect(KafkaClientConnection.connect({ host: '127.0.0.1', port })).rejects.toThrow(/ECONNREFUSED/);
  });
});
