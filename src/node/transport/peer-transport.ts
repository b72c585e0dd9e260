/**
 * TCP between nodes. A controller listens on its CONTROLLER listener; every node (voter or
 * broker-only observer) dials each other voter named in `controller.quorum.voters` and keeps
 * redialing with exponential backoff and jitter. A message to a peer goes over our connection
 * to it, or else over the one it opened to us (observers are reached only that way); with
 * neither, it is dropped, as a lossy network would, and the core's retries take over.
 *
 * A dynamic quorum (kraft.version 1) has no voter list in configuration: the host hands over the
 * peers the core knows (its voter set's endpoints, a leader it learned of) with `updatePeers`
 * whenever they change, and the transport dials those. Until the core knows any, it asks the
 * `controller.quorum.bootstrap.servers`, which are dialed without knowing who answers: each is
 * addressed by a negative id of its own, and once connected it is also reached as the node whose
 * hello came back. A bootstrap server that turns out to be this very node is not dialed again.
 *
 * With `onKafkaConnection`, the controller listener also serves Kafka clients (the admin tools'
 * `--bootstrap-controller`): each new connection's first frame says which protocol it speaks
 * (listener-protocol.ts), and Kafka connections are handed over.
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
import type { ServerAddress, VoterAddress } from '../config/listener-addresses.js';
import { sniffListenerProtocol } from './listener-protocol.js';
import { encodeHelloFrame } from './peer-codec.js';
import { HELLO_TIMEOUT_MS, PeerConnection, type PeerConnectionEvents } from './peer-connection.js';

export interface PeerTransportOptions {
  nodeId: number;
  clusterId: string;
  /** Where to accept peers (the CONTROLLER listener); null for a broker-only node. */
  listen: { host: string; port: number } | null;
  voters: readonly VoterAddress[];
  /** `controller.quorum.bootstrap.servers`, each with the (negative) id the core addresses it by. */
  bootstrapServers?: readonly (ServerAddress & { id: number })[];
  /** Serve Kafka clients on the controller listener too: called with each such connection's socket, paused, unread. */
  onKafkaConnection?: (socket: Socket) => void;
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

/** Whom a dialer dials: a configured voter, a peer the core named, or a bootstrap server. */
type DialerKind = 'voter' | 'peer' | 'bootstrap';

