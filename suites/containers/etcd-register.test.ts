/**
 * etcd 3.4 (Debian's etcd-server) in containers, under the same partitions twice: the register
 * workload with serializable reads must be found non-linearizable, with linearizable reads valid.
 * Jepsen found the same: etcd's key-value operations are strict serializable, its serializable
 * reads stale.
 *
 * What makes the stale read observable every time: a follower is isolated (so the leader goes on
 * committing writes with the other node at once, instead of first losing an election), clients
 * stay pinned to their node (so the isolated node's readers keep asking it), and the partition
 * lasts seconds, hundreds of operations. A serializable read on the isolated node then returns a
 * value that a completed write on the majority had replaced: no linearization explains it, and
 * unique values make it unambiguous. A linearizable read there needs a quorum (ReadIndex), times
 * out, and is recorded as a failed read, which constrains nothing.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/check.js';
import { modelByName } from '../../src/checker/models/index.js';
import { ensureEtcdImage } from '../../src/harness/systems/etcd/etcd-image.js';
import type { EtcdReadConsistency } from '../../src/harness/systems/etcd/etcd-register-client.js';
import { etcdSystem } from '../../src/harness/systems/etcd/etcd-system.js';
import { startSystemCluster } from '../../src/harness/systems/system-cluster.js';
import { dockerEngineForTests, imageBuildTimeoutMs } from '../../test/support/docker-context.js';
import { recordRegisterHistory } from '../../test/support/etcd-register-recording.js';

const engine = await dockerEngineForTests();
const log = (line: string): void => console.log(`[etcd] ${line}`);

async function verdictUnder(image: string, reads: EtcdReadConsistency, seed: number): Promise<{ verdict: string; info: number; fail: number }> {
  await using started = await startSystemCluster({ system: etcdSystem({ reads }), topology: { voters: 3, roles: 'combined' }, image, log });
  const recording = await recordRegisterHistory({
    started, seed, keys: 2, workersPerKeyAndNode: 1, callsPerKey: 1_000_000, timeLimitMs: 7_000,
    requestTimeoutMs: 500, nemesis: { healedMs: 1_000, partitionMs: 4_000, isolate: 'follower' }, log,
  });
  log(`${reads}: seed ${seed}, ${recording.operations.length} operations, ${JSON.stringify(recording.counts)}`);
  // The adapter names its model: etcd-keyed, one etcd register per key, split by key.
  const verdict = (await checkHistory(recording.operations, modelByName(started.system.model), { timeLimitMs: 60_000 })).verdict;
  return { verdict, info: recording.counts.info, fail: recording.counts.fail };
}

describe.skipIf(!engine.available)('etcd 3.4: register workload under partitions', () => {
  it('finds serializable reads stale and linearizable reads linearizable', { timeout: imageBuildTimeoutMs }, async () => {
    const image = await ensureEtcdImage({ log });
    const seed = Number(process.env.QUORUMCHECK_SEED ?? Math.floor(Math.random() * 1e9));
    log(`seed ${seed} (replay with QUORUMCHECK_SEED=${seed})`);

    const serializable = await verdictUnder(image, 'serializable', seed);
    expect(serializable.verdict, `seed ${seed}`).toBe('invalid');

    const linearizable = await verdictUnder(image, 'linearizable', seed);
    expect(linearizable.verdict, `seed ${seed}`).toBe('valid');
    // The partition did bite: the isolated node's linearizable reads failed for want of a quorum.
    expect(linearizable.fail, `seed ${seed}`).toBeGreaterThan(0);
  });
});
