import { connect, createServer, type Socket } from 'node:net';
import { encodeHelloFrame } from '../../../src/node/transport/peer-codec.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../../src/core/host-interface.js';
import type { FetchResponse, VoteRequest } from '../../../src/core/raft/messages.js';
import { PeerTransport } from '../../../src/node/transport/peer-transport.js';
import { freePort } from '../support/cluster-configs.js';
import { waitFor } from '../support/wait-for.js';
import { testEntries } from '../storage/log-entries.js';

interface Peer {
  transport: PeerTransport;
  received: PeerEnvelope[];
  unreachable: number[];
  lines: string[];
}

const started: PeerTransport[] = [];

afterEach(async () => {
  for (const transport of started.splice(0)) await transport.close();
});

async function startPeer(
  nodeId: number, clusterId: string, listenPort: number | null, voters: { nodeId: number; port: number }[],
  frameMaxBytes = 1024 * 1024, stallTimeoutMs?: number,
): Promise<Peer> {
  const peer: Peer = { transport: null as unknown as PeerTransport, received: [], unreachable: [], lines: [] };
  peer.transport = await PeerTransport.start({
    nodeId, clusterId, frameMaxBytes,
    listen: listenPort === null ? null : { host: '127.0.0.1', port: listenPort },
    voters: voters.map((voter) => ({ nodeId: voter.nodeId, host: '127.0.0.1', port: voter.port })),
    reconnectBackoffMinMs: 10, reconnectBackoffMaxMs: 50, stallTimeoutMs,
    onEnvelope: (envelope) => peer.received.push(envelope),
    onPeerUnreachable: (peerId) => peer.unreachable.push(peerId),
    log: (line) => peer.lines.push(line),
    random: () => 0.5,
  });
  started.push(peer.transport);
  return peer;
}

function fetchResponse(): FetchResponse {
  return {
    type: 'fetch-response', epoch: 4, leaderId: 1, fetchId: 9, incarnationId: 'a1', highWatermark: 3, logStartOffset: 0,
    entries: testEntries(0, 3, 4), readRound: 2,
  };
}

function voteRequest(): VoteRequest {
  return {
    type: 'vote-request', clusterId: 'C1', candidateEpoch: 5, candidateId: 2, candidateDirectoryId: null, voterDirectoryId: null,
    lastEpoch: 4, lastEpochEndOffset: 30, preVote: true,
  };
}

