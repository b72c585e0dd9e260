/**
 * The simulated broker's Kafka front. A topic operation of the history vocabulary (history/topic-operations.ts) as the Kafka request
 * an admin client sends for it, run through quorumd's own Kafka request handlers
 * (src/kafka/handlers: forwarding, retries, error mapping), and the answer read back as a client
 * reads it: one topic's error name, and on success the value in the history's vocabulary. The
 * simulator's clients use this, so simulated histories are recorded at the layer kafkajs sees;
 * the handlers run on the simulation's clock (handlerOptionsFor).
 *
 * The requests are the ones kafkajs's admin client sends: CreateTopics, DeleteTopics,
 * CreatePartitions, (non-incremental) AlterConfigs, DescribeConfigs of a topic, and Metadata
 * for describe and list.
 */
import type { ClientResponse } from '../core/host-interface.js';
import type { MetadataImage, MetadataOperation } from '../core/metadata/index.js';
import type { MetadataPort, SubmitOptions } from '../kafka/handlers/metadata-port.js';
import type { ResponseListener, SimMetadataPort } from './sim-metadata-port.js';
import { resolveHandlerOptions, type ResolvedHandlerOptions } from '../kafka/handlers/handler-options.js';
import type { HandlerClock } from '../kafka/handlers/handler-clock.js';
import { handleAlterConfigs } from '../kafka/handlers/alter-configs-handler.js';
import { handleCreatePartitions } from '../kafka/handlers/create-partitions-handler.js';
import { handleCreateTopics } from '../kafka/handlers/create-topics-handler.js';
import { handleDeleteTopics } from '../kafka/handlers/delete-topics-handler.js';
import { handleDescribeConfigs } from '../kafka/handlers/describe-configs-handler.js';
import { handleMetadata } from '../kafka/handlers/metadata-handler.js';
import { ConfigResourceType, ConfigSource } from '../kafka/apis/describe-configs/index.js';
import { errorName } from '../kafka/protocol/error-codes.js';
import { UnanswerableRequest } from '../kafka/server/request-handler.js';
import type { KafkaOutcome } from '../history/kafka-completion.js';
import type {
  AlterConfigInput, CreatePartitionsInput, CreateTopicInput, DeleteTopicInput, DescribeConfigsInput, DescribeTopicInput, TopicFunction,
} from '../history/topic-operations.js';

/** The timeout a client puts in requests that carry one: a little under its own, as kafkajs does. */
export interface RequestTiming {
  requestTimeoutMs: number;
}

/**
 * The handler options of a simulated broker, as quorumd's front sets them: reads as the node's
 * `metadata.read.consistency` says (linearizable unless set), requests without a timeout of
 * their own given the client's.
 */
export function handlerOptionsFor(clock: HandlerClock, readConsistency: 'linearizable' | 'cached', requestTimeoutMs: number): ResolvedHandlerOptions {
  return resolveHandlerOptions({ clock, readConsistency, defaultRequestTimeoutMs: requestTimeoutMs });
}

/**
 * Runs `f(value)` through the handlers on `port` and reads the answer as a Kafka client would. A
 * request the front would not answer (UnanswerableRequest: it closes the connection) is a closed
 * connection to the client.
 */
export async function serveTopicOperation(
  port: SimMetadataPort, options: ResolvedHandlerOptions, timing: RequestTiming, f: TopicFunction, value: unknown,
): Promise<ServedOperation> {
  const served: ServedOperation = { outcome: { kind: 'answer', errorName: null } };
  try {
    served.outcome = await serve(acknowledging(port, served), options, timing, f, value);
  } catch (error) {
    if (!(error instanceof UnanswerableRequest)) throw error;
    served.outcome = { kind: 'transport', outcome: 'connection-closed', detail: error.message };
  }
  return served;
}

/**
 * Several create-topic operations as one CreateTopics request (a kafkajs createTopics of several
 * topics): what each topic came to, in order. A request the front would not answer closes the
 * connection for all of them.
 */
export async function serveCreateTopics(
  port: SimMetadataPort, options: ResolvedHandlerOptions, timing: RequestTiming, inputs: readonly CreateTopicInput[],
): Promise<ServedOperation[]> {
  const served: ServedOperation = { outcome: { kind: 'answer', errorName: null } };
  try {
    const response = await handleCreateTopics(acknowledging(port, served), options, {
      topics: inputs.map((input) => creatableTopic(input)), timeoutMs: timing.requestTimeoutMs, validateOnly: false,
    });
    return inputs.map((input, i) => {
      const topic = response.topics[i];
      const outcome = topic?.name === input.name ? answer(topic.errorCode, { created: true }) : answer(undefined, null);
      // Only a topic the batch created was acknowledged at the batch's offset.
      return outcome.kind === 'answer' && outcome.errorName === null && served.committed !== undefined
        ? { outcome, committed: served.committed } : { outcome };
    });
  } catch (error) {
    if (!(error instanceof UnanswerableRequest)) throw error;
    return inputs.map(() => ({ outcome: { kind: 'transport', outcome: 'connection-closed', detail: error.message } }));
  }
}

function creatableTopic(input: CreateTopicInput) {
  return {
    name: input.name, numPartitions: input.partitions, replicationFactor: input.replicationFactor ?? -1, assignments: [],
    configs: configList(input.configs),
  };
}

/**
 * A topic's configs as the request lists them, in the object's key order (Object.entries's order),
 * without the [name, value] array per config and the list of them that Object.entries made.
 */
