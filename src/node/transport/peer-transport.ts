/**
 * TCP between nodes. A controller listens on its CONTROLLER listener; every node (voter or
 * broker-only observer) dials each other voter named in `controller.quorum.voters` and keeps
 * redialing with exponential backoff and jitter. A message to a peer goes over our connection
 * to it, or else over the one it opened to us (observers are reached only that way); with
 * neither, it is dropped, as a lossy network would, and the core's retries take over.
 *
 * A voter that goes away is reported at once (`onPeerUnreachable`), so a follower whose leader
 * died stands for election after one election timeout share rather than the whole fetch timeout:
 * a refused or reset connection, and also a connection the voter closed by itself. A process
 * killed with kill -9 has its sockets closed by the kernel with a FIN (a RST only when unread
 * bytes were pending), so without the latter the news would wait for the next redial. While
 * a voter stays unreachable, every message the core tries to send it is reported again.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import type { PeerEnvelope } from '../../core/host-interface.js';
import type { VoterAddress } from '../config/listener-addresses.js';
import { PeerConnection, type PeerConnectionEvents } from './peer-connection.js';

export interface PeerTransportOptions {
  nodeId: number;
  clusterId: string;
  /** Where to accept peers (the CONTROLLER listener); null for a broker-only node. */
  listen: { host: string; port: number } | null;
  voters: readonly VoterAddress[];
  frameMaxBytes: number;
  reconnectBackoffMinMs?: number;
  reconnectBackoffMaxMs?: number;
  /** Inbound peer connections beyond this are refused at accept. */
  inboundConnectionsMax?: number;
  /** A dial not connected within this long is abandoned and retried (a partition drops SYNs). */
  connectTimeoutMs?: number;
  /** See peer-connection.ts STALL_TIMEOUT_MS_DEFAULT. */
  stallTimeoutMs?: number;
  /** Called for each envelope that arrives. */
  onEnvelope(envelope: PeerEnvelope): void;
  onPeerUnreachable(peerId: number): void;
  log(line: string): void;
  random(): number;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

const CONNECT_TIMEOUT_MS_DEFAULT = 5000;

interface Dialer {
  voter: VoterAddress;
  connection: PeerConnection | null;
  failures: number;
  timer: NodeJS.Timeout | null;
  /** Only the first failure in a row is logged, so a dead peer does not flood the log. */
  loggedDown: boolean;
  /**
   * The voter's last connection ended unreachable (refused, reset, closed by it) and none is
   * ready since. Also gates the log line, so it is written once per outage.
   */
  unreachable: boolean;
}

export class PeerTransport {
  private readonly dialers = new Map<number, Dialer>();
  private readonly inbound = new Set<PeerConnection>();
  private closing = false;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  private readonly inboundMax: number;

  private constructor(private readonly options: PeerTransportOptions, private readonly server: Server | null) {
    this.backoffMinMs = options.reconnectBackoffMinMs ?? 50;
    this.backoffMaxMs = options.reconnectBackoffMaxMs ?? 1000;
    this.inboundMax = options.inboundConnectionsMax ?? 1024;
    for (const voter of options.voters) {
      if (voter.nodeId === options.nodeId) continue;
      this.dialers.set(voter.nodeId, { voter, connection: null, failures: 0, timer: null, loggedDown: false, unreachable: false });
    }
  }

