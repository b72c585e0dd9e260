/**
 * The transport of a dynamic quorum (kraft.version 1): bootstrap servers dialed without knowing
 * who answers (addressed by negative ids, then reachable under the id that answered, never
 * redialed when it is this very node), peers handed over by the core as they change, and a
 * controller listener that serves Kafka clients and peers alike, told apart by their first frame
 * (with the other-cluster refusal still reaching both sides).
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../../src/core/host-interface.js';
import { apiVersionsApi } from '../../../src/kafka/apis/index.js';
import { encodeRequestFrame } from '../../../src/kafka/apis/message-frames.js';
import { protocolOfFirstFrame } from '../../../src/node/transport/listener-protocol.js';
import { encodeHelloFrame } from '../../../src/node/transport/peer-codec.js';
import { PeerTransport, type PeerTransportOptions } from '../../../src/node/transport/peer-transport.js';
import { freePort } from '../support/cluster-configs.js';
import { waitFor } from '../support/wait-for.js';

interface Peer {
  transport: PeerTransport;
  received: PeerEnvelope[];
  lines: string[];
  /** What each Kafka connection handed over sent, from its first byte. */
  kafka: Buffer[][];
}

const started: PeerTransport[] = [];
afterEach(async () => {
  for (const transport of started.splice(0)) await transport.close();
});

async function startPeer(nodeId: number, listenPort: number | null, extra: Partial<PeerTransportOptions> = {}, clusterId = 'C1'): Promise<Peer> {
  const peer: Peer = { transport: null as unknown as PeerTransport, received: [], lines: [], kafka: [] };
  peer.transport = await PeerTransport.start({
    nodeId, clusterId, frameMaxBytes: 1024 * 1024, voters: [],
    listen: listenPort === null ? null : { host: '127.0.0.1', port: listenPort },
    reconnectBackoffMinMs: 10, reconnectBackoffMaxMs: 50,
    onEnvelope: (envelope) => peer.received.push(envelope),
    onPeerUnreachable: () => undefined,
    log: (line) => peer.lines.push(line),
    random: () => 0.5,
    onKafkaConnection: (socket) => {
      const chunks: Buffer[] = [];
      peer.kafka.push(chunks);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.resume();
    },
    ...extra,
  });
  started.push(peer.transport);
  return peer;
}

const message = (type: string) => ({ type });

describe('the transport of a dynamic quorum', () => {
  it('tells a peer hello from a Kafka request by the first frame', () => {
    expect(protocolOfFirstFrame(encodeHelloFrame({ type: 'hello', nodeId: 3, clusterId: 'MkU3OEVBNTcwNTJENDM2Qg' }))).toBe('peer');
    expect(protocolOfFirstFrame(encodeHelloFrame({ type: 'hello', nodeId: 2_000_000_000, clusterId: '' }))).toBe('peer');
    for (const [correlationId, clientId] of [[1, 'quorumd-tools'], [0, null], [7, 'kafkajs']] as const) {
      expect(protocolOfFirstFrame(encodeRequestFrame(apiVersionsApi, 0, { correlationId, clientId }, {}))).toBe('kafka');
    }
  });

  it('reaches a bootstrap server under its negative id, then under the id that answered; never redials itself', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const bootstrapServers = [{ id: -2, host: '127.0.0.1', port: port1 }, { id: -3, host: '127.0.0.1', port: port2 }];
    const one = await startPeer(1, port1, { bootstrapServers });
    const two = await startPeer(2, port2, { bootstrapServers });
    await waitFor('both found each other', () => one.transport.connectedPeers().includes(2) && two.transport.connectedPeers().includes(1));
    // "Found each other" can be node 2's own connection in to node 1, before node 1's dial of the
    // bootstrap address -3 is ready (under load it was, in CI): until then send(-3) says false.
    await waitFor('node 1 reaches bootstrap server -3', () => one.transport.send({ from: 1, to: -3, message: message('via-bootstrap') }));
    await waitFor('delivery addressed to the node that answered', () => two.received.length === 1);
    expect(two.received[0]).toEqual({ from: 1, to: 2, message: message('via-bootstrap') });
    expect(two.transport.send({ from: 2, to: 1, message: message('back') })).toBe(true);
    await waitFor('the answer back', () => one.received.length === 1);
    // Each dialed its own address once and gave it up.
    expect(one.transport.send({ from: 1, to: -2, message: message('self') })).toBe(false);
    await waitFor('node 1 saw its own address', () => one.lines.some((line) => line.includes(`Bootstrap server 127.0.0.1:${port1} is this node: not dialing it again`)));
    const selfDials = one.lines.filter((line) => line.includes('claims our own node id')).length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(one.lines.filter((line) => line.includes('claims our own node id')).length).toBe(selfDials);
  });

  it('dials the peers the core names, redials one that moved, and stops dialing one no longer named', async () => {
    const [port1, port2, port3] = [await freePort(), await freePort(), await freePort()];
    const one = await startPeer(1, port1);
    const two = await startPeer(2, port2);
    one.transport.updatePeers(new Map([[2, { host: '127.0.0.1', port: port2 }]]));
    await waitFor('node 1 dialed node 2', () => one.transport.connectedPeers().includes(2));
    expect(one.transport.send({ from: 1, to: 2, message: message('named') })).toBe(true);
    await waitFor('delivery', () => two.received.length === 1);
    // Node 2 moves to another port (a restart on a new address).
    await two.transport.close();
    const moved = await startPeer(2, port3);
    one.transport.updatePeers(new Map([[2, { host: '127.0.0.1', port: port3 }]]));
    await waitFor('node 1 dialed the new address', () => one.transport.connectedPeers().includes(2) && one.transport.send({ from: 1, to: 2, message: message('moved') }));
    await waitFor('delivery to the moved node', () => moved.received.length >= 1);
    one.transport.updatePeers(new Map());
    await waitFor('node 1 dropped node 2', () => !one.transport.connectedPeers().includes(2));
    expect(one.transport.send({ from: 1, to: 2, message: message('gone') })).toBe(false);
  });

  it('hands Kafka clients on the controller listener over, and still refuses a node of another cluster on both sides', async () => {
    const port1 = await freePort();
    const one = await startPeer(1, port1);
    const client = connect({ host: '127.0.0.1', port: port1 });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const frame = encodeRequestFrame(apiVersionsApi, 0, { correlationId: 1, clientId: 'tool' }, {});
    // In two pieces: the first frame is judged only once it is whole.
    client.write(frame.subarray(0, 3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.write(frame.subarray(3));
    const handed = await waitFor('the Kafka request handed over whole', () => (Buffer.concat(one.kafka[0] ?? []).length >= frame.length ? one.kafka[0] : null));
    expect(Buffer.concat(handed).equals(frame)).toBe(true);
    expect(one.transport.connectedPeers()).toEqual([]);
    client.destroy();

    const stranger = await startPeer(7, null, { voters: [{ nodeId: 1, host: '127.0.0.1', port: port1 }] }, 'OtherCluster');
    await waitFor('both sides name the other cluster', () =>
      one.lines.some((line) => line.includes('INCONSISTENT_CLUSTER_ID')) && stranger.lines.some((line) => line.includes('INCONSISTENT_CLUSTER_ID')));
  });
});
