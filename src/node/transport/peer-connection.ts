/**
 * One TCP connection between two nodes of the quorum, either direction. Both ends first send a
 * hello naming their node id and cluster id (at once, before checking the other's, so both sides
 * can log a mismatch); a node of another cluster is refused with a log line
 * naming both cluster ids (INCONSISTENT_CLUSTER_ID) and the connection closed. After the hello,
 * every frame is one PeerEnvelope addressed to this node. A bad frame closes this connection only.
 */
import type { Socket } from 'node:net';
import type { PeerEnvelope } from '../../core/host-interface.js';
import { FrameDecoder, FrameError } from './frame-codec.js';
import { decodePeerPayload, encodeEnvelopeFrame, encodeHelloFrame, PeerCodecError, type Hello } from './peer-codec.js';

export type { Hello } from './peer-codec.js';

export interface PeerConnectionEvents {
  /** The peer introduced itself and belongs to our cluster. */
  onReady(connection: PeerConnection): void;
  onEnvelope(envelope: PeerEnvelope): void;
  /**
   * The connection is gone; `error` says why when it was not a clean close. `byPeer` is true when
   * the other end closed or reset it (not this node refusing it or giving up on a stall).
   */
  onClosed(connection: PeerConnection, error: NodeJS.ErrnoException | undefined, byPeer: boolean): void;
  log(line: string): void;
}

/**
 * A peer's socket buffering more than this is not keeping up; messages to it are dropped (consensus
 * sends again). Snapshots go in FetchSnapshot pieces of at most 1 MiB (raft-config.ts), so no
 * message needs more; it was 64 MiB per peer while a whole 45-70 MB snapshot was one frame.
 */
export const WRITE_BUFFER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * How long a connection with unsent bytes may go without any byte leaving before it is given up as
 * stalled. A partition that drops packets (iptables DROP) leaves TCP retransmitting with a backoff
 * that grows to minutes; closing and redialing lets the node talk again soon after the partition
 * heals. Progress is bytes leaving, not the buffer running empty: a peer that reads slowly but
 * steadily (a follower far behind, fetching a big snapshot) keeps its connection, where waiting
 * for an empty buffer dropped it every 7-13 s at two million partitions (issue 12).
 */
export const STALL_TIMEOUT_MS_DEFAULT = 10_000;

/** How long a new connection has to send its hello. */
export const HELLO_TIMEOUT_MS = 10_000;

export class PeerConnection {
  /** The peer's node id once its hello arrived. */
  peerId: number | null = null;
  /** The hello named this very node: the connection went back to its own listener. */
  reachedSelf = false;
  private readonly decoder: FrameDecoder;
  private closed = false;
  /** This end destroyed the socket (refusal, stall, close()): the peer did not go away by itself. */
  private closedHere = false;
  private closeError: NodeJS.ErrnoException | undefined;
  /** Frames written this tick wait in the socket until it is uncorked on the next tick. */
  private corked = false;
  /** When bytes were last seen leaving, or the send buffer empty (monotonic ms). */
  private lastProgressMs = performance.now();
  /** The bytes whose writes had completed then, and what the kernel had yet to take of the write in flight. */
  private lastBytesLeft = 0;
  private lastQueuedInWrite = 0;

