/**
 * Apache Kafka in KRaft mode as a system under test: 3, 5 or 7 controllers, combined
 * (`broker,controller`) or isolated roles (controllers 1..N, brokers 101..), static voters or a
 * dynamic quorum (KIP-853), the same kafkajs topic client and DescribeQuorum leader as quorumd.
 *
 * Kafka writes no event stream of ours: SingleLeader, SingleVote and MonotonicEpoch are judged
 * from outside, from the state changes the controllers log (apache-kafka/kraft-log-events.ts),
 * and SingleLeader also from DescribeQuorum polled during a run; the high-watermark and
 * committed-data invariants cannot be, and stay unjudged (apache-kafka/kafka-observed-invariants.ts
 * says why, rule by rule). Clock faults are
 * not offered: libfaketime under the JVM is not verified here.
 */
import { ensureKafkaImage } from '../apache-kafka/kafka-image.js';
import { checkKafkaNodeConfig } from '../apache-kafka/kafka-node-config.js';
import { resolveKafkaVersion } from '../apache-kafka/kafka-version.js';
import { kraftEventsFromLog } from '../apache-kafka/kraft-log-events.js';
import { kraftObservedInvariants } from '../apache-kafka/kafka-observed-invariants.js';
import { describeQuorumLeader } from '../kafka/describe-quorum-leader.js';
import { KafkajsTopicClient } from '../kafka/kafkajs-topic-client.js';
import { planKraftTopology, type SystemAdapter } from '../system-adapter.js';
import { kraftNodeProgram, type KraftQuorum } from './kraft-program.js';

export interface KafkaKraftOptions {
  /** A 4.x (or 3.9) release or line; default the newest known. */
  version?: string;
  quorum?: KraftQuorum;
}

/** Brokers of an isolated cluster by default: enough for a replication factor of 3. */
export const kraftIsolatedBrokersDefault = 3;
/** Kafka logs this when the server (broker or controller) has started. */
export const kraftReadyPattern = /Kafka Server started/;

export function kafkaKraftSystem(options: KafkaKraftOptions = {}): SystemAdapter & { readonly version: string } {
  const version = resolveKafkaVersion('kraft', options.version);
  const quorum = options.quorum ?? 'static';
  return {
    name: 'kafka-kraft',
    summary: `Apache Kafka ${version} in KRaft mode (${quorum} voters)`,
    workload: 'topics',
    model: 'topics',
    version,
    ports: { client: 9092, peer: 9093 },
    eventLogPath: null,
    clockFaults: false,
    eventsFromOutput: kraftEventsFromLog,
    observedInvariants: kraftObservedInvariants,
    ensureImage: async (imageOptions) => (await ensureKafkaImage({ mode: 'kraft', version, ...imageOptions })).image,
    planTopology: (request) => planKraftTopology(request, kraftIsolatedBrokersDefault),
    checkNodeConfig: checkKafkaNodeConfig,
    nodeProgram: (settings) => ({
      ...kraftNodeProgram({ kafkaVersion: version, quorum, properties: settings.nodeConfig }),
      readyLogPattern: () => kraftReadyPattern,
    }),
    // Brokers forward DescribeQuorum to the active controller; controller-only nodes serve no client port.
    findLeader: (endpoints, timeoutMs) => describeQuorumLeader(endpoints.filter((endpoint) => endpoint.servesClients), timeoutMs),
    openClient: async (clientOptions) => new KafkajsTopicClient(clientOptions),
  };
}
