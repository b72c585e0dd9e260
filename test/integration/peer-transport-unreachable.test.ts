/**
 * The transport tells the core at once that a voter went away: a voter whose process dies has its
 * sockets closed by the kernel, usually with a plain FIN, and that close counts like a refusal or
 * a reset. A connection this node gives up on itself (a refused hello) is not reported. The
 * "voter" here is a bare TCP server speaking just the hello, so each case is exact.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeHelloFrame, type Hello } from '../../src/node/transport/peer-codec.js';
import { PeerTransport } from '../../src/node/transport/peer-transport.js';
import { waitFor } from './support/local-cluster.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A bare voter: answers each connection with `hello`, then does `then` with the socket. */
async function bareVoter(hello: Hello, then: (socket: Socket) => void): Promise<{ server: Server; port: number; accepted: number }> {
  const voter = { server: createServer(), port: 0, accepted: 0 };
  const sockets = new Set<Socket>();
  voter.server.on('connection', (socket) => {
    voter.accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(encodeHelloFrame(hello));
    then(socket);
  });
  await new Promise<void>((resolve) => voter.server.listen(0, '127.0.0.1', resolve));
  voter.port = (voter.server.address() as AddressInfo).port;
  cleanups.push(async () => {
    // Stop listening and drop what is left; close()'s callback would wait for every socket.
    voter.server.close();
    for (const socket of sockets) socket.destroy();
  });
  return voter;
}

async function dialer(voterPort: number): Promise<{ unreachable: number[]; lines: string[]; transport: PeerTransport }> {
  const seen = { unreachable: [] as number[], lines: [] as string[], transport: null as unknown as PeerTransport };
  const transport = await PeerTransport.start({
    nodeId: 1, clusterId: 'C1', listen: null, voters: [{ nodeId: 2, host: '127.0.0.1', port: voterPort }],
    frameMaxBytes: 1024 * 1024, reconnectBackoffMinMs: 10, reconnectBackoffMaxMs: 20,
    onEnvelope: () => undefined,
    onPeerUnreachable: (peerId) => seen.unreachable.push(peerId),
    log: (line) => seen.lines.push(line),
    random: () => 0.5,
  });
  seen.transport = transport;
  cleanups.push(() => transport.close());
  return seen;
}

const probe = (condition: () => boolean) => async (): Promise<true | null> => (condition() ? true : null);

describe('PeerTransport reports a voter that went away', () => {
  it('reports a connection the voter closed cleanly (FIN) at once, and logs it once per outage', async () => {
    // Hello, then a clean close, as the kernel does for a killed process with nothing unread.
    const voter = await bareVoter({ type: 'hello', nodeId: 2, clusterId: 'C1' }, (socket) => setTimeout(() => socket.end(), 20));
    const seen = await dialer(voter.port);
    await waitFor(probe(() => seen.unreachable.length >= 3), 10_000, () => `reports: ${seen.unreachable}; log: ${seen.lines.join(' | ')}`);
    expect(new Set(seen.unreachable)).toEqual(new Set([2]));
    const reports = seen.lines.filter((l) => l.startsWith('Voter 2 unreachable'));
    expect(reports.length).toBeGreaterThanOrEqual(1);
    for (const line of reports) expect(line).toBe('Voter 2 unreachable (closed by the voter): reported to the quorum');
  });

  it('logs a dead voter once however many redials are refused', async () => {
    const voter = await bareVoter({ type: 'hello', nodeId: 2, clusterId: 'C1' }, () => undefined);
    const port = voter.port;
    await new Promise<void>((resolve) => voter.server.close(() => resolve()));
    const seen = await dialer(port);
    await waitFor(probe(() => seen.unreachable.length >= 5), 10_000, () => `reports: ${seen.unreachable}; log: ${seen.lines.join(' | ')}`);
    expect(seen.lines.filter((l) => l.startsWith('Voter 2 unreachable'))).toEqual(['Voter 2 unreachable (ECONNREFUSED): reported to the quorum']);
  });

  it('reports a voter known to be down again whenever a message for it is dropped', async () => {
    const voter = await bareVoter({ type: 'hello', nodeId: 2, clusterId: 'C1' }, () => undefined);
    const port = voter.port;
    await new Promise<void>((resolve) => voter.server.close(() => resolve()));
    const seen = await dialer(port);
    await waitFor(probe(() => seen.unreachable.length >= 1), 10_000, () => `log: ${seen.lines.join(' | ')}`);
    const before = seen.unreachable.length;
    // The core went back to following the dead voter and fetches from it: that is news again.
    expect(seen.transport.send({ from: 1, to: 2, message: { type: 'test-message' } })).toBe(false);
    expect(seen.unreachable.length).toBe(before + 1);
    expect(seen.unreachable.at(-1)).toBe(2);
  });

  it('reports nothing for messages to a voter that is up, or to a node with no outage on record', async () => {
    const voter = await bareVoter({ type: 'hello', nodeId: 2, clusterId: 'C1' }, () => undefined);
    const seen = await dialer(voter.port);
    await waitFor(probe(() => seen.transport.connectedPeers().includes(2)), 10_000, () => `log: ${seen.lines.join(' | ')}`);
    expect(seen.transport.send({ from: 1, to: 2, message: { type: 'test-message' } })).toBe(true);
    expect(seen.transport.send({ from: 1, to: 9, message: { type: 'test-message' } })).toBe(false);
    expect(seen.unreachable).toEqual([]);
  });

  it('does not report a connection this node refused itself (another cluster)', async () => {
    // The bare voter keeps its end open: only our refusal closes the connection.
    const voter = await bareVoter({ type: 'hello', nodeId: 2, clusterId: 'OTHER' }, () => undefined);
    const seen = await dialer(voter.port);
    await waitFor(probe(() => seen.lines.filter((l) => l.includes('INCONSISTENT_CLUSTER_ID')).length >= 3), 10_000,
      () => `log: ${seen.lines.join(' | ')}`);
    expect(voter.accepted).toBeGreaterThanOrEqual(3);
    expect(seen.unreachable).toEqual([]);
  });
});
