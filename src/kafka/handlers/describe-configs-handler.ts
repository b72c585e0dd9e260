/**
 * DescribeConfigs (key 32). Topics: every config quorumd knows (topic-configs.ts), the ones set
 * on the topic with source TOPIC_CONFIG and the rest with their defaults (DEFAULT_CONFIG), as
 * Kafka lists them; filtered by the requested keys (null or empty: all). Brokers (and broker
 * loggers): an empty set, since quorumd has no dynamic broker configs, rather than an error that
 * would break admin tools asking about every broker. Any other resource type is INVALID_REQUEST.
 */
import { TOPIC_CONFIG_RULES, topicNameProblem, type DescribeConfigsReply } from '../../core/metadata/index.js';
import {
  ConfigResourceType, ConfigSource, type DescribeConfigsRequest, type DescribeConfigsResource,
  type DescribeConfigsResourceConfig, type DescribeConfigsResponse, type DescribeConfigsResult,
} from '../apis/describe-configs/index.js';
import type { ResolvedHandlerOptions } from './handler-options.js';
import { answerOf, kafkaError, NO_ERROR, type KafkaError } from './kafka-answer.js';
import type { MetadataPort } from './metadata-port.js';
import { answersOf } from './answers-of.js';
import { submitWithRetry } from './submit-with-retry.js';

export async function handleDescribeConfigs(
  port: MetadataPort, options: ResolvedHandlerOptions, request: DescribeConfigsRequest,
): Promise<DescribeConfigsResponse> {
  const results = await answersOf(request.resources.map((resource) => describeResource(port, options, resource, request.includeSynonyms)));
  return { throttleTimeMs: 0, results };
}

async function describeResource(
  port: MetadataPort, options: ResolvedHandlerOptions, resource: DescribeConfigsResource, includeSynonyms: boolean,
): Promise<DescribeConfigsResult> {
  const answer = (error: KafkaError | typeof NO_ERROR, configs: DescribeConfigsResourceConfig[] = []): DescribeConfigsResult => ({
    ...error, resourceType: resource.resourceType, resourceName: resource.resourceName, configs,
  });
  switch (resource.resourceType) {
    case ConfigResourceType.BROKER:
    case ConfigResourceType.BROKER_LOGGER:
      if (resource.resourceName !== '' && !/^[0-9]+$/.test(resource.resourceName)) {
        return answer(kafkaError('INVALID_REQUEST', `Broker id must be an integer, got "${resource.resourceName}".`));
      }
      return answer(NO_ERROR);
    case ConfigResourceType.TOPIC:
      break;
    default:
      return answer(kafkaError('INVALID_REQUEST', `Unsupported resource type ${resource.resourceType}; quorumd describes topics and brokers.`));
  }
  const nameProblem = topicNameProblem(resource.resourceName);
  if (nameProblem !== null) return answer(kafkaError('INVALID_TOPIC_EXCEPTION', nameProblem));
  const response = await submitWithRetry(
    port, options.clock, { type: 'describeConfigs', name: resource.resourceName }, options.defaultRequestTimeoutMs, options.readConsistency,
  );
  const read = answerOf<DescribeConfigsReply>(response, `Describing configs of topic ${resource.resourceName}`);
  if (!read.ok) return answer(read);
  return answer(NO_ERROR, topicConfigs(read.reply.configs, resource.configurationKeys, includeSynonyms));
}

/** The topic configs quorumd knows, in name order: listed and sorted once, not for every DescribeConfigs. */
const TOPIC_CONFIG_NAMES: readonly string[] = Object.freeze(Object.keys(TOPIC_CONFIG_RULES).sort());

function topicConfigs(set: Record<string, string>, keys: string[] | null, includeSynonyms: boolean): DescribeConfigsResourceConfig[] {
  const wanted = keys === null || keys.length === 0 ? null : new Set(keys);
  const names = wanted === null ? TOPIC_CONFIG_NAMES : TOPIC_CONFIG_NAMES.filter((name) => wanted.has(name));
  return names.map((name) => {
    const defaultValue = TOPIC_CONFIG_RULES[name]!.defaultValue;
    const isSet = Object.hasOwn(set, name);
    const configSource = isSet ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG;
    const synonyms = !includeSynonyms ? [] : [
      ...(isSet ? [{ name, value: set[name]!, source: ConfigSource.TOPIC_CONFIG }] : []),
      { name, value: defaultValue, source: ConfigSource.DEFAULT_CONFIG },
    ];
    return {
      name, value: isSet ? set[name]! : defaultValue, readOnly: false, isDefault: !isSet, configSource, isSensitive: false, synonyms,
    };
  });
}