interface Dialer {
  kind: DialerKind;
  /** The node dialed (for a bootstrap server, the id the core addresses it by). */
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
  /** Closed for good (a peer no longer named, a bootstrap server that is this node): never redialed. */
  retired: boolean;
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
      this.dialers.set(voter.nodeId, newDialer('voter', voter));
    }
    for (const server of options.bootstrapServers ?? []) {
      this.dialers.set(server.id, newDialer('bootstrap', { nodeId: server.id, host: server.host, port: server.port }));
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
    for (const dialer of this.dialers.values()) if (dialer.connection?.isReady) peers.add(dialer.connection.peerId as number);
    for (const connection of this.inbound) if (connection.isReady) peers.add(connection.peerId as number);
    return [...peers].sort((a, b) => a - b);
  }

  /**
   * The peers the core knows of now (a dynamic quorum): dials the new ones, redials one whose
   * address changed, and stops dialing those no longer named. Configured voters and bootstrap
   * servers stay as they are.
   */
  updatePeers(peers: ReadonlyMap<number, ServerAddress>): void {
    if (this.closing) return;
    for (const [nodeId, address] of peers) {
      if (nodeId === this.options.nodeId) continue;
      const known = this.dialers.get(nodeId);
      if (known !== undefined && (known.kind !== 'peer' || (known.voter.host === address.host && known.voter.port === address.port))) continue;
      if (known !== undefined) this.retire(known);
      const dialer = newDialer('peer', { nodeId, host: address.host, port: address.port });
      this.dialers.set(nodeId, dialer);
      this.dial(dialer);
    }
    for (const dialer of [...this.dialers.values()]) {
      if (dialer.kind === 'peer' && !peers.has(dialer.voter.nodeId)) this.retire(dialer);
    }
  }

  send(envelope: PeerEnvelope): boolean {
    const dialer = this.dialers.get(envelope.to);
    const outbound = dialer?.connection;
    if (dialer?.kind === 'bootstrap') {
      // Whoever answered at that address, under its own id.
      if (!outbound?.isReady) return false;
      return outbound.send({ ...envelope, to: outbound.peerId as number });
    }
    if (outbound?.isReady && outbound.send(envelope)) return true;
    for (const other of this.dialers.values()) {
      if (other.kind === 'bootstrap' && other.connection?.peerId === envelope.to && other.connection.send(envelope)) return true;
    }
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
    const onKafka = this.options.onKafkaConnection;
    if (onKafka === undefined) return this.acceptPeer(socket, true);
    // The dialing side speaks first in either protocol; our hello waits until it has.
    socket.setTimeout(HELLO_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => undefined);
    sniffListenerProtocol(socket, this.options.frameMaxBytes, (protocol) => {
      socket.setTimeout(0);
      if (protocol === null || this.closing) return void socket.destroy();
      if (protocol === 'kafka') {
        onKafka(socket);
      } else {
        // Our hello leaves before the peer's is read: a refusal (another cluster) closes the
        // socket as soon as that hello is handled, and the peer must still learn why.
        socket.write(encodeHelloFrame({ type: 'hello', ...this.self() }));
        this.acceptPeer(socket, false);
        socket.resume();
      }
    });
  }

  private acceptPeer(socket: Socket, sayHello: boolean): void {
    const connection = new PeerConnection(socket, this.self(), null, this.options.frameMaxBytes, this.connectionEvents(() => {
      this.inbound.delete(connection);
    }), this.options.stallTimeoutMs);
    this.inbound.add(connection);
    if (sayHello) connection.sendHello();
  }

  private dial(dialer: Dialer): void {
    dialer.timer = null;
    if (this.closing) return;
    const { host, port, nodeId } = dialer.voter;
    const socket = connect({ host, port, noDelay: true });
    const expectedPeerId = dialer.kind === 'bootstrap' ? null : nodeId;
    const connection = new PeerConnection(socket, this.self(), expectedPeerId, this.options.frameMaxBytes, this.connectionEvents((error, byPeer) => {
      dialer.connection = null;
      if (connection.reachedSelf && dialer.kind === 'bootstrap') {
        this.options.log(`Bootstrap server ${host}:${port} is this node: not dialing it again`);
        dialer.retired = true;
      }
      this.onDialerClosed(dialer, error, byPeer);
    }, () => {
      dialer.failures = 0;
      if (dialer.loggedDown) this.options.log(`Connected to ${describeDialed(dialer)} at ${host}:${port}`);
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
    if (this.closing || dialer.retired) return;
    const { nodeId, host, port } = dialer.voter;
    const reason = error === undefined ? (byPeer ? 'closed by the voter' : undefined)
      : error.code !== undefined && UNREACHABLE_CODES.has(error.code) ? error.code : undefined;
    if (reason !== undefined) {
      // Logged once per outage, before the report, so its timestamp marks when the quorum heard.
      if (!dialer.unreachable) this.options.log(`${capitalized(describeDialed(dialer))} unreachable (${reason}): reported to the quorum`);
      dialer.unreachable = true;
      this.options.onPeerUnreachable(nodeId);
    }
    if (!dialer.loggedDown) {
      this.options.log(`Connection to ${describeDialed(dialer)} at ${host}:${port} ${error === undefined ? 'closed' : `failed: ${error.code ?? error.message}`}; reconnecting`);
      dialer.loggedDown = true;
    }
    dialer.failures++;
    const ceilingMs = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** Math.min(dialer.failures - 1, 20));
    const delayMs = ceilingMs / 2 + this.options.random() * ceilingMs / 2;
    dialer.timer = setTimeout(() => this.dial(dialer), delayMs);
  }

  private retire(dialer: Dialer): void {
    dialer.retired = true;
    if (dialer.timer !== null) clearTimeout(dialer.timer);
    dialer.timer = null;
    dialer.connection?.close();
    if (this.dialers.get(dialer.voter.nodeId) === dialer) this.dialers.delete(dialer.voter.nodeId);
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

function newDialer(kind: DialerKind, voter: VoterAddress): Dialer {
  return { kind, voter, connection: null, failures: 0, timer: null, loggedDown: false, unreachable: false, retired: false };
}

function describeDialed(dialer: Dialer): string {
  return dialer.kind === 'bootstrap' ? 'bootstrap server' : `voter ${dialer.voter.nodeId}`;
}

function capitalized(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}
