/**
 * One client connection: frames in, requests dispatched, responses out in request order.
 *
 * Kafka answers on each connection in the order requests arrived, even when later requests
 * finish first, and clients (kafkajs included) match answers by correlation id but rely on that
 * order. So each decoded request takes a slot in a queue, handlers run concurrently, and a
 * response is written only when every slot ahead of it has been written. `maxInFlightRequests`
 * bounds the queue: further frames wait undecoded, and while any wait the socket is paused so
 * TCP pushes back on the client, until responses drain. Likewise, when the client stops reading
 * and the socket's write buffer fills, no new request starts until it drains.
 *
 * Failures, following Kafka's broker:
 * - a frame over `requestMaxBytes`, a negative size, a header that cannot be read, an unknown
 *   API key, an unsupported version of any API but ApiVersions, or a body that does not decode:
 *   Kafka has no way to answer these, so the connection is logged and closed;
 * - ApiVersions in a version we do not serve: answered in v0 with UNSUPPORTED_VERSION and our
 *   key list, so the client can retry with a version we know;
 * - a handler that throws, or returns a response that cannot be encoded: logged, and answered
 *   with UNKNOWN_SERVER_ERROR for everything the request named;
 * - a handler that does not settle within `handlerTimeoutMs`: logged, and answered with
 *   REQUEST_TIMED_OUT (its late answer, if any, is dropped).
 * Nothing here throws out of a socket callback: the server keeps serving other connections.
 */
import type { Socket } from 'node:net';
import { codecFor } from '../apis/api-codec.js';
import { apiVersionsApi, apiVersionsTable, ApiKey } from '../apis/index.js';
import { decodeRequestPayload, encodeResponseFrame } from '../apis/message-frames.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeRequestHeaderPrefix, REQUEST_HEADER_PREFIX_BYTES, type RequestHeaderPrefix } from '../protocol/headers.js';
import { KafkaProtocolError } from '../protocol/protocol-error.js';
import { Reader } from '../protocol/reader.js';
import { FrameReader } from './frame-reader.js';
import type { KafkaLogger } from './logger.js';
import { UnanswerableRequest, type KafkaRequestHandler, type RequestContext } from './request-handler.js';
import { routeFor, type Route } from './routes.js';

export interface ConnectionOptions {
  connectionId: number;
  handler: KafkaRequestHandler;
  logger: KafkaLogger;
  requestMaxBytes: number;
  maxInFlightRequests: number;
  handlerTimeoutMs: number;
}

const EMPTY_FRAME = Buffer.alloc(0);
const TIMED_OUT = Symbol('timed out');

interface ResponseSlot {
  correlationId: number;
  /** Null until the handler has answered and the answer is encoded. */
  frame: Buffer | null;
}

