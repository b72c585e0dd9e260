/**
 * A minimal Kafka client connection: encode a request of a chosen API version, send it, and
 * resolve with the decoded response matched by correlation id. For our own tools (`quorumd
 * describe` asks DescribeQuorum and DescribeCluster, which kafkajs does not know) and for tests
 * that need exact control over versions and bytes. Not a general client: no retries, no
 * metadata, no version negotiation beyond what the caller asks for.
 */
import { connect, type Socket } from 'node:net';
import type { ApiDefinition } from '../apis/api-codec.js';
import { decodeResponsePayload, encodeRequestFrame } from '../apis/message-frames.js';
import { KafkaProtocolError } from '../protocol/protocol-error.js';
import { FrameReader, REQUEST_MAX_BYTES_DEFAULT } from '../server/frame-reader.js';

export interface KafkaClientConnectionOptions {
  host: string;
  port: number;
  clientId?: string | null;
  /** Largest response frame accepted. */
  responseMaxBytes?: number;
  /** Connect timeout; requests themselves wait until answered or the connection ends. */
  connectTimeoutMs?: number;
}

interface PendingRequest {
  decode: (payload: Buffer) => void;
  fail: (error: Error) => void;
}

const CONNECT_TIMEOUT_MS_DEFAULT = 10_000;

export class KafkaClientConnection implements AsyncDisposable {
  private readonly frames: FrameReader;
  /** Kafka answers in request order, so the oldest pending request owns the next response. */
  private readonly pending: PendingRequest[] = [];
  private nextCorrelationId = 1;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string | null,
    responseMaxBytes: number,
  ) {
    this.frames = new FrameReader(responseMaxBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.failAll(error));
    socket.on('close', () => this.failAll(new Error('connection closed by the server')));
  }

  static connect(options: KafkaClientConnectionOptions): Promise<KafkaClientConnection> {
    const timeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port, noDelay: true });
      socket.setTimeout(timeoutMs, () => {
        socket.destroy(new Error(`connecting to ${options.host}:${options.port} took over ${timeoutMs} ms`));
      });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        const clientId = options.clientId === undefined ? 'quorumd-tools' : options.clientId;
        resolve(new KafkaClientConnection(socket, clientId, options.responseMaxBytes ?? REQUEST_MAX_BYTES_DEFAULT));
      });
    });
  }

  /** Sends one request and resolves with its decoded response. */
  request<Request, Response>(api: ApiDefinition<Request, Response>, version: number, request: Request): Promise<Response> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelationId++;
    const frame = encodeRequestFrame(api, version, { correlationId, clientId: this.clientId }, request);
    return new Promise<Response>((resolve, reject) => {
      this.pending.push({
        decode: (payload) => {
          try {
            const decoded = decodeResponsePayload(api, version, payload);
            if (decoded.correlationId !== correlationId) {
              throw new KafkaProtocolError('MALFORMED_MESSAGE', `expected correlation id ${correlationId}`, {
                cause: new Error(`the server answered correlation id ${decoded.correlationId}`),
              });
            }
            resolve(decoded.response);
          } catch (error) {
            // Reject this request, then let onData end the connection: its stream is unreliable now.
            reject(error);
            throw error;
          }
        },
        fail: reject,
      });
      this.socket.write(frame);
    });
  }

  /** Writes raw bytes (tests use this to send malformed frames). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private onData(chunk: Buffer): void {
    try {
      for (const payload of this.frames.push(chunk)) {
        const next = this.pending.shift();
        if (next === undefined) throw new Error('a response arrived with no request pending');
        next.decode(payload);
      }
    } catch (error) {
      this.socket.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const request of this.pending.splice(0)) request.fail(error);
  }
}