function configList(configs: Readonly<Record<string, string>> | undefined): { name: string; value: string }[] {
  const list: { name: string; value: string }[] = [];
  if (configs === undefined) return list;
  for (const name of Object.keys(configs)) list.push({ name, value: configs[name]! });
  return list;
}

/**
 * What a client's operation came to, and, for a write the quorum committed, where the metadata
 * log put it: the simulator knows what a Kafka client cannot, for "no acknowledged write lost".
 */
export interface ServedOperation {
  outcome: KafkaOutcome;
  committed?: { committedOffset: number; committedEpoch: number };
}

/** The port, noting in `served` where the last committed write of this operation landed. */
function acknowledging(port: SimMetadataPort, served: ServedOperation): MetadataPort {
  return new AcknowledgingPort(port, served);
}

/**
 * A simulated node's port for one client operation. A class, not an object of closures: one is
 * made for every operation. The port tells it each response as it settles the submission
 * (`heard`), so noting the offset costs the handler no extra turn of the microtask queue.
 */
class AcknowledgingPort implements MetadataPort, ResponseListener {
  readonly clusterId: string;
  readonly nodeId: number;

  constructor(private readonly port: SimMetadataPort, private readonly served: ServedOperation) {
    this.clusterId = port.clusterId;
    this.nodeId = port.nodeId;
  }

  heard(response: ClientResponse): void {
    if (response.outcome === 'ok' && response.committedOffset !== undefined && response.committedEpoch !== undefined) {
      this.served.committed = { committedOffset: response.committedOffset, committedEpoch: response.committedEpoch };
    }
  }

  submit<Op extends MetadataOperation>(operation: Op, options?: SubmitOptions): Promise<ClientResponse<Op['type']>> {
    return this.port.submit(operation, options, this);
  }

  describeQuorum(timeoutMs?: number): Promise<ClientResponse<'describeQuorum'>> {
    return this.port.describeQuorum(timeoutMs);
  }

  localImage(): MetadataImage {
    return this.port.localImage();
  }

  controllerIdForClients(): number {
    return this.port.controllerIdForClients();
  }

  hostNowMs(): number {
    return this.port.hostNowMs();
  }
}

async function serve(
  port: MetadataPort, options: ResolvedHandlerOptions, timing: RequestTiming, f: TopicFunction, value: unknown,
): Promise<KafkaOutcome> {
  const timeoutMs = timing.requestTimeoutMs;
  switch (f) {
    case 'create-topic': {
      const input = value as CreateTopicInput;
      const response = await handleCreateTopics(port, options, { topics: [creatableTopic(input)], timeoutMs, validateOnly: false });
      return answer(response.topics[0]?.errorCode, { created: true });
    }
    case 'delete-topic': {
      const response = await handleDeleteTopics(port, options, { topicNames: [(value as DeleteTopicInput).name], timeoutMs });
      return answer(response.responses[0]?.errorCode, { deleted: true });
    }
    case 'create-partitions': {
      const input = value as CreatePartitionsInput;
      const response = await handleCreatePartitions(port, options, {
        topics: [{ name: input.name, count: input.count, assignments: null }], timeoutMs, validateOnly: false,
      });
      return answer(response.results[0]?.errorCode, { partitions: input.count });
    }
    case 'alter-config': {
      const input = value as AlterConfigInput;
      const response = await handleAlterConfigs(port, options, {
        resources: [{
          resourceType: ConfigResourceType.TOPIC, resourceName: input.name,
          configs: configList(input.configs),
        }],
        validateOnly: false,
      });
      return answer(response.responses[0]?.errorCode, { altered: true });
    }
    case 'describe-topic': {
      const name = (value as DescribeTopicInput).name;
      const response = await handleMetadata(port, options, { topics: [name], allowAutoTopicCreation: false });
      const topic = response.topics.find((candidate) => candidate.name === name);
      if (topic === undefined) return { kind: 'answer', errorName: 'UNKNOWN_SERVER_ERROR', message: `Metadata did not list topic ${name}` };
      return answer(topic.errorCode, { name, partitions: topic.partitions.length });
    }
    case 'describe-configs': {
      const name = (value as DescribeConfigsInput).name;
      const response = await handleDescribeConfigs(port, options, {
        resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: name, configurationKeys: null }], includeSynonyms: false,
      });
      const result = response.results[0];
      // The history's describe-configs value holds only what is set on the topic, not defaults.
      const configs: Record<string, string> = {};
      for (const config of result?.configs ?? []) {
        if (config.configSource === ConfigSource.TOPIC_CONFIG && config.value !== null) configs[config.name] = config.value;
      }
      return answer(result?.errorCode, { configs });
    }
    case 'list-topics': {
      const response = await handleMetadata(port, options, { topics: null, allowAutoTopicCreation: false });
      // A broker that could not take its read index marks every topic; the list is then not an answer.
      const failed = response.topics.find((topic) => topic.errorCode !== 0);
      if (failed !== undefined) return answer(failed.errorCode, null);
      return answer(0, { topics: response.topics.map((topic) => topic.name).sort() });
    }
  }
}

function answer(errorCode: number | undefined, value: unknown): KafkaOutcome {
  if (errorCode === undefined) return { kind: 'answer', errorName: 'UNKNOWN_SERVER_ERROR', message: 'the response held no result' };
  return errorCode === 0 ? { kind: 'answer', errorName: null, value } : { kind: 'answer', errorName: errorName(errorCode) };
}
