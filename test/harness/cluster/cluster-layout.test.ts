import { describe, expect, it } from 'vitest';
import { bridgeAddressPlaceholder, combinedNodes, planCluster, quorumVoters, type LayoutSpec } from '../../../src/harness/cluster/cluster-layout.js';
import { quorumdProgram, nodeScriptProgram } from '../../../src/harness/cluster/node-program.js';
import { randomClusterId } from '../../../src/harness/cluster/quorum-cluster.js';
import { renderProperties, serverProperties } from '../../../src/harness/cluster/server-properties.js';
import { planKraftTopology } from '../../../src/harness/systems/system-adapter.js';

const spec: LayoutSpec = {
  nodes: combinedNodes(3),
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qk',
  clientPort: 9092,
  peerPort: 9093,
  advertise: 'bridge-address',
  hostClientPorts: [40001, 40002, 40003],
  dockerHost: 'localhost',
};

describe('planCluster', () => {
  it('names nodes node1..nodeN and lists every voter by alias and controller port', () => {
    const layouts = planCluster(spec);
    expect(layouts.map((layout) => layout.alias)).toEqual(['node1', 'node2', 'node3']);
    expect(layouts.map((layout) => layout.nodeId)).toEqual([1, 2, 3]);
    for (const layout of layouts) expect(quorumVoters(layout)).toBe('1@node1:9093,2@node2:9093,3@node3:9093');
  });

  it('isolated roles: voters are the controllers only; every node knows every peer and its roles', () => {
    const nodes = planKraftTopology({ voters: 3, roles: 'isolated', servers: 2 }, 3);
    const layouts = planCluster({ ...spec, nodes, hostClientPorts: [1, 2, 3, 4, 5].map((port) => 40000 + port) });
    expect(layouts.map((layout) => `${layout.alias}:${layout.roles.join(',')}`))
      .toEqual(['node1:controller', 'node2:controller', 'node3:controller', 'node101:broker', 'node102:broker']);
    expect(quorumVoters(layouts[4]!)).toBe('1@node1:9093,2@node2:9093,3@node3:9093');
    expect(layouts[0]!.peers.filter((peer) => peer.servesClients).map((peer) => peer.nodeId)).toEqual([101, 102]);
  });

  it('advertises the bridge address placeholder and the container port in bridge-address mode', () => {
    const [first] = planCluster(spec);
    expect(first?.advertisedClientHost).toBe(bridgeAddressPlaceholder);
    expect(first?.advertisedClientPort).toBe(9092);
    expect(first?.hostClientPort).toBe(40001);
  });

  it('advertises the docker host and each node its own mapped port in mapped-port mode', () => {
    const layouts = planCluster({ ...spec, advertise: 'mapped-port' });
    expect(layouts.map((layout) => `${layout.advertisedClientHost}:${layout.advertisedClientPort}`))
      .toEqual(['localhost:40001', 'localhost:40002', 'localhost:40003']);
  });

  it.each([
    [{ nodes: [] }, /a cluster has 1 to 16 nodes, got 0/],
    [{ nodes: [...combinedNodes(2), ...combinedNodes(1)] }, /node ids must be unique, got 1,2,1/],
    [{ nodes: combinedNodes(3).map((node) => ({ ...node, voter: false })) }, /at least one voter/],
    [{ clientPort: 70000 }, /clientPort must be a TCP port .* got 70000/],
    [{ peerPort: 9092 }, /clientPort and peerPort must differ/],
    [{ hostClientPorts: [40001] }, /need one host port per node: 3 nodes, 1 ports/],
    [{ clusterId: 'has space' }, /clusterId must be .* got 'has space'/],
  ] as const)('rejects %o with a message naming the field', (change, message) => {
    expect(() => planCluster({ ...spec, ...change })).toThrow(message);
  });
});

describe('server.properties', () => {
  it("carries Kafka's KRaft keys for a combined-mode node", () => {
    const [layout] = planCluster(spec);
    const properties = serverProperties(layout!);
    expect(properties).toMatchObject({
      'node.id': '1',
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@node1:9093,2@node2:9093,3@node3:9093',
      'listeners': 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      'advertised.listeners': `PLAINTEXT://${bridgeAddressPlaceholder}:9092`,
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': '/var/lib/quorumd/data',
      'event.log.file': '/var/log/quorumd/events.jsonl',
    });
  });

  it('a controller-only node listens and advertises nothing for clients; a broker-only node has no controller listener', () => {
    const nodes = planKraftTopology({ voters: 3, roles: 'isolated', servers: 1 }, 3);
    const layouts = planCluster({ ...spec, nodes, hostClientPorts: [40001, 40002, 40003, 40004] });
    const controller = serverProperties(layouts[0]!);
    expect(controller['listeners']).toBe('CONTROLLER://0.0.0.0:9093');
    expect(controller['advertised.listeners']).toBeUndefined();
    const broker = serverProperties(layouts[3]!);
    expect(broker).toMatchObject({ 'node.id': '101', 'process.roles': 'broker', 'listeners': 'PLAINTEXT://0.0.0.0:9092' });
  });

  it('lets extra properties override defaults and renders sorted key=value lines', () => {
    const [layout] = planCluster(spec);
    const text = renderProperties(serverProperties(layout!, { 'log.dirs': '/data', 'metadata.max.bytes': 1024 }), 'test');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('# test');
    expect(lines).toContain('log.dirs=/data');
    expect(lines).toContain('metadata.max.bytes=1024');
    const keys = lines.slice(1).map((line) => line.split('=')[0]!);
    expect(keys).toEqual([...keys].sort());
  });

  it('rejects values that would break the file format', () => {
    expect(() => renderProperties({ 'a.b': 'x\ny' }, 'test')).toThrow(/a\.b has a line break/);
    expect(() => renderProperties({ 'a b': 'x' }, 'test')).toThrow(/property key 'a b'/);
  });
});

describe('node programs', () => {
  it('quorumd execs start, which formats a disk not formatted yet in the same process', () => {
    const [layout] = planCluster(spec);
    const program = quorumdProgram();
    const script = program.runScript(layout!);
    expect(script).not.toContain('quorumd format');
    expect(script.trim().split('\n').at(-1)).toBe(`exec quorumd start --config "$config" --format-cluster-id=${spec.clusterId}`);
    expect(program.files(layout!).map((file) => file.name)).toEqual(['server.properties.template']);
  });

  it('a node script gets its layout as environment, with the bridge address filled in at start', () => {
    const [, second] = planCluster(spec);
    const files = nodeScriptProgram('echo', 'console.log(1)').files(second!);
    const env = files.find((file) => file.name === 'program.env.template')?.content ?? '';
    expect(env).toContain("QUORUMCHECK_NODE_ID='2'");
    expect(env).toContain(`QUORUMCHECK_BRIDGE_ADDRESS='${bridgeAddressPlaceholder}'`);
  });
});

describe('random cluster ids', () => {
  it('never start with a dash (quorumd format would read the id as an option): such a draw is redrawn', () => {
    // A first byte of 0xf8 encodes to '-' in base64url; the second draw does not.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x41)];
    const id = randomClusterId(() => draws.shift() as Buffer);
    expect(Buffer.alloc(16, 0xf8).toString('base64url')).toMatch(/^-/);
    expect(id).toBe(Buffer.alloc(16, 0x41).toString('base64url'));
    expect(draws).toEqual([]);
  });

  it('are 22 base64url characters by default', () => {
    expect(randomClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
