/**
 * Checks that a client request carries a well-formed metadata operation before the core acts on
 * it: hosts hand over whatever a client sent, and a malformed request must be refused with a
 * message naming what is wrong, never crash the node.
 */
import type { MetadataOperation } from './metadata/index.js';

type FieldKind = 'string' | 'integer' | 'string-map' | 'endpoints' | 'boolean?' | 'string?' | 'topic-specs';

const FIELDS: Record<MetadataOperation['type'], Record<string, FieldKind>> = {
  createTopic: { name: 'string', numPartitions: 'integer', replicationFactor: 'integer' },
  createTopics: { topics: 'topic-specs' },
  deleteTopic: { name: 'string' },
  createPartitions: { name: 'string', totalCount: 'integer' },
  alterConfigs: { name: 'string', configs: 'string-map' },
  registerBroker: { brokerId: 'integer', incarnationId: 'string', endpoints: 'endpoints', rack: 'string?' },
  brokerHeartbeat: { brokerId: 'integer', brokerEpoch: 'integer', wantFence: 'boolean?' },
  fenceBroker: { brokerId: 'integer' },
  describeTopic: { name: 'string' },
  listTopics: {},
  describeConfigs: { name: 'string' },
  describeCluster: {},
};

/**
 * FIELDS as lists, made once: every request (and every forwarded one) is checked, and
 * `Object.entries` on each check allocated a list of pairs per operation.
 */
const FIELD_LISTS: ReadonlyMap<string, readonly (readonly [string, FieldKind])[]> =
  new Map(Object.entries(FIELDS).map(([type, fields]) => [type, Object.entries(fields)]));
const TOPIC_SPEC_FIELDS = FIELD_LISTS.get('createTopic')!;
const NO_FIELDS: readonly (readonly [string, FieldKind])[] = [];

/** Undefined when `operation` is well formed; else what is wrong with it. */
export function validateOperation(operation: unknown): string | undefined {
  if (typeof operation !== 'object' || operation === null) return 'the operation is not an object';
  const type = (operation as { type?: unknown }).type;
  // One map lookup finds the type and its fields (an own-property test and a keyed load were two).
  const fields = typeof type === 'string' ? FIELD_LISTS.get(type) : undefined;
  if (fields === undefined) return `unknown operation type ${JSON.stringify(type)}`;
  const record = operation as Record<string, unknown>;
  for (let i = 0; i < fields.length; i++) {
    const [field, kind] = fields[i]!;
    const problem = fieldProblem(record[field], kind);
    if (problem !== undefined) return `${type}.${field} ${problem}`;
  }
  if (type === 'createTopic') {
    const problem = topicSpecProblem(record);
    return problem === undefined ? undefined : `createTopic.${problem}`;
  }
  if (type === 'createTopics') {
    const topics = record.topics as unknown[];
    for (let i = 0; i < topics.length; i++) {
      const spec = topics[i];
      if (typeof spec !== 'object' || spec === null) return `createTopics.topics[${i}] is not an object`;
      // The topic's place is named only in a problem's message, not built for every topic checked.
      const problem = topicSpecProblem(spec as Record<string, unknown>, TOPIC_SPEC_FIELDS);
      if (problem !== undefined) return `createTopics.topics[${i}].${problem}`;
    }
  }
  return undefined;
}

/** What is wrong with one topic to create (its fields, then its optional configs), as `field problem`. */
function topicSpecProblem(spec: Record<string, unknown>, fields = NO_FIELDS): string | undefined {
  for (let i = 0; i < fields.length; i++) {
    const [field, kind] = fields[i]!;
    const problem = fieldProblem(spec[field], kind);
    if (problem !== undefined) return `${field} ${problem}`;
  }
  if (spec.configs === undefined) return undefined;
  const problem = fieldProblem(spec.configs, 'string-map');
  return problem === undefined ? undefined : `configs ${problem}`;
}

function fieldProblem(value: unknown, kind: FieldKind): string | undefined {
  switch (kind) {
    case 'string': return typeof value === 'string' ? undefined : 'must be a string';
    case 'string?': return value === undefined || value === null || typeof value === 'string' ? undefined : 'must be a string or absent';
    case 'boolean?': return value === undefined || typeof value === 'boolean' ? undefined : 'must be a boolean or absent';
    case 'integer': return Number.isSafeInteger(value) ? undefined : 'must be an integer';
    case 'string-map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strings';
      for (const name in value) {
        if (Object.hasOwn(value, name) && typeof (value as Record<string, unknown>)[name] !== 'string') return 'must map names to strings';
      }
      return undefined;
    case 'endpoints':
      return Array.isArray(value) ? undefined : 'must be a list of endpoints';
    case 'topic-specs':
      return Array.isArray(value) && value.length > 0 ? undefined : 'must be a non-empty list of topics';
  }
}
