/**
 * The comparison's client load: processes that create, delete and describe topics through the
 * system's own client (kafkajs for quorumd and both Kafka modes), each operation recorded. Topic
 * names are unique per process, so a create's answer is unambiguous. After an indeterminate
 * answer (`info`) the process is retired and a new one continues, as in Jepsen.
 *
 * With `reads: 'none'` the load only writes (create, delete): their answers are decided by the
 * controller in every system. With reads, a third of the operations describe a topic some
 * process created, through whichever broker the client asks (see the report's note on reads).
 */
import type { StartedSystemCluster } from '../harness/systems/system-cluster.js';
import type { OperationClient } from '../harness/systems/system-adapter.js';
import { SeededRandom } from '../sim/random.js';
import type { CompareRecorder } from './history-recorder.js';

export type ReadMode = 'none' | 'any-broker';

/**
 * Every topic of the comparison has 2 replicas on the 3-node clusters. With one, a Kafka
 * partition whose only broker is cut off has no leader, and kafkajs' metadata refresh before
 * each admin call then fails every later call with LEADER_NOT_AVAILABLE (measuring the client's
 * bookkeeping, not the failover). With three, once Kafka has fenced (KRaft) or unregistered
 * (ZooKeeper mode) the faulted node's broker, no topic can be placed at all:
 * INVALID_REPLICATION_FACTOR until the node is back. Two survive one node down either way.
 */
export const compareReplicationFactor = 2;

export interface TopicWorkloadOptions {
  started: StartedSystemCluster;
  recorder: CompareRecorder;
  concurrency: number;
  seed: number;
  reads: ReadMode;
  requestTimeoutMs: number;
  /** Process ids start here (the failover probes use others). */
  firstProcess?: number;
}

export interface TopicWorkload {
  /** Stops invoking; resolves when every process's last operation completed. */
  stop(): Promise<void>;
  /** Operations answered `ok` so far. */
  okCount(): number;
}

export function startTopicWorkload(options: TopicWorkloadOptions): TopicWorkload {
  const random = SeededRandom.fromSeed(options.seed);
  const created: string[] = [];
  let ok = 0;
  let stopping = false;
  const firstProcess = options.firstProcess ?? 0;

  async function runProcess(slot: number): Promise<void> {
    let process = firstProcess + slot;
    let sequence = 0;
    let client: OperationClient = await options.started.openClient(process, options.requestTimeoutMs);
    try {
      while (!stopping) {
        const draw = random.nextFloat();
        let f: string;
        let value: unknown;
        if (options.reads !== 'none' && draw < 0.34 && created.length > 0) {
          f = 'describe-topic';
          value = { name: created[random.intBelow(created.length)]! };
        } else if (draw > 0.8 && created.length > 0) {
          f = 'delete-topic';
          value = { name: created.splice(random.intBelow(created.length), 1)[0]! };
        } else {
          f = 'create-topic';
          sequence += 1;
          value = { name: `w${process}-${sequence}`, partitions: 1, replicationFactor: compareReplicationFactor };
        }
        options.recorder.record({ type: 'invoke', process, f, value });
        const completion = await client.invoke(f, value);
        if (completion.type === 'ok') {
          ok += 1;
          options.recorder.record({ type: 'ok', process, f, value: completion.value, ...(completion.node === undefined ? {} : { node: completion.node }) });
          if (f === 'create-topic' && (completion.value as { created?: boolean }).created === true) created.push((value as { name: string }).name);
        } else {
          options.recorder.record({ type: completion.type, process, f, value, error: completion.error });
        }
        if (completion.type === 'info') {
          await client.close();
          process += options.concurrency;
          client = await options.started.openClient(process, options.requestTimeoutMs);
        }
      }
    } finally {
      await client.close();
    }
  }

  const processes = Array.from({ length: options.concurrency }, (_, slot) => runProcess(slot));
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(processes);
    },
    okCount: () => ok,
  };
}
