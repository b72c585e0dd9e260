/**
 * AlterConfigs (key 33), the legacy non-incremental one: a topic's configs are replaced as a
 * whole (keys left out return to their defaults), one alterConfigs write per topic, as KRaft's
 * controller handles it. A null value is INVALID_CONFIG, a resource named twice INVALID_REQUEST,
 * and broker configs are not alterable here (INVALID_REQUEST: quorumd has no dynamic broker
 * configs). AlterConfigs has no timeout field: the handler's default applies.
 */
import type { AlterConfigsOperation } from '../../core/metadata/index.js';
import {
  type AlterConfigsRequest, type AlterConfigsResource, type AlterConfigsResourceResponse, type AlterConfigsResponse,
} from '../apis/alter-configs/index.js';
import { ConfigResourceType } from '../apis/describe-configs/index.js';
import { answersOf } from './answers-of.js';
import { duplicateNames } from './duplicate-names.js';
import type { ResolvedHandlerOptions } from './handler-options.js';
import { answerOf, kafkaError, NO_ERROR, type KafkaError } from './kafka-answer.js';
import type { MetadataPort } from './metadata-port.js';
import { submitWithRetry } from './submit-with-retry.js';
import { validateOnly } from './validate-only.js';

export async function handleAlterConfigs(
  port: MetadataPort, options: ResolvedHandlerOptions, request: AlterConfigsRequest,
): Promise<AlterConfigsResponse> {
  const duplicates = duplicateNames(request.resources, resourceKey);
  const responses = await answersOf(request.resources.map(async (resource): Promise<AlterConfigsResourceResponse> => {
    const reply = (error: KafkaError | typeof NO_ERROR) => ({ ...error, resourceType: resource.resourceType, resourceName: resource.resourceName });
    if (duplicates.size > 0 && duplicates.has(resourceKey(resource))) {
      return reply(kafkaError('INVALID_REQUEST', `Duplicate resource in request: ${resource.resourceName}.`));
    }
    const operation = toOperation(resource);
    if ('errorCode' in operation) return reply(operation);
    if (request.validateOnly) {
      const planned = await validateOnly(port, options.clock, operation, options.metadataSettings, options.defaultRequestTimeoutMs);
      return reply(planned.ok ? NO_ERROR : { errorCode: planned.code, errorMessage: planned.message });
    }
    const response = await submitWithRetry(port, options.clock, operation, options.defaultRequestTimeoutMs);
    const answer = answerOf(response, `Altering configs of topic ${resource.resourceName}`);
    return reply(answer.ok ? NO_ERROR : answer);
  }));
  return { throttleTimeMs: 0, responses };
}

function resourceKey(resource: AlterConfigsResource): string {
  return `${resource.resourceType}/${resource.resourceName}`;
}

function toOperation(resource: AlterConfigsResource): AlterConfigsOperation | KafkaError {
  if (resource.resourceType === ConfigResourceType.BROKER || resource.resourceType === ConfigResourceType.BROKER_LOGGER) {
    return kafkaError('INVALID_REQUEST', 'quorumd has no dynamic broker configs to alter.');
  }
  if (resource.resourceType !== ConfigResourceType.TOPIC) {
    return kafkaError('INVALID_REQUEST', `Unsupported resource type ${resource.resourceType}; quorumd alters topic configs.`);
  }
  const configs: Record<string, string> = {};
  for (const config of resource.configs) {
    if (config.value === null) return kafkaError('INVALID_CONFIG', `Null value not supported for topic configs: ${config.name}`);
    configs[config.name] = config.value;
  }
  return { type: 'alterConfigs', name: resource.resourceName, configs };
}
