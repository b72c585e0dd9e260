/**
 * npm test's file order: the files that take longest start first, then vitest's own order (its
 * cached durations where it has them, else larger files first). A fresh clone has no cache, so
 * vitest would start the CI sweep's parts and the Docker selftest (small files, minutes each)
 * last, and with two workers the run would end with one of them alone on a worker.
 *
 * The list: slowest first, from CI's fresh-clone run of 59d2dbd (vitest's JSON report, one worker,
 * load 25-40); kafka-systems first because on a machine without the reference images it builds
 * them (minutes). A file missing from the list only starts in vitest's order; a file renamed or
 * removed here is simply not found.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOWEST_FIRST = [
  'suites/containers/kafka-systems.test.ts',
  'suites/selftest-docker.test.ts',
  'test/sim/seed-sweep-part1.test.ts',
  'test/sim/seed-sweep-part2.test.ts',
  'test/sim/seed-sweep-part3.test.ts',
  'test/sim/seed-sweep-part4.test.ts',
  'test/cli/check.test.ts',
  'test/run/worlds/docker-membership.test.ts',
  'suites/stale-reads.test.ts',
  'test/node/cli/quorumd-cli.test.ts',
  'suites/partitions.test.ts',
  'suites/process-faults.test.ts',
  'suites/containers/failover.test.ts',
  'test/integration/restart-from-snapshot-under-load.test.ts',
  'test/integration/isolated-topology.test.ts',
  'test/core/metadata/image-replay.test.ts',
  'test/run/worlds/docker-world.test.ts',
  'test/harness/docker/quorumd-image.test.ts',
  'test/report/serve.test.ts',
  'test/checker/search/register-just-in-time.test.ts',
  'test/harness/cluster/quorum-cluster.test.ts',
  'test/harness/cluster/resource-cleanup.test.ts',
  'test/harness/nemesis/process-and-clock-faults.test.ts',
  'suites/containers/etcd-register.test.ts',
  'test/integration/dynamic-quorum.test.ts',
];

export default class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification): number => {
      const index = SLOWEST_FIRST.indexOf(path.relative(root, spec.moduleId));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}
