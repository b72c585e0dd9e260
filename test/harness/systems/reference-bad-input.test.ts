/**
 * Bad input to the reference systems ends in a clear error that names what was wrong, and leaves
 * nothing running: a version Maven Central does not have, an image whose recipe cannot be built,
 * and a Kafka whose JVM refuses its configuration at start. (Unknown systems and versions are
 * refused before anything starts: see kafka-systems.test.ts and etcd-system.test.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLabelledResources } from '../../../src/harness/docker/resource-labels.js';
import { dockerRecipeDir } from '../../../src/harness/docker/project-paths.js';
import { kafkaKraftSystem } from '../../../src/harness/systems/kafka-kraft/kraft-system.js';
import { ClassPathFetchError, ensureClassPath } from '../../../src/harness/systems/reference/maven-class-path.js';
import { ensureSystemImage, SystemImageBuildError } from '../../../src/harness/systems/reference/system-image.js';
import { startSystemCluster } from '../../../src/harness/systems/system-cluster.js';
import { dockerEngineForTests, imageBuildTimeoutMs } from '../../support/docker-context.js';

const engine = await dockerEngineForTests();
const log = (line: string): void => console.log(`[bad-input] ${line}`);

describe('reference systems: bad input', () => {
  it('names the artifact and version Maven Central does not have', { timeout: 180_000 }, async () => {
    const cacheHome = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-maven-'));
    const previous = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cacheHome;
    try {
      const fetching = ensureClassPath({ name: 'kafka', version: '0.0.404', pom: 'kafka/pom.xml', properties: { 'kafka.version': '0.0.404' }, log });
      await expect(fetching).rejects.toThrow(ClassPathFetchError);
      await expect(fetching).rejects.toThrow(/cannot fetch kafka 0.0.404 from Maven Central: .*org\.apache\.kafka:kafka_2\.13:jar:0\.0\.404/s);
    } finally {
      if (previous === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = previous;
      await rm(cacheHome, { recursive: true, force: true });
    }
  });

  it.skipIf(!engine.available)('names the image and the recipe that cannot be built, with Docker\'s reason', { timeout: 120_000 }, async () => {
    const lib = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-lib-'));
    try {
      const building = ensureSystemImage({
        repository: 'quorumcheck-kafka', tagPrefix: 'bad-input', dockerfile: 'kafka/kafka.Dockerfile',
        buildArgs: { JVM_IMAGE: 'quorumcheck-no-such-image:none' },
        directories: { lib },
        files: { 'quorumcheck-node-entry': path.join(dockerRecipeDir, 'bin', 'quorumcheck-node-entry') },
        log,
      });
      await expect(building).rejects.toThrow(SystemImageBuildError);
      await expect(building).rejects.toThrow(/cannot build image quorumcheck-kafka:bad-input-\w+ from docker\/kafka\/kafka.Dockerfile \(JVM_IMAGE=quorumcheck-no-such-image:none\): .*registry/s);
    } finally {
      await rm(lib, { recursive: true, force: true });
    }
  });

  it.skipIf(!engine.available)('reports a Kafka JVM that refuses to start, with its words, and removes the cluster', { timeout: imageBuildTimeoutMs }, async () => {
    const system = kafkaKraftSystem();
    const image = await system.ensureImage({ log });
    const runId = `bad-input-${process.pid}`;
    const starting = startSystemCluster({
      system, topology: { voters: 1, roles: 'combined' }, image, runId, startupTimeoutMs: 180_000, log,
      nodeConfig: { 'num.network.threads': '0' },
    });
    await expect(starting).rejects.toThrow(/node 1 .*num\.network\.threads/s);
    expect((await listLabelledResources()).filter((resource) => resource.runId === runId)).toEqual([]);
  });
});