describe('PeerTransport', () => {
  it('carries envelopes both ways between voters, record batches exactly', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const voters = [{ nodeId: 1, port: port1 }, { nodeId: 2, port: port2 }];
    const one = await startPeer(1, 'C1', port1, voters);
    const two = await startPeer(2, 'C1', port2, voters);
    await waitFor('both connected', () => one.transport.connectedPeers().includes(2) && two.transport.connectedPeers().includes(1));
    expect(one.transport.send({ from: 1, to: 2, message: fetchResponse() })).toBe(true);
    expect(two.transport.send({ from: 2, to: 1, message: voteRequest() })).toBe(true);
    await waitFor('delivery', () => one.received.length === 1 && two.received.length === 1);
    expect(two.received[0]).toEqual({ from: 1, to: 2, message: fetchResponse() });
    expect(one.received[0]).toEqual({ from: 2, to: 1, message: voteRequest() });
  });

  it('reaches a broker-only observer over the connection it opened', async () => {
    const port1 = await freePort();
    const voter = await startPeer(1, 'C1', port1, [{ nodeId: 1, port: port1 }]);
    const observer = await startPeer(7, 'C1', null, [{ nodeId: 1, port: port1 }]);
    await waitFor('observer connected', () => voter.transport.connectedPeers().includes(7));
    expect(voter.transport.send({ from: 1, to: 7, message: fetchResponse() })).toBe(true);
    await waitFor('delivery to the observer', () => observer.received.length === 1);
    expect(observer.received[0]!.message).toEqual(fetchResponse());
    expect(voter.transport.send({ from: 1, to: 8, message: { type: 'x' } })).toBe(false);
  });

  it('refuses a node of another cluster with a line naming both cluster ids, on both sides', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const voters = [{ nodeId: 1, port: port1 }, { nodeId: 2, port: port2 }];
    const one = await startPeer(1, 'ClusterA', port1, voters);
    const two = await startPeer(2, 'ClusterB', port2, voters);
    await waitFor('refusals logged', () =>
      one.lines.some((line) => line.includes('INCONSISTENT_CLUSTER_ID')) && two.lines.some((line) => line.includes('INCONSISTENT_CLUSTER_ID')));
    for (const peer of [one, two]) {
      const line = peer.lines.find((candidate) => candidate.includes('INCONSISTENT_CLUSTER_ID'))!;
      expect(line).toContain('ClusterA');
      expect(line).toContain('ClusterB');
    }
    expect(one.transport.connectedPeers()).toEqual([]);
    expect(one.transport.send({ from: 1, to: 2, message: { type: 'x' } })).toBe(false);
  });

  it('closes only the connection that sent a bad frame', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const voters = [{ nodeId: 1, port: port1 }, { nodeId: 2, port: port2 }];
    const one = await startPeer(1, 'C1', port1, voters, 4096);
    const two = await startPeer(2, 'C1', port2, voters);
    await waitFor('connected', () => one.transport.connectedPeers().includes(2));
    const rogue = connect({ host: '127.0.0.1', port: port1 });
    await new Promise<void>((resolve) => rogue.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.on('error', () => undefined);
    rogue.resume();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1_000_000);
    rogue.write(header);
    await closed;
    expect(one.lines.join('\n')).toMatch(/bad frame .*1000000 bytes exceeds the maximum of 4096/);
    expect(two.transport.send({ from: 2, to: 1, message: { type: 'still-there' } })).toBe(true);
    await waitFor('delivery after the bad frame', () => one.received.length === 1);
  });

  it('keeps redialing a voter that is down and connects once it listens', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const voters = [{ nodeId: 1, port: port1 }, { nodeId: 2, port: port2 }];
    const one = await startPeer(1, 'C1', port1, voters);
    await waitFor('a few failed dials', () => one.unreachable.length >= 3);
    const two = await startPeer(2, 'C1', port2, voters);
    // Node 2 dials node 1 too; wait for node 1's own redial, which logs that it got through.
    await waitFor('node 1 redialed node 2', () => one.lines.some((line) => /Connected to voter 2 at 127\.0\.0\.1:\d+/.test(line)));
    expect(one.transport.send({ from: 1, to: 2, message: { type: 'hello-again' } })).toBe(true);
    await waitFor('delivery after reconnecting', () => two.received.length === 1);
  });

  it('gives up a connection whose peer stopped reading, and redials', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    // Node 2 is a fake: it says hello, then never reads again (as behind a packet-dropping partition).
    const accepted: Socket[] = [];
    const fake = createServer((socket) => {
      accepted.push(socket);
      socket.write(encodeHelloFrame({ type: 'hello', nodeId: 2, clusterId: 'C1' }));
      socket.pause();
    });
    await new Promise<void>((resolve) => fake.listen(port2, '127.0.0.1', resolve));
    try {
      const one = await startPeer(1, 'C1', port1, [{ nodeId: 1, port: port1 }, { nodeId: 2, port: port2 }], 1024 * 1024, 200);
      await waitFor('connected to the fake', () => one.transport.connectedPeers().includes(2));
      const bulky = { type: 'bulk', payload: 'x'.repeat(1024 * 1024) };
      await waitFor('the stalled connection is closed', () => {
        one.transport.send({ from: 1, to: 2, message: bulky });
        return one.lines.some((line) => /Connection to node 2 .* stalled: \d+ bytes unsent and none sent for \d+ ms; closing it to redial/.test(line));
      });
      await waitFor('a second connection (the redial)', () => accepted.length >= 2);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });

  it('reports a refused connection to a voter as unreachable', async () => {
    const [port1, deadPort] = [await freePort(), await freePort()];
    const one = await startPeer(1, 'C1', port1, [{ nodeId: 1, port: port1 }, { nodeId: 3, port: deadPort }]);
    await waitFor('unreachable reported', () => one.unreachable.length >= 2);
    expect(new Set(one.unreachable)).toEqual(new Set([3]));
    expect(one.lines.filter((line) => line.includes('voter 3'))).toHaveLength(1);
  });
});
