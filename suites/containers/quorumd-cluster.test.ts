/**
 * quorumd in containers, end to end: three combined-mode nodes from the quorumd image, reached
 * by kafkajs from this host. Runs once quorumd is built (dist/cli/quorumd.js); until then it is
 * skipped with a message, and the harness's own tests (test/harness/) cover the containers.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEventLogs } from '../../src/checker/invariants/event-log-reader.js';
import { describeViolation } from '../../src/checker/invariants/violation.js';
import { QuorumCluster } from '../../src/harness/cluster/quorum-cluster.js';
import type { NodeEvent } from '../../src/history/node-event.js';
import { repositoryRoot } from '../../src/harness/docker/project-paths.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../test/support/docker-context.js';
import { retryUntil as retryEvery } from './support/retry-until.js';

const engine = await dockerEngineForTests();
const quorumdBuilt = existsSync(path.join(repositoryRoot, 'dist', 'cli', 'quorumd.js'));
if (engine.available && !quorumdBuilt) {
  console.warn('suites/containers skipped: dist/cli/quorumd.js does not exist (npm run build once quorumd lands)');
}
/** An election and the first metadata records take a few election timeouts; allow plenty. */
const convergeMsMax = 60_000;

describe.skipIf(!engine.available || !quorumdBuilt)('quorumd: a 3-node cluster in containers', () => {
  let image: string;
  beforeAll(async () => {
    image = await quorumdImageForTests();
  }, imageBuildTimeoutMs);

  it('elects a controller and serves the same metadata to kafkajs from every broker', { timeout: 180_000 }, async () => {
    await using cluster = await new QuorumCluster({ image, nodeCount: 3, log: (line) => console.log(`[cluster] ${line}`) }).start();
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-suite-'));
    let passed = false;
    try {
      const creator = new Kafka({ clientId: 'quorumcheck-suite', brokers: cluster.clientAddresses(), logLevel: logLevel.NOTHING }).admin();
      await creator.connect();
      await retryUntil(convergeMsMax, () => creator.createTopics({ topics: [{ topic: 'suite-topic', numPartitions: 3 }] }));
      await creator.disconnect();
      for (const broker of cluster.clientAddresses()) {
        const admin = new Kafka({ clientId: 'quorumcheck-suite', brokers: [broker], logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        const description = await retryUntil(convergeMsMax, () => admin.describeCluster());
        expect(description.brokers.map((entry) => entry.nodeId).sort()).toEqual([1, 2, 3]);
        expect([1, 2, 3]).toContain(description.controller);
        expect(await retryUntil(convergeMsMax, async () => {
          const topics = await admin.listTopics();
          if (!topics.includes('suite-topic')) throw new Error(`broker ${broker} does not list suite-topic yet`);
          return topics;
        })).toContain('suite-topic');
        await admin.disconnect();
      }
      // Every node's event stream reaches the run directory, for the checker's invariants.
      const collected = await cluster.collectLogs(runDir);
      for (const { eventsPath, nodeId } of collected) {
        const events = (await readFile(eventsPath ?? `node ${nodeId} has no event log`, 'utf8')).trim().split('\n')
          .map((line) => JSON.parse(line) as NodeEvent);
        expect(events.every((event) => event.node === nodeId)).toBe(true);
        expect(events.some((event) => event.kind === 'epoch-changed')).toBe(true);
      }
      // ...and together they break no Raft invariant.
      const violations = await checkEventLogs(collected.map(({ eventsPath }) => eventsPath ?? 'missing'), [1, 2, 3]);
      expect(violations.map(describeViolation)).toEqual([]);
      passed = true;
    } finally {
      // Logs are kept only when they are needed: to read why the suite failed.
      if (passed) {
        await rm(runDir, { recursive: true, force: true });
      } else {
        await cluster.collectLogs(runDir);
        console.log(`node logs of the failed run ${cluster.runId}: ${runDir}`);
      }
    }
  });
});

/** The suite's pause between tries: 500 ms. */
function retryUntil<T>(deadlineMs: number, attempt: () => Promise<T>): Promise<T> {
  return retryEvery(deadlineMs, attempt, 500);
}
