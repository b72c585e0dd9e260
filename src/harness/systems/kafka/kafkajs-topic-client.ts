/**
 * One logical process as a kafkajs Admin: the history's topic operations
 * (src/history/topic-operations.ts) as kafkajs calls, one at a time, each completed through the
 * shared mapping (src/history/kafka-completion.ts). For any system that speaks Kafka's admin
 * APIs: quorumd, and Kafka itself.
 *
 * kafkajs is told never to retry (`retries: 0`): a retry after a lost answer would turn "created"
 * into TOPIC_ALREADY_EXISTS and the history would lie. One call is one request (plus the metadata
 * refresh kafkajs does before each admin write, a read). The admin connects on the first
 * operation, so a process opened while a node is down fails that operation (not sent) instead
 * of failing to exist.
 */
import kafkajs, { type Admin } from 'kafkajs';
import { kafkaCompletion } from '../../../history/kafka-completion.js';
import type {
  AlterConfigInput, CreatePartitionsInput, CreateTopicInput, DeleteTopicInput, DescribeConfigsInput, DescribeTopicInput, TopicFunction,
} from '../../../history/topic-operations.js';
import { TOPIC_FUNCTIONS } from '../../../history/topic-operations.js';
import type { ClientOptions, OperationClient, OperationCompletion } from '../system-adapter.js';
import { kafkajsOutcome } from './kafkajs-outcome.js';

// kafkajs is CommonJS: Node's ESM loader sees only some of its exports by name (not
// ConfigResourceTypes), so everything is taken from the default export.
const { ConfigResourceTypes, Kafka, logLevel } = kafkajs;

/** Kafka's ConfigSource for a value set on the topic itself (DYNAMIC_TOPIC_CONFIG). */
const topicConfigSource = 1;

export class KafkajsTopicClient implements OperationClient {
  private readonly admin: Admin;
  private connected = false;

  constructor(private readonly options: ClientOptions) {
    const brokers = options.endpoints.filter((endpoint) => endpoint.servesClients).map((endpoint) => endpoint.clientAddress);
    if (brokers.length === 0) throw new RangeError('a Kafka client needs at least one client-serving node');
    // Each process starts from a different broker, so bootstrap load and stale views spread out.
    const shift = options.process % brokers.length;
    this.admin = new Kafka({
      clientId: `quorumcheck-p${options.process}`,
      brokers: [...brokers.slice(shift), ...brokers.slice(0, shift)],
      logLevel: logLevel.NOTHING,
      connectionTimeout: Math.min(options.requestTimeoutMs, 3_000),
      requestTimeout: options.requestTimeoutMs,
      enforceRequestTimeout: true,
      retry: { retries: 0 },
    }).admin({ retry: { retries: 0 } });
  }

  async invoke(f: string, value: unknown): Promise<OperationCompletion> {
    if (!(TOPIC_FUNCTIONS as readonly string[]).includes(f)) {
      throw new RangeError(`the Kafka client runs topic operations (${TOPIC_FUNCTIONS.join(', ')}), not '${f}'`);
    }
    const topicFunction = f as TopicFunction;
    try {
      if (!this.connected) {
        await this.admin.connect();
        this.connected = true;
      }
      return kafkaCompletion(topicFunction, { kind: 'answer', errorName: null, value: await this.call(topicFunction, value) });
    } catch (error) {
      return kafkaCompletion(topicFunction, kafkajsOutcome(topicFunction, error));
    }
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => {});
  }

  /** The call for `f`; resolves with the ok value in the history's vocabulary, throws kafkajs' error. */
  private async call(f: TopicFunction, value: unknown): Promise<unknown> {
    const timeout = this.options.requestTimeoutMs;
    switch (f) {
      case 'create-topic': {
        const input = value as CreateTopicInput;
        const created = await this.admin.createTopics({
          waitForLeaders: false,
          timeout,
          topics: [{
            topic: input.name,
            numPartitions: input.partitions,
            replicationFactor: input.replicationFactor ?? -1,
            configEntries: Object.entries(input.configs ?? {}).map(([name, configValue]) => ({ name, value: configValue })),
          }],
        });
        // kafkajs answers false for TOPIC_ALREADY_EXISTS rather than throwing it.
        return created ? { created: true } : { error: 'TOPIC_ALREADY_EXISTS' };
      }
      case 'delete-topic':
        await this.admin.deleteTopics({ topics: [(value as DeleteTopicInput).name], timeout });
        return { deleted: true };
      case 'create-partitions': {
        const input = value as CreatePartitionsInput;
        await this.admin.createPartitions({ topicPartitions: [{ topic: input.name, count: input.count }], timeout });
        return { partitions: input.count };
      }
      case 'alter-config': {
        const input = value as AlterConfigInput;
        await this.admin.alterConfigs({
          validateOnly: false,
          resources: [{
            type: ConfigResourceTypes.TOPIC,
            name: input.name,
            configEntries: Object.entries(input.configs).map(([name, configValue]) => ({ name, value: configValue })),
          }],
        });
        return { altered: true };
      }
      case 'describe-topic': {
        const name = (value as DescribeTopicInput).name;
        const metadata = await this.admin.fetchTopicMetadata({ topics: [name] });
        const topic = metadata.topics.find((entry) => entry.name === name);
        if (topic === undefined) return { error: 'UNKNOWN_TOPIC_OR_PARTITION' };
        return { name, partitions: topic.partitions.length };
      }
      case 'describe-configs': {
        const name = (value as DescribeConfigsInput).name;
        const described = await this.admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name }] });
        const entries = described.resources.find((resource) => resource.resourceName === name)?.configEntries ?? [];
        const configs: Record<string, string> = {};
        for (const entry of entries) {
          const source = (entry as { configSource?: number }).configSource;
          const setOnTopic = source === undefined ? !entry.isDefault : source === topicConfigSource;
          if (setOnTopic) configs[entry.configName] = entry.configValue;
        }
        return { configs };
      }
      case 'list-topics':
        return { topics: (await this.admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort() };
    }
  }
}
