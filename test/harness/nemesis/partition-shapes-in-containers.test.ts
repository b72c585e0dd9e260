/**
 * Every partition shape of the nemesis (src/faults/partition-shapes.ts), applied as iptables
 * grudges inside 5 containers: after each, every node's chain drops exactly the bridge addresses
 * of the nodes its grudge names, one shape replacing the last; KIP-996's ping-pong cuts and keeps
 * exactly its links as seen over TCP; healing leaves every chain empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drops, type Grudge } from '../../../src/faults/grudge.js';
import { PARTITION_SHAPES, partitionShape } from '../../../src/faults/partition-shapes.js';
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import type { StartedQuorumCluster } from '../../../src/harness/cluster/started-quorum-cluster.js';
import { applyPartition, healPartition } from '../../../src/harness/nemesis/partition.js';
import { SeededRandom } from '../../../src/sim/random.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';
import { echoNodeProgram } from '../cluster/echo-node-program.js';

const engine = await dockerEngineForTests();
const NODES = [1, 2, 3, 4, 5];
const SEED = 20_261_201;

describe.skipIf(!engine.available)('every partition shape on 5 containers', () => {
  let cluster: StartedQuorumCluster;

  beforeAll(async () => {
    cluster = await new QuorumCluster({ image: await quorumdImageForTests(), nodeCount: 5, program: echoNodeProgram() }).start();
  }, imageBuildTimeoutMs);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** node → the bridge addresses its chain drops, as iptables lists them. */
  async function droppedSources(): Promise<Map<number, string[]>> {
    const listed = await Promise.all(cluster.nodes.map(async (node) => [node.nodeId, (await node.packetFilterRules())
      .map((rule) => /^-A QUORUMCHECK -s (\S+)\/32 -j DROP$/.exec(rule)?.[1] ?? `unexpected rule: ${rule}`).sort()] as const));
    return new Map(listed);
  }

  function expectedSources(grudge: Grudge): Map<number, string[]> {
    return new Map(NODES.map((node) => [node, NODES.filter((from) => drops(grudge, from, node))
      .map((from) => cluster.node(from).bridgeAddress).sort()]));
  }

  it('each shape drops exactly the links its grudge names, each replacing the last; heal empties every chain', { timeout: 120_000 }, async () => {
    const random = SeededRandom.fromSeed(SEED);
    for (const shape of PARTITION_SHAPES) {
      const grudge = partitionShape(shape, NODES, 3, random);
      await applyPartition(cluster, grudge);
      expect(await droppedSources(), `shape ${shape} (seed ${SEED})`).toEqual(expectedSources(grudge));
    }
    await healPartition(cluster);
    for (const sources of (await droppedSources()).values()) expect(sources).toEqual([]);
  });

  it("ping-pong keeps exactly KIP-996's links (0–2, 1–3, 2–3, 2–4, 3–4) open over TCP", { timeout: 120_000 }, async () => {
    await applyPartition(cluster, partitionShape('ping-pong', NODES, null, SeededRandom.fromSeed(SEED)));
    try {
      const linked = new Set(['1-3', '2-4', '3-4', '3-5', '4-5']);
      for (const from of NODES) {
        for (const to of NODES.filter((node) => node > from)) {
          const reaches = await cluster.node(from).reaches(cluster.node(to).bridgeAddress, 9092, 1_000);
          expect(reaches, `node${from} -> node${to}`).toBe(linked.has(`${from}-${to}`));
        }
      }
    } finally {
      await healPartition(cluster);
    }
  });
});
