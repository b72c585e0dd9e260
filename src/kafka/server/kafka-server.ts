/**
 * A TCP listener speaking the Kafka protocol: accepts connections, gives each a
 * `KafkaConnection`, counts them, and closes them all on `close()`. One connection's failure
 * (a bad frame, a handler error) never reaches the others or the process.
 *
 *   await using server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler });
 *   server.port; server.connectionCount; await server.close();
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { KafkaConnection, describeError } from './connection.js';
import { REQUEST_MAX_BYTES_DEFAULT } from './frame-reader.js';
import { silentLogger, type KafkaLogger } from './logger.js';
import type { KafkaRequestHandler } from './request-handler.js';

export interface KafkaServerOptions {
  /** Address to bind; 127.0.0.1 in tests, the listener host in quorumd. */
  host: string;
  /** 0 asks the OS for a free port; read the chosen one from `server.port`. */
  port: number;
  handler: KafkaRequestHandler;
  logger?: KafkaLogger;
  /** Kafka's `socket.request.max.bytes`: larger frames close their connection. */
  requestMaxBytes?: number;
  /** Requests a connection may have waiting for an answer before its socket is paused. */
  maxInFlightRequests?: number;
  /** Open connections beyond this are refused at accept (Kafka's `max.connections`). */
  maxConnections?: number;
  /** A handler that has not settled after this long is answered REQUEST_TIMED_OUT. */
  handlerTimeoutMs?: number;
}

export const MAX_IN_FLIGHT_REQUESTS_DEFAULT = 100;
export const MAX_CONNECTIONS_DEFAULT = 10_000;
/** Above Kafka's default request.timeout.ms (30 s), so handlers' own timeouts fire first. */
export const HANDLER_TIMEOUT_MS_DEFAULT = 60_000;
/** The largest size a frame's int32 prefix can state. */
const REQUEST_MAX_BYTES_LIMIT = 0x7fffffff;

export class KafkaServer implements AsyncDisposable {
  private readonly connections = new Set<KafkaConnection>();
  private connectionsAcceptedTotal = 0;
  private connectionsRefusedTotal = 0;
  private readonly logger: KafkaLogger;
  private readonly requestMaxBytes: number;
  private readonly maxInFlightRequests: number;
  private readonly maxConnections: number;
  private readonly handlerTimeoutMs: number;
  private closing: Promise<void> | null = null;

  private constructor(
    /** Null for a server that only adopts connections another listener accepted. */
    private readonly server: Server | null,
    private readonly options: KafkaServerOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.requestMaxBytes = positiveInteger(options.requestMaxBytes ?? REQUEST_MAX_BYTES_DEFAULT, 'requestMaxBytes');
    if (this.requestMaxBytes > REQUEST_MAX_BYTES_LIMIT) {
      throw new RangeError(`requestMaxBytes must be at most ${REQUEST_MAX_BYTES_LIMIT}, got ${this.requestMaxBytes}`);
    }
    this.handlerTimeoutMs = positiveInteger(options.handlerTimeoutMs ?? HANDLER_TIMEOUT_MS_DEFAULT, 'handlerTimeoutMs');
    this.maxInFlightRequests = positiveInteger(options.maxInFlightRequests ?? MAX_IN_FLIGHT_REQUESTS_DEFAULT, 'maxInFlightRequests');
    this.maxConnections = positiveInteger(options.maxConnections ?? MAX_CONNECTIONS_DEFAULT, 'maxConnections');
    server?.on('connection', (socket) => this.accept(socket));
    server?.on('error', (error) => this.logger.error('listener error', { error: describeError(error) }));
  }

  /**
   * A server without a listener of its own: it serves the connections handed to `adopt` (quorumd's
   * controller listener, which tells Kafka clients from peers by their first frame).
   */
  static adopting(options: Omit<KafkaServerOptions, 'port'>): KafkaServer {
    return new KafkaServer(null, { ...options, port: 0 });
  }

  /** Serves a connection accepted elsewhere; a paused socket is resumed, and bytes already unshifted into it are read first. */
  adopt(socket: Socket): void {
    this.accept(socket);
    if (socket.isPaused()) socket.resume();
  }

  static async listen(options: KafkaServerOptions): Promise<KafkaServer> {
    const server = createServer({ noDelay: true });
    const kafkaServer = new KafkaServer(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    kafkaServer.logger.info('listening', { host: options.host, port: kafkaServer.port });
    return kafkaServer;
  }

  get host(): string {
    return this.options.host;
  }

  /** The bound port (the OS's choice when listening on port 0). */
  get port(): number {
    return this.server === null ? -1 : (this.server.address() as AddressInfo).port;
  }

  /** Connections open right now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Connections accepted since the server started. */
  get connectionsAccepted(): number {
    return this.connectionsAcceptedTotal;
  }

  /** Connections refused because `maxConnections` were open. */
  get connectionsRefused(): number {
    return this.connectionsRefusedTotal;
  }

  /** Stops listening and closes every connection; resolves once all are closed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async closeNow(): Promise<void> {
    const server = this.server;
    const listenerClosed = server === null ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()));
    const connectionsClosed = [...this.connections].map((connection) => {
      connection.destroy();
      return connection.closedPromise;
    });
    await Promise.all([listenerClosed, ...connectionsClosed]);
    this.logger.info('closed', { host: this.options.host, connectionsAccepted: this.connectionsAcceptedTotal });
  }

  private accept(socket: Socket): void {
    if (this.closing !== null || this.connections.size >= this.maxConnections) {
      this.connectionsRefusedTotal++;
      this.logger.warn('refusing connection', { open: this.connections.size, maxConnections: this.maxConnections });
      socket.destroy();
      return;
    }
    this.connectionsAcceptedTotal++;
    const connection = new KafkaConnection(socket, {
      connectionId: this.connectionsAcceptedTotal,
      handler: this.options.handler,
      logger: this.logger,
      requestMaxBytes: this.requestMaxBytes,
      maxInFlightRequests: this.maxInFlightRequests,
      handlerTimeoutMs: this.handlerTimeoutMs,
    });
    this.connections.add(connection);
    this.logger.debug('connection accepted', { connectionId: connection.id, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    void connection.closedPromise.then(() => {
      this.connections.delete(connection);
      this.logger.debug('connection closed', { connectionId: connection.id });
    });
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