  constructor(
    private readonly socket: Socket,
    private readonly self: { nodeId: number; clusterId: string },
    /** For outbound connections: the voter we dialed, whose hello must name it. */
    readonly expectedPeerId: number | null,
    frameMaxBytes: number,
    private readonly events: PeerConnectionEvents,
    private readonly stallTimeoutMs = STALL_TIMEOUT_MS_DEFAULT,
  ) {
    this.decoder = new FrameDecoder(frameMaxBytes);
    socket.setNoDelay(true);
    // A connection that never introduces itself would hold a slot forever.
    socket.setTimeout(HELLO_TIMEOUT_MS, () => {
      if (this.peerId === null) this.refuse(`no hello from ${this.description} within ${HELLO_TIMEOUT_MS} ms: closing the connection`);
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => { this.closeError ??= error; });
    socket.on('close', () => this.onClose());
  }

  get isReady(): boolean {
    return this.peerId !== null && !this.closed;
  }

  get description(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  sendHello(): void {
    this.write(encodeHelloFrame({ type: 'hello', nodeId: this.self.nodeId, clusterId: this.self.clusterId }));
  }

  /** False when the message was dropped (not ready, or the peer is not reading). */
  send(envelope: PeerEnvelope): boolean {
    if (!this.isReady) return false;
    const nowMs = performance.now();
    const bytesLeft = this.bytesLeft;
    const queuedInWrite = this.queuedInWrite;
    const progressed = this.socket.writableLength === 0 || bytesLeft > this.lastBytesLeft || queuedInWrite < this.lastQueuedInWrite;
    this.lastBytesLeft = bytesLeft;
    this.lastQueuedInWrite = queuedInWrite;
    if (progressed) {
      this.lastProgressMs = nowMs;
    } else if (nowMs - this.lastProgressMs > this.stallTimeoutMs) {
      this.refuse(`Connection to node ${this.peerId} (${this.description}) stalled: ${this.socket.writableLength} bytes unsent ` +
        `and none sent for ${Math.round(nowMs - this.lastProgressMs)} ms; closing it to redial`);
      return false;
    }
    if (this.socket.writableLength > WRITE_BUFFER_MAX_BYTES) return false;
    this.write(encodeEnvelopeFrame(envelope));
    return true;
  }

  /**
   * Bytes of completed writes so far. Node's `bytesWritten` also counts bytes still queued in the
   * stream, which grow with every write even when nothing leaves; `writableLength` is what is
   * queued or in a write not yet completed, so their difference only grows as writes complete.
   */
  private get bytesLeft(): number {
    return this.socket.bytesWritten - this.socket.writableLength;
  }

  /**
   * What the kernel has yet to take of the write in flight (libuv's write queue; 0 where the
   * handle does not say). A corked burst is one write of up to the buffer cap, which a slow reader
   * may take longer than the stall timeout to complete: this shrinking is progress too.
   */
  private get queuedInWrite(): number {
    const handle = (this.socket as unknown as { _handle?: { writeQueueSize?: number } | null })._handle;
    return typeof handle?.writeQueueSize === 'number' ? handle.writeQueueSize : 0;
  }

  close(): void {
    if (this.closed) return;
    this.closedHere = true;
    this.socket.destroy();
  }

  /**
   * The host sends a whole burst's messages in one synchronous pass (quorum-host.ts group
   * commit), so the socket is corked at the first frame and uncorked on the next tick: the
   * burst's frames to this peer leave in one write(2) instead of one each.
   */
  private write(frame: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let payloads: Buffer[];
    try {
      payloads = this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      return this.refuse(`bad frame from ${this.describePeer()}: ${error.message}`);
    }
    for (const payload of payloads) {
      if (this.socket.destroyed) return;
      let value: Hello | PeerEnvelope;
      try {
        value = decodePeerPayload(payload);
      } catch (error) {
        if (!(error instanceof PeerCodecError)) throw error;
        return this.refuse(`bad frame from ${this.describePeer()}: ${error.message}`);
      }
      if (this.peerId === null) this.onHello(value);
      else this.onFrame(value);
    }
  }

  private onHello(value: Hello | PeerEnvelope): void {
    if (!('type' in value) || value.type !== 'hello') {
      return this.refuse(`expected a hello from ${this.description}, got a ${describeMessage(value)}`);
    }
    const hello = value;
    if (hello.clusterId !== this.self.clusterId) {
      return this.refuse(`INCONSISTENT_CLUSTER_ID: node ${hello.nodeId} at ${this.description} belongs to cluster ` +
        `${hello.clusterId}, but node ${this.self.nodeId} belongs to cluster ${this.self.clusterId}: closing the connection`);
    }
    if (this.expectedPeerId !== null && hello.nodeId !== this.expectedPeerId) {
      return this.refuse(`dialed voter ${this.expectedPeerId} at ${this.description}, but node ${hello.nodeId} answered: ` +
        'closing the connection (check controller.quorum.voters)');
    }
    if (hello.nodeId === this.self.nodeId) {
      this.reachedSelf = true;
      // Expected once per start when this node's own address is among the bootstrap servers.
      return this.refuse(`a connection from ${this.description} claims our own node id ${this.self.nodeId} ` +
        '(this node dialed itself, or another node has its node.id): closing it');
    }
    this.peerId = hello.nodeId;
    this.socket.setTimeout(0);
    this.events.onReady(this);
  }

  private onFrame(value: Hello | PeerEnvelope): void {
    if ('type' in value) return this.refuse(`a second hello from node ${this.peerId}`);
    if (value.from !== this.peerId || value.to !== this.self.nodeId || typeof value.message !== 'object' || value.message === null) {
      return this.refuse(`bad envelope from node ${this.peerId}: from ${value.from} to ${value.to}, ${describeMessage(value)}`);
    }
    this.events.onEnvelope(value);
  }

  private refuse(line: string): void {
    this.events.log(line);
    this.closedHere = true;
    this.socket.destroy();
  }

  private describePeer(): string {
    return this.peerId === null ? this.description : `node ${this.peerId} (${this.description})`;
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.events.onClosed(this, this.closeError, !this.closedHere);
  }
}

function describeMessage(value: Hello | PeerEnvelope): string {
  if ('type' in value) return 'hello';
  const type = (value.message as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? `${type} message` : 'message without a type';
}
