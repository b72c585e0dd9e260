/**
 * Records an etcd register history on a running etcd cluster: workers (a few per key and node,
 * each pinned to one node) run the register workload through EtcdRegisterClient while a nemesis
 * isolates one node at a time (symmetric, by iptables inside the containers), rotating over the
 * nodes. Every operation is recorded in the one history format; after an `info` the worker goes
 * on as a new process, as Jepsen retires an indeterminate process.
 *
 * With serializable reads (the adapter's `reads`), the clients of an isolated node keep reading from its own store
 * while the majority's writes complete: the stale reads that make the history non-linearizable.
 * With linearizable reads, those reads time out instead (a `fail`), and the history is valid.
 *
 * Used by the etcd container suite and by the fixture recorder (test/harness/etcd/).
 */
import type { StartedSystemCluster } from '../../src/harness/systems/system-cluster.js';
import type { OperationClient, OperationCompletion } from '../../src/harness/systems/system-adapter.js';
import { RegisterWorkload } from '../../src/run/register-workload.js';
import { describeGrudge } from '../../src/faults/grudge.js';
import { isolate } from '../../src/faults/partition-shapes.js';
import type { Operation } from '../../src/history/operation.js';
import { mulberry32 } from './mulberry32.js';

export interface RegisterRecordingOptions {
  /** A started etcd cluster (its adapter says how reads are made). */
  started: StartedSystemCluster;
  seed: number;
  keys?: number;
  /** Workers per key and node (default 2: 3 keys × 3 nodes × 2 = 18 workers). */
  workersPerKeyAndNode?: number;
  /** Stop invoking once every key has this many calls (default 3000). */
  callsPerKey?: number;
  /** Stop invoking after this long regardless (default 120 s). */
  timeLimitMs?: number;
  requestTimeoutMs?: number;
  /**
   * Nemesis cycle: whole network for healedMs, then one node isolated for partitionMs. The node
   * is each in turn (`rotate`, the default) or a follower (`follower`: the leader goes on
   * committing with the rest, so the isolated node falls behind at once). Null: no faults.
   */
  nemesis?: { healedMs: number; partitionMs: number; isolate?: 'rotate' | 'follower' } | null;
  log?: (line: string) => void;
}

export interface RegisterRecording {
  operations: Operation[];
  /** Completed calls by type, and the calls invoked per key. */
  counts: { ok: number; fail: number; info: number; perKey: Record<string, number> };
  wallMs: number;
}

export async function recordRegisterHistory(options: RegisterRecordingOptions): Promise<RegisterRecording> {
  const log = options.log ?? (() => {});
  const random = mulberry32(options.seed);
  const nodes = options.started.endpoints().filter((endpoint) => endpoint.servesClients);
  const workload = new RegisterWorkload(random, { keys: options.keys ?? 3, workersPerKeyGroup: nodes.length });
  const callsPerKey = options.callsPerKey ?? 3000;
  const timeLimitMs = options.timeLimitMs ?? 120_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 500;
  const nodeIds = nodes.map((node) => node.nodeId);
  const perNode = options.workersPerKeyAndNode ?? 2;
  const workerCount = workload.keyCount * nodes.length * perNode;

  const operations: Operation[] = [];
  const startedNs = process.hrtime.bigint();
  const nowNs = (): number => Number(process.hrtime.bigint() - startedNs);
  const record = (op: Omit<Operation, 'index' | 'timeNs'>): void => {
    operations.push({ index: operations.length, timeNs: nowNs(), ...op });
  };
  const counts = { ok: 0, fail: 0, info: 0, perKey: {} as Record<string, number> };
  const startedMs = Date.now();
  let stopping = false;
  const keyDone = (key: string): boolean => (counts.perKey[key] ?? 0) >= callsPerKey;

  async function runWorker(worker: number): Promise<void> {
    // Worker w works on one key; the adapter pins process p to node p mod nodes, and a worker's
    // later processes (w + k * workers) keep its node, since workers is a multiple of nodes.
    const key = workload.keyOf(worker);
    let process = worker;
    const open = (): Promise<OperationClient> => options.started.openClient(process, requestTimeoutMs);
    let client = await open();
    try {
      while (!stopping && !keyDone(key) && Date.now() - startedMs < timeLimitMs) {
        const invocation = workload.next(worker);
        counts.perKey[key] = (counts.perKey[key] ?? 0) + 1;
        const node = nodes[process % nodes.length]!.nodeId;
        record({ type: 'invoke', process, f: invocation.f, value: invocation.value, node });
        const completion: OperationCompletion = await client.invoke(invocation.f, invocation.value);
        counts[completion.type] += 1;
        record(completion.type === 'ok'
          ? { type: 'ok', process, f: invocation.f, value: completion.value, node }
          : { type: completion.type, process, f: invocation.f, value: invocation.value, node, error: completion.error });
        workload.observe(worker, invocation, completion);
        if (completion.type === 'info') {
          // The process's operation may still take effect: a new process continues the worker.
          process += workerCount;
          await client.close();
          client = await open();
        }
      }
    } finally {
      await client.close();
    }
  }

  async function chooseTarget(turn: number, isolateWhom: 'rotate' | 'follower'): Promise<number> {
    const inTurn = nodeIds[turn % nodeIds.length]!;
    if (isolateWhom === 'rotate') return inTurn;
    const leader = await options.started.findLeader(5_000);
    return nodeIds.find((id) => id !== leader?.leaderId && id >= inTurn) ?? nodeIds.find((id) => id !== leader?.leaderId)!;
  }

  async function runNemesis(cycle: NonNullable<RegisterRecordingOptions['nemesis']>): Promise<void> {
    let turn = 0;
    while (!stopping) {
      await sleepUnless(cycle.healedMs, () => stopping);
      if (stopping) break;
      const target = await chooseTarget(turn, cycle.isolate ?? 'rotate');
      turn += 1;
      const grudge = isolate(nodeIds, target);
      record({ type: 'info', process: 'nemesis', f: 'start-partition', value: { shape: 'isolate', grudge: describeGrudge(grudge) } });
      await options.started.cluster.packetFilters.setGrudge(grudge);
      log(`nemesis: node ${target} isolated`);
      await sleepUnless(cycle.partitionMs, () => stopping);
      await options.started.cluster.packetFilters.healAll();
      record({ type: 'info', process: 'nemesis', f: 'stop-partition', value: null });
      log('nemesis: healed');
    }
  }

  const nemesis = options.nemesis === null || options.nemesis === undefined ? Promise.resolve() : runNemesis(options.nemesis);
  await Promise.all(Array.from({ length: workerCount }, (_, worker) => runWorker(worker)));
  stopping = true;
  await nemesis;
  return { operations, counts, wallMs: Date.now() - startedMs };
}

async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const endMs = Date.now() + ms;
  while (!stop() && Date.now() < endMs) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, endMs - Date.now())));
  }
}