  static async start(options: PeerTransportOptions): Promise<PeerTransport> {
    let server: Server | null = null;
    if (options.listen !== null) {
      server = createServer({ noDelay: true });
      const listen = options.listen;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(listen.port, listen.host === '' ? undefined : listen.host, () => {
          server!.off('error', reject);
          resolve();
        });
      });
    }
    const transport = new PeerTransport(options, server);
    server?.on('connection', (socket) => transport.accept(socket));
    server?.on('error', (error) => options.log(`Controller listener error: ${error.message}`));
    for (const dialer of transport.dialers.values()) transport.dial(dialer);
    return transport;
  }

  /** The CONTROLLER listener's bound port (the OS's choice when configured as 0). */
  get port(): number | null {
    return this.server === null ? null : (this.server.address() as AddressInfo).port;
  }

  /** Peers with a ready connection either way, for tests and logs. */
  connectedPeers(): number[] {
    const peers = new Set<number>();
    for (const dialer of this.dialers.values()) if (dialer.connection?.isReady) peers.add(dialer.voter.nodeId);
    for (const connection of this.inbound) if (connection.isReady) peers.add(connection.peerId as number);
    return [...peers].sort((a, b) => a - b);
  }

  send(envelope: PeerEnvelope): boolean {
    const dialer = this.dialers.get(envelope.to);
    const outbound = dialer?.connection;
    if (outbound?.isReady && outbound.send(envelope)) return true;
    for (const connection of this.inbound) {
      if (connection.peerId === envelope.to && connection.send(envelope)) return true;
    }
    // A message for a voter known to be gone is news again: the core may have gone back to it
    // meanwhile (a prospective voter that another voter's pre-vote rejection pointed back to the
    // dead leader), and would otherwise wait its whole fetch timeout before standing again.
    if (dialer?.unreachable === true && !this.closing) this.options.onPeerUnreachable(envelope.to);
    return false;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const dialer of this.dialers.values()) {
      if (dialer.timer !== null) clearTimeout(dialer.timer);
      dialer.connection?.close();
    }
    for (const connection of this.inbound) connection.close();
    if (this.server !== null) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.closing || this.inbound.size >= this.inboundMax) {
      this.options.log(`Refusing a controller connection from ${socket.remoteAddress}: ${this.closing ? 'shutting down' : `${this.inboundMax} connections open`}`);
      socket.destroy();
      return;
    }
    const connection = new PeerConnection(socket, this.self(), null, this.options.frameMaxBytes, this.connectionEvents(() => {
      this.inbound.delete(connection);
    }), this.options.stallTimeoutMs);
    this.inbound.add(connection);
    connection.sendHello();
  }

  private dial(dialer: Dialer): void {
    dialer.timer = null;
    if (this.closing) return;
    const { host, port, nodeId } = dialer.voter;
    const socket = connect({ host, port, noDelay: true });
    const connection = new PeerConnection(socket, this.self(), nodeId, this.options.frameMaxBytes, this.connectionEvents((error, byPeer) => {
      dialer.connection = null;
      this.onDialerClosed(dialer, error, byPeer);
    }, () => {
      dialer.failures = 0;
      if (dialer.loggedDown) this.options.log(`Connected to voter ${nodeId} at ${host}:${port}`);
      dialer.loggedDown = false;
      dialer.unreachable = false;
    }), this.options.stallTimeoutMs);
    dialer.connection = connection;
    // Until connected, a timeout means the dial went unanswered; PeerConnection's hello timeout
    // takes over once connected. Giving up is this node's doing, so it is not reported: a
    // partition is the fetch timeout's to judge.
    const connectTimer = setTimeout(() => connection.close(), this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT);
    socket.once('close', () => clearTimeout(connectTimer));
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      connection.sendHello();
    });
  }

  private onDialerClosed(dialer: Dialer, error: NodeJS.ErrnoException | undefined, byPeer: boolean): void {
    if (this.closing) return;
    const { nodeId, host, port } = dialer.voter;
    const reason = error === undefined ? (byPeer ? 'closed by the voter' : undefined)
      : error.code !== undefined && UNREACHABLE_CODES.has(error.code) ? error.code : undefined;
    if (reason !== undefined) {
      // Logged once per outage, before the report, so its timestamp marks when the quorum heard.
      if (!dialer.unreachable) this.options.log(`Voter ${nodeId} unreachable (${reason}): reported to the quorum`);
      dialer.unreachable = true;
      this.options.onPeerUnreachable(nodeId);
    }
    if (!dialer.loggedDown) {
      this.options.log(`Connection to voter ${nodeId} at ${host}:${port} ${error === undefined ? 'closed' : `failed: ${error.code ?? error.message}`}; reconnecting`);
      dialer.loggedDown = true;
    }
    dialer.failures++;
    const ceilingMs = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** Math.min(dialer.failures - 1, 20));
    const delayMs = ceilingMs / 2 + this.options.random() * ceilingMs / 2;
    dialer.timer = setTimeout(() => this.dial(dialer), delayMs);
  }

  private self(): { nodeId: number; clusterId: string } {
    return { nodeId: this.options.nodeId, clusterId: this.options.clusterId };
  }

  private connectionEvents(
    onClosed: (error: NodeJS.ErrnoException | undefined, byPeer: boolean) => void,
    onReady: () => void = () => undefined,
  ): PeerConnectionEvents {
    return {
      onReady: () => onReady(),
      onEnvelope: (envelope) => this.options.onEnvelope(envelope),
      onClosed: (_connection, error, byPeer) => onClosed(error, byPeer),
      log: (line) => this.options.log(line),
    };
  }
}
