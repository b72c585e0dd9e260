/**
 * The controller listener speaks two protocols, as Kafka's does: the nodes' own peer protocol, and
 * the Kafka protocol for the admin requests a tool sends with `--bootstrap-controller`
 * (DescribeQuorum, DescribeCluster, AddRaftVoter, RemoveRaftVoter). Which one a new connection
 * speaks is told by its first frame, which the dialing side always sends first in both:
 *
 *   peer hello      u32 length, u8 0, i32 node id, i16 n, n bytes of cluster id ([A-Za-z0-9_-])
 *   Kafka request   u32 length, i16 api key, i16 api version, i32 correlation id, i16 client id
 *                   length, ...
 *
 * A frame is a hello when its payload is exactly that: a first byte 0, and bytes 5-6 giving the
 * length of what follows them, which is all cluster-id characters. A Kafka request would need its
 * correlation id's middle bytes to state its own remaining length and a header of id characters:
 * never so for a tool's first request (correlation ids start small, headers are 10+ bytes). A
 * first frame longer than the listener's limit is given to the peer side, which refuses it.
 */
import type { Socket } from 'node:net';
import { FRAME_LENGTH_BYTES } from './frame-codec.js';

export type ListenerProtocol = 'peer' | 'kafka';

const HELLO_CODE = 0;
/** u8 code + i32 node id + i16 cluster id length. */
const HELLO_FIXED_BYTES = 7;
const CLUSTER_ID_BYTE = /^[A-Za-z0-9_-]*$/;

/** The protocol of a first frame (length prefix included, complete). */
export function protocolOfFirstFrame(frame: Buffer): ListenerProtocol {
  const payload = frame.subarray(FRAME_LENGTH_BYTES);
  if (payload.length < HELLO_FIXED_BYTES || payload[0] !== HELLO_CODE) return 'kafka';
  if (payload.readInt16BE(5) !== payload.length - HELLO_FIXED_BYTES) return 'kafka';
  return CLUSTER_ID_BYTE.test(payload.subarray(HELLO_FIXED_BYTES).toString('latin1')) ? 'peer' : 'kafka';
}

/**
 * Reads a new connection's first frame, puts the bytes back (the socket is left paused, its data
 * unread), and says which protocol it speaks; null when the socket closed first. A frame declared
 * longer than `frameMaxBytes` is judged 'peer' at once (the peer side refuses it, naming the size).
 */
export function sniffListenerProtocol(socket: Socket, frameMaxBytes: number, decide: (protocol: ListenerProtocol | null) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let decided = false;
  const finish = (protocol: ListenerProtocol | null): void => {
    if (decided) return;
    decided = true;
    socket.off('data', onData);
    socket.off('close', onClose);
    socket.pause();
    if (chunks.length > 0) socket.unshift(Buffer.concat(chunks, bytes));
    decide(protocol);
  };
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    bytes += chunk.length;
    if (bytes < FRAME_LENGTH_BYTES) return;
    const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
    const length = head.readUInt32BE(0);
    if (length > frameMaxBytes) return finish('peer');
    if (bytes >= FRAME_LENGTH_BYTES + length) finish(protocolOfFirstFrame(head.subarray(0, FRAME_LENGTH_BYTES + length)));
  };
  const onClose = (): void => finish(null);
  socket.on('data', onData);
  socket.on('close', onClose);
}
