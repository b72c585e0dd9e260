import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import type { StartedQuorumCluster } from '../../../src/harness/cluster/started-quorum-cluster.js';
import { listLabelledResources } from '../../../src/harness/docker/resource-labels.js';
import { completeGrudge } from '../../../src/faults/grudge.js';
import { startPacketLoss, stopPacketLoss } from '../../../src/harness/nemesis/packet-loss.js';
import { applyPartition, healPartition } from '../../../src/harness/nemesis/partition.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';
import { echoNodeProgram } from './echo-node-program.js';
import { readGreeting } from './tcp-greeting.js';
import { eventually } from '../support/eventually.js';

const engine = await dockerEngineForTests();

describe.skipIf(!engine.available)('a 3-node cluster in containers', () => {
  let cluster: StartedQuorumCluster;
  let runDir: string;

  beforeAll(async () => {
    const image = await quorumdImageForTests();
    const startedMs = Date.now();
    cluster = await new QuorumCluster({
      image,
      nodeCount: 3,
      program: echoNodeProgram(),
      log: (line) => console.log(`[cluster] ${line}`),
    }).start();
    console.log(`3-node cluster started in ${Date.now() - startedMs} ms`);
    runDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-run-'));
  }, imageBuildTimeoutMs);

  afterAll(async () => {
    await cluster?.stop();
    if (runDir !== undefined) await rm(runDir, { recursive: true, force: true });
  });

  it('gives every node its alias, a bridge address the host reaches, and a mapped broker port', async () => {
    for (const node of cluster.nodes) {
      expect(await readGreeting(node.bridgeAddress, 9092)).toBe(`node${node.nodeId} ${node.bridgeAddress} start 1`);
      expect(await readGreeting('127.0.0.1', node.hostClientPort)).toMatch(new RegExp(`^node${node.nodeId} `));
    }
    expect(cluster.clientAddresses()).toEqual(cluster.nodes.map((node) => `${node.bridgeAddress}:9092`));
  });

  it('resolves peers by alias and routes to them over the project network device', async () => {
    const [node1, node2] = [cluster.node(1), cluster.node(2)];
    expect(await node1.reaches('node2', 9092)).toBe(true);
    const device = await node1.deviceTowards(node2.bridgeAddress);
    const ownAddresses = await node1.execOrThrow(['ip', '-o', '-4', 'addr', 'show', 'dev', device]);
    expect(ownAddresses).toContain(node1.bridgeAddress); // the device carrying the project network
  });

  it('says which path its faults take into the containers (nsenter here: a local engine, and root)', () => {
    const expected = process.getuid?.() === 0 && (process.env.DOCKER_HOST ?? '') === '' ? 'nsenter' : 'docker-exec';
    expect(cluster.access.path).toBe(expected);
  });

  it('iptables in one container partitions it from a peer while the host and other peers still reach it', async () => {
    const [node1, node2, node3] = [cluster.node(1), cluster.node(2), cluster.node(3)];
    await node2.setPacketFilter([{ kind: 'drop', from: node1.bridgeAddress }]);
    try {
      expect(await node2.packetFilterRules()).toEqual([`-A QUORUMCHECK -s ${node1.bridgeAddress}/32 -j DROP`]);
      expect(await node1.reaches(node2.bridgeAddress, 9092, 1_000)).toBe(false);
      expect(await node3.reaches(node2.bridgeAddress, 9092)).toBe(true);
      expect(await readGreeting(node2.bridgeAddress, 9092)).toMatch(/^node2 /);
    } finally {
      await node2.setPacketFilter([]);
    }
    expect(await node2.packetFilterRules()).toEqual([]);
    expect(await node1.reaches(node2.bridgeAddress, 9092)).toBe(true);
  });

  it('a grudge isolating node1 cuts exactly its links; a second grudge replaces it; healing restores all', async () => {
    const [node1, node2, node3] = [cluster.node(1), cluster.node(2), cluster.node(3)];
    await applyPartition(cluster, completeGrudge([[1], [2, 3]]));
    try {
      expect(await node1.reaches('node2', 9092, 1_000)).toBe(false);
      expect(await node1.reaches('node3', 9092, 1_000)).toBe(false);
      expect(await node2.reaches('node1', 9092, 1_000)).toBe(false);
      expect(await node2.reaches('node3', 9092)).toBe(true);
      expect(await readGreeting(node1.bridgeAddress, 9092)).toMatch(/^node1 /); // clients still reach it
      await applyPartition(cluster, completeGrudge([[3], [1, 2]]));
      expect(await node1.packetFilterRules()).toEqual([`-A QUORUMCHECK -s ${node3.bridgeAddress}/32 -j DROP`]);
      expect(await node1.reaches('node2', 9092)).toBe(true);
      expect(await node3.reaches('node1', 9092, 1_000)).toBe(false);
    } finally {
      await healPartition(cluster);
    }
    for (const node of cluster.nodes) expect(await node.packetFilterRules()).toEqual([]);
    expect(await node1.reaches('node2', 9092)).toBe(true);
    expect(await node3.reaches('node1', 9092)).toBe(true);
  });

  it('refuses a grudge naming an unknown node or a node ignoring itself', async () => {
    await expect(applyPartition(cluster, new Map([[1, new Set([4])]]))).rejects.toThrow(/no node 4 in this cluster/);
    await expect(applyPartition(cluster, new Map([[2, new Set([2])]]))).rejects.toThrow(/node 2 cannot ignore itself/);
    expect(await cluster.node(2).packetFilterRules()).toEqual([]);
  });

  it('pause freezes a node (connections open but nothing answers) and unpause thaws it', async () => {
    const node3 = cluster.node(3);
    await node3.pause();
    try {
      await expect(readGreeting(node3.bridgeAddress, 9092, 1_000)).rejects.toThrow(/no greeting/);
    } finally {
      await node3.unpause();
    }
    expect(await readGreeting(node3.bridgeAddress, 9092)).toMatch(/^node3 /);
  });

  it('kill stops a node; start brings it back on its own disk, with the partition in force put back', async () => {
    const node2 = cluster.node(2);
    await applyPartition(cluster, completeGrudge([[1], [2, 3]]));
    try {
      await node2.kill();
      expect(await node2.isRunning()).toBe(false);
      await node2.start();
      expect(await node2.isRunning()).toBe(true);
      const greeting = await eventually(() => readGreeting(node2.bridgeAddress, 9092));
      expect(greeting).toBe(`node2 ${node2.bridgeAddress} start 2`);
      expect(await node2.packetFilterRules()).toEqual([`-A QUORUMCHECK -s ${cluster.node(1).bridgeAddress}/32 -j DROP`]);
    } finally {
      await healPartition(cluster);
    }
    expect(await node2.packetFilterRules()).toEqual([]);
  });

  it('restart stops (SIGTERM, then SIGKILL after the timeout) and starts the node again', async () => {
    const node2 = cluster.node(2);
    await node2.restart(1_000);
    const greeting = await eventually(() => readGreeting(node2.bridgeAddress, 9092));
    expect(greeting).toBe(`node2 ${node2.bridgeAddress} start 3`);
  });

  it('stop stops a node as docker stop does (its container stays); start brings it back', async () => {
    const node3 = cluster.node(3);
    await node3.stop(1_000);
    expect(await node3.isRunning()).toBe(false);
    expect(await node3.logs()).toContain('listening'); // the container and its output are still there
    await node3.start();
    expect(await node3.isRunning()).toBe(true);
    const greeting = await eventually(() => readGreeting(node3.bridgeAddress, 9092));
    expect(greeting).toBe(`node3 ${node3.bridgeAddress} start 2`);
  });

  it('packet loss is a random-drop rule from every peer, kept when a partition comes and goes, removed by stopping it', async () => {
    const [node1, node2, node3] = [cluster.node(1), cluster.node(2), cluster.node(3)];
    const lossRule = (from: string): string => `-A QUORUMCHECK -s ${from}/32 -m statistic --mode random --probability 0.50000000000 -j DROP`;
    await startPacketLoss(cluster, { nodes: [3], probability: 0.5 });
    expect(await node3.packetFilterRules()).toEqual([lossRule(node1.bridgeAddress), lossRule(node2.bridgeAddress)]);
    await applyPartition(cluster, completeGrudge([[1], [2, 3]]));
    expect(await node3.packetFilterRules()).toEqual([`-A QUORUMCHECK -s ${node1.bridgeAddress}/32 -j DROP`, lossRule(node2.bridgeAddress)]);
    await healPartition(cluster);
    expect(await node3.packetFilterRules()).toEqual([lossRule(node1.bridgeAddress), lossRule(node2.bridgeAddress)]);
    await stopPacketLoss(cluster);
    expect(await node3.packetFilterRules()).toEqual([]);
  });

  it('collects each node\'s output and event log into the run directory layout', async () => {
    const collected = await cluster.collectLogs(runDir);
    expect(collected.map((entry) => entry.nodeId)).toEqual([1, 2, 3]);
    expect(collected.every((entry) => entry.missing === null)).toBe(true);
    const events2 = (await readFile(path.join(runDir, 'nodes', '2.events.jsonl'), 'utf8')).trim().split('\n');
    expect(events2.map((line) => JSON.parse(line) as { kind: string; epoch: number }))
      .toEqual([1, 2, 3].map((epoch) => ({ timeNs: 0, node: 2, kind: 'restarted', epoch })));
    const output1 = await readFile(path.join(runDir, 'nodes', '1.log'), 'utf8');
    expect(output1).toMatch(/quorumcheck-node-entry: node1 is \d+\.\d+\.\d+\.\d+/);
    expect(output1).toContain('echo node 1 listening; voters 1@node1:9093,2@node2:9093,3@node3:9093');
  });

  it('reads a stopped node\'s event log through the archive, and says what it cannot read', async () => {
    const node3 = cluster.node(3);
    await node3.stop(1_000);
    try {
      const texts = await cluster.readLogs('/var/log/quorumd/events.jsonl');
      expect(texts.find((text) => text.nodeId === 3)?.events).toMatch(/"kind":"restarted"/);
      const missing = await cluster.readLogs('/var/log/quorumd/no-such-file.jsonl');
      expect(missing.find((text) => text.nodeId === 3)?.missing).toMatch(/event log \/var\/log\/quorumd\/no-such-file.jsonl of node 3 could not be read/);
      expect(missing.find((text) => text.nodeId === 1)?.missing).toMatch(/of node 1 could not be read/);
    } finally {
      await node3.start();
    }
    await eventually(() => readGreeting(node3.bridgeAddress, 9092));
  });

  it('stops running nodes while it collects, continues them after, and leaves paused or stopped nodes as they were', async () => {
    const [node1, node2, node3] = [cluster.node(1), cluster.node(2), cluster.node(3)];
    await node1.pause();
    await node3.kill('SIGSTOP');
    try {
      await cluster.collectLogs(runDir);
      expect(await node1.isPaused()).toBe(true);
      await expect(readGreeting(node3.bridgeAddress, 9092, 1_000)).rejects.toThrow(/no greeting/);
    } finally {
      await node1.unpause();
      await node3.kill('SIGCONT');
    }
    expect(await node2.isPaused()).toBe(false);
    expect(await readGreeting(node2.bridgeAddress, 9092)).toMatch(/^node2 /);
    expect(await readGreeting(node3.bridgeAddress, 9092)).toMatch(/^node3 /);
  });

  it('stop removes every labelled container and the network of the run', async () => {
    const runId = cluster.runId;
    expect((await listLabelledResources()).filter((resource) => resource.runId === runId).map((resource) => resource.kind).sort())
      .toEqual(['container', 'container', 'container', 'network']);
    await cluster.stop();
    expect((await listLabelledResources()).filter((resource) => resource.runId === runId)).toEqual([]);
  });
});