export class KafkaConnection {
  private readonly frames: FrameReader;
  private readonly queue: ResponseSlot[] = [];
  /**
   * Frames received but not yet started, oldest at `waitingHead`. One chunk can carry thousands
   * of small frames, so the list is consumed by index rather than by shift().
   */
  private waitingFrames: Buffer[] = [];
  private waitingHead = 0;
  private closed = false;
  /** True from a write that filled the socket's buffer until its 'drain'. */
  private writeBlocked = false;
  private paused = false;
  private readonly remoteAddress: string;
  private readonly remotePort: number;
  readonly closedPromise: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.frames = new FrameReader(options.requestMaxBytes);
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.remotePort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.processWaitingFrames();
    });
    socket.on('error', (error) => this.log('debug', 'socket error', { error: String(error) }));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  get id(): number {
    return this.options.connectionId;
  }

  /** Closes the connection now; queued responses are dropped. */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (error) {
      this.closeForProtocolError(error);
      return;
    }
    for (const frame of frames) this.waitingFrames.push(frame);
    this.processWaitingFrames();
  }

  /** Starts requests while fewer than `maxInFlightRequests` await an answer; the rest wait. */
  private processWaitingFrames(): void {
    while (!this.closed) {
      this.writeFinishedResponses();
      if (this.writeBlocked || this.queue.length >= this.options.maxInFlightRequests) break;
      const frame = this.waitingFrames[this.waitingHead];
      if (frame === undefined) break;
      this.waitingFrames[this.waitingHead++] = EMPTY_FRAME; // release it to the GC now
      this.onFrame(frame);
    }
    if (this.waitingHead === this.waitingFrames.length) {
      this.waitingFrames = [];
      this.waitingHead = 0;
    }
    this.applyBackpressure();
  }

  private onFrame(payload: Buffer): void {
    if (payload.length < REQUEST_HEADER_PREFIX_BYTES) {
      this.closeForProtocolError(
        new KafkaProtocolError('MALFORMED_MESSAGE', `request of ${payload.length} bytes has no header`, {
          cause: new RangeError(`a request header needs at least ${REQUEST_HEADER_PREFIX_BYTES} bytes`),
        }),
      );
      return;
    }
    const prefix = decodeRequestHeaderPrefix(new Reader(payload));
    const route = routeFor(prefix.apiKey);
    if (route === undefined) {
      this.closeForProtocolError(
        new KafkaProtocolError('UNKNOWN_API_KEY', `API key ${prefix.apiKey} is not served`, {
          cause: new RangeError(`served keys: ${apiVersionsTable().map((range) => range.apiKey).join(', ')}`),
        }),
        prefix,
      );
      return;
    }
    if (codecFor(route.api, prefix.apiVersion) === undefined) {
      this.onUnsupportedVersion(route, prefix);
      return;
    }
    let decoded: ReturnType<typeof decodeRequestPayload<unknown>>;
    try {
      decoded = decodeRequestPayload(route.api, prefix.apiVersion, payload);
    } catch (error) {
      this.closeForProtocolError(error, prefix);
      return;
    }
    const context: RequestContext = {
      connectionId: this.options.connectionId,
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
      clientId: decoded.header.clientId,
      correlationId: prefix.correlationId,
      apiKey: prefix.apiKey,
      apiVersion: prefix.apiVersion,
    };
    this.dispatch(route, context, decoded.request);
  }

  private onUnsupportedVersion(route: Route<unknown, unknown>, prefix: RequestHeaderPrefix): void {
    const { api } = route;
    if (api.apiKey !== ApiKey.ApiVersions) {
      this.closeForProtocolError(
        new KafkaProtocolError('UNSUPPORTED_VERSION', `${api.name} v${prefix.apiVersion} is not served`, {
          cause: new RangeError(`${api.name} versions ${api.minVersion}-${api.maxVersion} are served`),
        }),
        prefix,
      );
      return;
    }
    this.log('info', 'ApiVersions in an unsupported version; answering UNSUPPORTED_VERSION in v0', {
      apiVersion: prefix.apiVersion,
      correlationId: prefix.correlationId,
    });
    const response = { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: apiVersionsTable(), throttleTimeMs: 0 };
    const slot: ResponseSlot = { correlationId: prefix.correlationId, frame: null };
    this.queue.push(slot);
    slot.frame = encodeResponseFrame(apiVersionsApi, 0, prefix.correlationId, response);
  }

  private dispatch(route: Route<unknown, unknown>, context: RequestContext, request: unknown): void {
    const slot: ResponseSlot = { correlationId: context.correlationId, frame: null };
    this.queue.push(slot);
    void this.answer(route, context, request).then((frame) => {
      if (frame === null) {
        // Nothing can be said in this API's grammar; the client must see the connection end
        // rather than wait forever for this correlation id.
        this.destroy();
        return;
      }
      slot.frame = frame;
      this.processWaitingFrames();
    });
  }

  /** Runs the handler and encodes its answer; never rejects (see the failure rules above). */
  private async answer(route: Route<unknown, unknown>, context: RequestContext, request: unknown): Promise<Buffer | null> {
    const { api } = route;
    let response: unknown;
    try {
      response = await this.withTimeout(route.handle(this.options.handler, context, request));
      if (response === TIMED_OUT) {
        this.log('error', `${api.name} handler did not answer in ${this.options.handlerTimeoutMs} ms; answering REQUEST_TIMED_OUT`, {
          apiKey: context.apiKey,
          apiVersion: context.apiVersion,
          correlationId: context.correlationId,
        });
        response = api.errorResponse(request, ErrorCode.REQUEST_TIMED_OUT, 'the request handler did not answer in time');
      }
    } catch (error) {
      if (error instanceof UnanswerableRequest) {
        this.log('debug', `${api.name} cannot be answered; closing the connection`, this.errorFields(context, error));
        return null;
      }
      this.log('error', `${api.name} handler failed; answering UNKNOWN_SERVER_ERROR`, this.errorFields(context, error));
      response = api.errorResponse(request, ErrorCode.UNKNOWN_SERVER_ERROR, 'the request handler failed');
    }
    try {
      return encodeResponseFrame(api, context.apiVersion, context.correlationId, response);
    } catch (error) {
      this.log('error', `${api.name} response cannot be encoded; answering UNKNOWN_SERVER_ERROR`, this.errorFields(context, error));
    }
    try {
      const fallback = api.errorResponse(request, ErrorCode.UNKNOWN_SERVER_ERROR, 'the response could not be encoded');
      return encodeResponseFrame(api, context.apiVersion, context.correlationId, fallback);
    } catch (error) {
      this.log('error', `${api.name} error response cannot be encoded; closing`, this.errorFields(context, error));
      return null;
    }
  }

  /**
   * A backstop, not the request's own timeout (handlers honour CreateTopics' timeoutMs and the
   * like): a handler that never settles would otherwise hold its slot, and every response
   * behind it, forever.
   */
  private withTimeout<T>(handling: Promise<T>): Promise<T | typeof TIMED_OUT> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.options.handlerTimeoutMs);
    });
    return Promise.race([handling, timeout]).finally(() => clearTimeout(timer));
  }

  /** Writes every finished response at the head of the queue; stops at the first unfinished one. */
  private writeFinishedResponses(): void {
    while (!this.closed) {
      const head = this.queue[0];
      if (head === undefined || head.frame === null) break;
      this.queue.shift();
      // A client that does not read its answers must not make us buffer them without bound:
      // once the socket's buffer is full, no new request starts until it drains.
      if (!this.socket.write(head.frame)) this.writeBlocked = true;
    }
  }

  /** Stops reading the socket while frames wait, so TCP pushes back on the client. */
  private applyBackpressure(): void {
    if (this.closed) return;
    const full = this.waitingHead < this.waitingFrames.length || this.writeBlocked;
    if (full && !this.paused) {
      this.paused = true;
      this.socket.pause();
    } else if (!full && this.paused) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private closeForProtocolError(error: unknown, prefix?: RequestHeaderPrefix): void {
    const code = error instanceof KafkaProtocolError ? error.code : 'UNEXPECTED';
    this.log('warn', 'closing connection after a request that cannot be answered', {
      code,
      error: describeError(error),
      ...(prefix === undefined ? {} : { apiKey: prefix.apiKey, apiVersion: prefix.apiVersion, correlationId: prefix.correlationId }),
    });
    this.destroy();
  }

  private errorFields(context: RequestContext, error: unknown): Record<string, unknown> {
    return { apiKey: context.apiKey, apiVersion: context.apiVersion, correlationId: context.correlationId, error: describeError(error) };
  }

  private log(level: keyof KafkaLogger, message: string, fields: Record<string, unknown> = {}): void {
    this.options.logger[level](message, {
      connectionId: this.options.connectionId,
      remote: `${this.remoteAddress}:${this.remotePort}`,
      ...fields,
    });
  }
}

/** The message of an error and of each cause below it, so a log line shows the precise reason. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' <- ');
}
