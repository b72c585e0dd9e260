/**
 * A peer connection is judged stalled by bytes leaving, not by its send buffer running empty
 * (issue 12): a follower reading a big snapshot slowly but steadily keeps its connection, where
 * the old rule (the buffer must drain within the stall timeout) dropped it again and again. A peer
 * that stops reading altogether is still dropped. Real TCP on 127.0.0.1; the reader's pace is set
 * by pausing its socket.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_LENGTH_BYTES } from '../../../src/node/transport/frame-codec.js';
import { encodeHelloFrame } from '../../../src/node/transport/peer-codec.js';
import { PeerConnection } from '../../../src/node/transport/peer-connection.js';

const CLUSTER = 'StallCluster';
const STALL_TIMEOUT_MS = 1500;
const PIECE_BYTES = 256 * 1024;
/** One frame as big as the old whole-snapshot answers' (scaled down): it alone keeps the buffer from draining for seconds. */
const BIG_FRAME_BYTES = 12 * 1024 * 1024;
const cleanup: (() => void)[] = [];

afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

/** A listening node 2 that says hello and then reads at the pace `readPause` sets (null: never reads again). */
async function slowPeer(readPauseMs: number | null): Promise<{ server: Server; port: number; received: () => number }> {
  let received = 0;
  const server = createServer((socket: Socket) => {
    socket.write(encodeHelloFrame({ type: 'hello', nodeId: 2, clusterId: CLUSTER }));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received += chunk.length;
      // Read the hello exchange, then only at the pace asked.
      if (received < FRAME_LENGTH_BYTES * 4) return;
      socket.pause();
      if (readPauseMs !== null) setTimeout(() => socket.resume(), readPauseMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => server.close());
  return { server, port: (server.address() as AddressInfo).port, received: () => received };
}

/** Node 1 dials node 2 and keeps its send buffer full with snapshot pieces for `durationMs`. */
async function sendSteadily(port: number, durationMs: number): Promise<{ closedByStall: boolean; lines: string[]; sentBytes: number }> {
  const lines: string[] = [];
  let closed = false;
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  cleanup.push(() => socket.destroy());
  let ready = false;
  const connection = new PeerConnection(socket, { nodeId: 1, clusterId: CLUSTER }, 2, 64 * 1024 * 1024, {
    onReady: () => { ready = true; },
    onEnvelope: () => undefined,
    onClosed: () => { closed = true; },
    log: (line) => lines.push(line),
  }, STALL_TIMEOUT_MS);
  connection.sendHello();
  while (!ready) await new Promise((resolve) => setTimeout(resolve, 5));
  const bytes = new Uint8Array(PIECE_BYTES);
  let sentBytes = 0;
  const big = { type: 'fetch-snapshot-response', epoch: 1, leaderId: 1, snapshotId: { endOffset: 10, epoch: 1 }, size: 1e9, position: 0, bytes: new Uint8Array(BIG_FRAME_BYTES) };
  if (connection.send({ from: 1, to: 2, message: big })) sentBytes += BIG_FRAME_BYTES;
  const endMs = Date.now() + durationMs;
  while (Date.now() < endMs && !closed) {
    // Keep several pieces queued, so the buffer never runs empty while the peer reads.
    if (socket.writableLength < 4 * PIECE_BYTES) {
      const message = { type: 'fetch-snapshot-response', epoch: 1, leaderId: 1, snapshotId: { endOffset: 10, epoch: 1 }, size: 1e9, position: sentBytes, bytes };
      if (connection.send({ from: 1, to: 2, message })) sentBytes += PIECE_BYTES;
    } else {
      // Something to send keeps the check going, as consensus' fetch answers do.
      connection.send({ from: 1, to: 2, message: { type: 'begin-quorum-epoch-response', epoch: 1, leaderId: 1 } });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { closedByStall: lines.some((line) => line.includes('stalled')), lines, sentBytes };
}

describe('peer connection stalls', () => {
  it('keeps a peer that reads slowly but steadily, its buffer never empty for many stall timeouts', async () => {
    const peer = await slowPeer(10);
    const outcome = await sendSteadily(peer.port, 5 * STALL_TIMEOUT_MS);
    expect(outcome.lines).toEqual([]);
    expect(outcome.closedByStall).toBe(false);
    // It really was behind: far more was queued than the peer read, and it did read.
    expect(peer.received()).toBeGreaterThan(PIECE_BYTES);
  });

  it('drops a peer that stopped reading', async () => {
    const peer = await slowPeer(null);
    const outcome = await sendSteadily(peer.port, 4 * STALL_TIMEOUT_MS);
    expect(outcome.closedByStall, outcome.lines.join('\n')).toBe(true);
  });
});
