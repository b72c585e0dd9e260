import { beforeAll, describe, expect, it } from 'vitest';
import { nodeScriptProgram } from '../../../src/harness/cluster/node-program.js';
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import { listLabelledResources } from '../../../src/harness/docker/resource-labels.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';

const engine = await dockerEngineForTests();

describe.skipIf(!engine.available)('a cluster that cannot start', () => {
  let image: string;
  beforeAll(async () => {
    image = await quorumdImageForTests();
  }, imageBuildTimeoutMs);

  it("reports the failing node's own output and leaves no container or network behind", async () => {
    const runId = `failed-start-${process.pid}`;
    // It dies before its ready line, as a node that cannot open its log does (a program that
    // died just after it would race the start's running check).
    const crashing = nodeScriptProgram('crash', 'console.error("boom: cannot open the metadata log"); process.exit(3);', /is serving/);
    const start = new QuorumCluster({ image, nodeCount: 2, runId, program: crashing, startupTimeoutMs: 20_000 }).start();
    await expect(start).rejects.toThrow(/node \d \(quorumcheck-failed-start-\d+-node\d\) failed to start[\s\S]*boom: cannot open the metadata log/);
    expect((await listLabelledResources()).filter((resource) => resource.runId === runId)).toEqual([]);
  });

  it('names a missing image instead of trying a registry', async () => {
    await expect(new QuorumCluster({ image: 'quorumd:no-such-build' }).start())
      .rejects.toThrow(/image quorumd:no-such-build does not exist in the local engine; build it with ensureQuorumdImage\(\)/);
  });
});
