/**
 * How the topics model puts calls into words for reports: "create topic orders (3 partitions) →
 * created id X", "describe topic orders → 5 partitions", "list topics (for orders) → [a] (orders
 * missing)".
 */
import type { Call } from '../model.js';
import { isTopicError } from '../../history/topic-operations.js';
import { describeConfigs } from './topics-state.js';
import type { ProjectedListTopicsInput } from './topics-step.js';

/** "create topic orders (3 partitions, {cleanup.policy=compact}) → created id X", "describe topic orders → ?". */
export function describeTopicCall(call: Call): string {
  return `${describeInput(call)} → ${call.outputKnown ? describeTopicOutput(call.f, call.input, call.output) : '? (outcome unknown)'}`;
}

function describeInput(call: Call): string {
  const input = (call.input ?? {}) as {
    name?: string; partitions?: number; count?: number; configs?: Record<string, string>;
  } & Partial<ProjectedListTopicsInput>;
  switch (call.f) {
    case 'create-topic': {
      const configs = input.configs !== undefined && Object.keys(input.configs).length > 0
        ? `, ${describeConfigs(input.configs)}` : '';
      return `create topic ${input.name} (${input.partitions} partition${input.partitions === 1 ? '' : 's'}${configs})`;
    }
    case 'delete-topic': return `delete topic ${input.name}`;
    case 'create-partitions': return `grow topic ${input.name} to ${input.count} partition${input.count === 1 ? '' : 's'}`;
    case 'alter-config': return `set configs of ${input.name} to ${describeConfigs(input.configs ?? {})}`;
    case 'describe-topic': return `describe topic ${input.name}`;
    case 'describe-configs': return `describe configs of ${input.name}`;
    case 'list-topics': return input.onlyTopic === undefined ? 'list topics' : `list topics (for ${input.onlyTopic})`;
    default: return `${call.f} ${JSON.stringify(call.input)}`;
  }
}

/** The answer alone: "created id X", "5 partitions", "UNKNOWN_TOPIC_OR_PARTITION". */
export function describeTopicOutput(f: string, input: unknown, answer: unknown): string {
  const output = answer as Record<string, unknown>;
  if (isTopicError(output)) return output.error;
  switch (f) {
    case 'create-topic':
      return typeof output.topicId === 'string' ? `created id ${output.topicId}` : 'created';
    case 'delete-topic': return 'deleted';
    case 'create-partitions': return output.partitions === undefined ? 'grown' : `${String(output.partitions)} partitions`;
    case 'alter-config': return 'altered';
    case 'describe-topic': {
      const id = typeof output.topicId === 'string' ? ` id ${output.topicId}` : '';
      return `${String(output.partitions)} partitions${id}`;
    }
    case 'describe-configs': return describeConfigs(output.configs as Record<string, string>);
    case 'list-topics': {
      const topics = output.topics as string[];
      const onlyTopic = (input as Partial<ProjectedListTopicsInput>).onlyTopic;
      const listed = `[${topics.join(', ')}]`;
      if (onlyTopic === undefined) return listed;
      return `${listed} (${onlyTopic} ${topics.includes(onlyTopic) ? 'present' : 'missing'})`;
    }
    default: return JSON.stringify(answer);
  }
}
