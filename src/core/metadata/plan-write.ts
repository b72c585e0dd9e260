/**
 * Plans a write on the active controller: validates the operation against the latest image (which
 * includes uncommitted records) as KRaft's controller does, and returns either the records to
 * append with the reply to give once they are committed, or a Kafka error. Pure: the same image,
 * operation and context give the same records.
 *
 * Every accepted topic write returns at least one record (a NoOp where nothing changes), so its
 * reply waits for a commit like any other write: a reply computed from uncommitted state must not
 * reach a client before that state is committed.
 */
import { metadataError, type MetadataError } from './errors.js';
import { partitionChangesOnFence, partitionChangesOnUnfence, type FencingPass } from './broker-fencing.js';
import { collisionKey, type MetadataImage } from './image.js';
import type {
  AlterConfigsOperation,
  BrokerHeartbeatOperation,
  CreatePartitionsOperation,
  CreateTopicReply,
  CreateTopicSpec,
  CreateTopicsOperation,
  CreateTopicsReply,
  DeleteTopicOperation,
  FenceBrokerOperation,
  MetadataSettings,
  MetadataWriteOperation,
  PlanContext,
  RegisterBrokerOperation,
  WriteReplies,
  WriteResult,
} from './operations.js';
import { DEFAULT_SETTINGS } from './operations.js';
import { NO_OP_RECORD, type ConfigRecord, type MetadataRecord, type PartitionChangeRecord } from './records.js';
import { sharedIntList } from './shared-int-lists.js';
import { assignReplicas } from './replica-assignment.js';
import { isTopicId } from './topic-ids.js';
import { topicConfigsProblem } from './topic-configs.js';
import { topicNameProblem } from './topic-names.js';

export function planWrite(image: MetadataImage, op: MetadataWriteOperation, context: PlanContext): WriteResult {
  switch (op.type) {
    case 'createTopic':
      return planCreateTopic(image, op, context, resolveSettings(context.settings), NOTHING_PLANNED);
    case 'createTopics':
      return planCreateTopics(image, op, context);
    case 'deleteTopic':
      return planDeleteTopic(image, op);
    case 'createPartitions':
      return planCreatePartitions(image, op, context);
    case 'alterConfigs':
      return planAlterConfigs(image, op);
    case 'registerBroker':
      return planRegisterBroker(image, op, context);
    case 'brokerHeartbeat':
      return planBrokerHeartbeat(image, op);
    case 'fenceBroker':
      return planFenceBroker(image, op);
    default:
      return metadataError('INVALID_REQUEST', `unknown write operation ${JSON.stringify((op as { type?: unknown }).type)}`);
  }
}

/** The settings in force: the context's, over the defaults, checked. */
export function resolveSettings(overrides: Partial<MetadataSettings> | undefined): MetadataSettings {
  const settings = { ...DEFAULT_SETTINGS, ...overrides };
  if (!Number.isInteger(settings.defaultNumPartitions) || settings.defaultNumPartitions < 1) {
    throw new RangeError(`defaultNumPartitions must be a positive integer, got ${settings.defaultNumPartitions}`);
  }
  const rf = settings.defaultReplicationFactor;
  if (rf !== null && (!Number.isInteger(rf) || rf < 1)) {
    throw new RangeError(`defaultReplicationFactor must be a positive integer or null, got ${rf}`);
  }
  if (!Number.isInteger(settings.partitionsPerWriteMax) || settings.partitionsPerWriteMax < 1) {
    throw new RangeError(`partitionsPerWriteMax must be a positive integer, got ${settings.partitionsPerWriteMax}`);
  }
  return settings;
}

/** Topics planned earlier in the same CreateTopics write: to the topics after them, they exist. */
interface PlannedTopics {
  /** Collision key (collisionKey) → the name planned with it. */
  readonly byCollisionKey: ReadonlyMap<string, string>;
  readonly topicIds: ReadonlySet<string>;
}

const NOTHING_PLANNED: PlannedTopics = { byCollisionKey: new Map(), topicIds: new Set() };

/**
 * Every topic of a CreateTopics request, in order, each planned as a lone createTopic would be
 * against the image with the request's earlier accepted topics in it (their names taken, their
 * ids used), so the per-topic answers are those of the topics created one after another; the
 * records of the accepted ones form the one batch. Beyond `partitionsPerWriteMax` partitions in
 * all, the request is refused whole with POLICY_VIOLATION, as KRaft refuses an operation whose
 * records would not fit one batch. A request whose every topic is refused has no records: the
 * active controller answers it as a refusal (a NoOp confirms its epoch first).
 */
function planCreateTopics(image: MetadataImage, op: CreateTopicsOperation, context: PlanContext): WriteResult {
  const settings = resolveSettings(context.settings);
  const byCollisionKey = new Map<string, string>();
  const topicIds = new Set<string>();
  const planned: PlannedTopics = { byCollisionKey, topicIds };
  const records: MetadataRecord[] = [];
  const results: CreateTopicsReply['topics'] = [];
  let partitions = 0;
  for (const spec of op.topics) {
    // The settings are resolved once per request, and each spec is planned as it is (a copy with a
    // type field per topic was made only to be read).
    const result = planCreateTopic(image, spec, context, settings, planned);
    if (!result.ok) {
      results.push(result);
      continue;
    }
    const reply = result.reply as CreateTopicReply;
    partitions += reply.numPartitions;
    byCollisionKey.set(collisionKey(spec.name), spec.name);
    topicIds.add(reply.topicId);
    for (const record of result.records) records.push(record);
    results.push(reply);
  }
  if (partitions > settings.partitionsPerWriteMax) {
    return metadataError(
      'POLICY_VIOLATION',
      `Unable to perform excessively large batch operation: ${partitions} partitions in one request exceed the limit of ` +
        `${settings.partitionsPerWriteMax} (partitionsPerWriteMax).`,
    );
  }
  return accepted<'createTopics'>(records, { topics: results });
}

function planCreateTopic(image: MetadataImage, op: CreateTopicSpec, context: PlanContext, settings: MetadataSettings, planned: PlannedTopics): WriteResult {
  const nameProblem = topicNameProblem(op.name);
  if (nameProblem !== null) return metadataError('INVALID_TOPIC_EXCEPTION', nameProblem);
  const plannedName = planned.byCollisionKey.size === 0 ? undefined : planned.byCollisionKey.get(collisionKey(op.name));
  if (image.topic(op.name) !== undefined || plannedName === op.name) {
    return metadataError('TOPIC_ALREADY_EXISTS', `Topic '${op.name}' already exists.`);
  }
  const collision = image.collidingTopic(op.name) ?? plannedName;
  if (collision !== undefined) {
    return metadataError('INVALID_TOPIC_EXCEPTION', `Topic '${op.name}' collides with existing topic: ${collision}`);
  }
  const numPartitions = op.numPartitions === -1 ? settings.defaultNumPartitions : op.numPartitions;
  const partitionsProblem = partitionCountProblem(numPartitions);
  if (partitionsProblem !== null) return metadataError('INVALID_PARTITIONS', partitionsProblem);
  if (numPartitions > settings.partitionsPerWriteMax) return tooManyPartitions(numPartitions, settings);
  const brokerIds = placeableBrokerIds(image, context);
  const replication = resolveReplicationFactor(op.replicationFactor, brokerIds.length, settings);
  if (typeof replication !== 'number') return replication;
  const configs = op.configs ?? {};
  const configProblem = topicConfigsProblem(configs);
  if (configProblem !== null) return metadataError('INVALID_CONFIG', configProblem);

  const topicId = newTopicId(image, context, planned);
  const records: MetadataRecord[] = [{ type: 'Topic', name: op.name, topicId }];
  for (const name of Object.keys(configs).sort()) {
    records.push(topicConfig(op.name, name, configs[name] as string));
  }
  pushNewPartitions(records, topicId, assignReplicas(op.name, brokerIds, 0, numPartitions, replication), 0);
  return accepted<'createTopic'>(records, { topicId, numPartitions, replicationFactor: replication });
}

function planDeleteTopic(image: MetadataImage, op: DeleteTopicOperation): WriteResult {
  const topic = image.topic(op.name);
  if (topic === undefined) return unknownTopic(op.name);
  return accepted<'deleteTopic'>([{ type: 'RemoveTopic', topicId: topic.topicId }], { topicId: topic.topicId });
}

function planCreatePartitions(image: MetadataImage, op: CreatePartitionsOperation, context: PlanContext): WriteResult {
  const settings = resolveSettings(context.settings);
  const topic = image.topic(op.name);
  if (topic === undefined) return unknownTopic(op.name);
  const current = topic.partitionCount;
  if (!Number.isInteger(op.totalCount)) {
    return metadataError('INVALID_PARTITIONS', `partition count ${String(op.totalCount)} is not an integer`);
  }
  if (op.totalCount === current) return metadataError('INVALID_PARTITIONS', `Topic already has ${current} partition(s).`);
  if (op.totalCount < current) {
    return metadataError(
      'INVALID_PARTITIONS',
      `Topic currently has ${current} partitions, which is higher than the requested ${op.totalCount}.`,
    );
  }
  const added = op.totalCount - current;
  if (added > settings.partitionsPerWriteMax) return tooManyPartitions(added, settings);
  // New partitions keep the replication factor of partition 0, as Kafka does.
  const replication = image.partition(topic.topicId, 0)?.replicas.length ?? 1;
  const brokerIds = placeableBrokerIds(image, context);
  if (replication > brokerIds.length) return tooFewBrokers(replication, brokerIds.length);
  const records: MetadataRecord[] = [];
  pushNewPartitions(records, topic.topicId, assignReplicas(op.name, brokerIds, current, added, replication), current);
  return accepted<'createPartitions'>(records, { totalCount: op.totalCount });
}

function planAlterConfigs(image: MetadataImage, op: AlterConfigsOperation): WriteResult {
  if (image.topic(op.name) === undefined) return unknownTopic(op.name);
  const problem = topicConfigsProblem(op.configs);
  if (problem !== null) return metadataError('INVALID_CONFIG', problem);
  const current = image.configs('topic', op.name);
  const records: MetadataRecord[] = [];
  const names = new Set([...Object.keys(current), ...Object.keys(op.configs)]);
  for (const name of [...names].sort()) {
    const wanted = Object.hasOwn(op.configs, name) ? (op.configs[name] as string) : null;
    const had = Object.hasOwn(current, name) ? (current[name] as string) : null;
    if (wanted !== had) records.push(topicConfig(op.name, name, wanted));
  }
  return accepted<'alterConfigs'>(records.length === 0 ? [NO_OP_RECORD] : records, {});
}

function planRegisterBroker(image: MetadataImage, op: RegisterBrokerOperation, context: PlanContext): WriteResult {
  const problem = registrationProblem(op);
  if (problem !== null) return metadataError('INVALID_REQUEST', problem);
  const existing = image.broker(op.brokerId);
  const live = context.hasLiveSession?.(op.brokerId) ?? false;
  if (existing !== undefined && existing.incarnationId !== op.incarnationId && live) {
    return metadataError(
      'DUPLICATE_BROKER_REGISTRATION',
      `Another broker is registered with ID ${op.brokerId} (incarnation ${existing.incarnationId}) and its session is live.`,
    );
  }
  const brokerEpoch = context.nextOffset;
  const records: MetadataRecord[] = [
    {
      type: 'RegisterBroker',
      brokerId: op.brokerId,
      incarnationId: op.incarnationId,
      brokerEpoch,
      endpoints: op.endpoints.map((e) => ({ name: e.name, host: e.host, port: e.port, securityProtocol: e.securityProtocol })),
      rack: op.rack ?? null,
      // A new registration starts fenced; the broker's first heartbeat unfences it.
      fenced: true,
    },
  ];
  // A registration replaces an unfenced incarnation: its leaderships move away first.
  if (existing !== undefined && !existing.fenced) for (const change of partitionChangesOnFence(image, op.brokerId, context.isLeaving)) records.push(change);
  return accepted<'registerBroker'>(records, { brokerEpoch });
}

function planBrokerHeartbeat(image: MetadataImage, op: BrokerHeartbeatOperation): WriteResult {
  const broker = image.broker(op.brokerId);
  if (broker === undefined) return notRegistered(op.brokerId);
  if (broker.brokerEpoch !== op.brokerEpoch) {
    return metadataError(
      'STALE_BROKER_EPOCH',
      `Broker ${op.brokerId} sent epoch ${op.brokerEpoch}, but its registration has epoch ${broker.brokerEpoch}.`,
    );
  }
  const wantFence = op.wantFence ?? false;
  if (broker.fenced === wantFence) return accepted<'brokerHeartbeat'>([], { isFenced: broker.fenced });
  // A broker asking to be fenced is shutting down (KRaft's controlled shutdown): its partitions
  // move first, then it is fenced (a huge move goes out in several batches; until the last, it is
  // still a live broker that is leaving ISRs). The partitions it leads get their new leaders
  // before any ISR-only change: clients wait for those, and at two million partitions with three
  // replicas the ISR-only changes are twice as many records.
  const records: MetadataRecord[] = wantFence
    ? [...leaderMovesFirst(partitionChangesOnFence(image, op.brokerId)), { type: 'FenceBroker', brokerId: op.brokerId, brokerEpoch: broker.brokerEpoch }]
    : [{ type: 'UnfenceBroker', brokerId: op.brokerId, brokerEpoch: broker.brokerEpoch }, ...partitionChangesOnUnfence(image, op.brokerId)];
  return accepted<'brokerHeartbeat'>(records, { isFenced: wantFence });
}

/** The changes that name a new leader, then the others, each in their order (a stable partition). */
function leaderMovesFirst(changes: PartitionChangeRecord[]): PartitionChangeRecord[] {
  const moves: PartitionChangeRecord[] = [];
  const others: PartitionChangeRecord[] = [];
  for (const change of changes) (change.leader === null ? others : moves).push(change);
  for (const change of others) moves.push(change);
  return moves;
}

function planFenceBroker(image: MetadataImage, op: FenceBrokerOperation): WriteResult {
  const broker = image.broker(op.brokerId);
  if (broker === undefined) return notRegistered(op.brokerId);
  if (broker.fenced) return accepted<'fenceBroker'>([], { fenced: true });
  const records: MetadataRecord[] = [
    { type: 'FenceBroker', brokerId: op.brokerId, brokerEpoch: broker.brokerEpoch },
    ...partitionChangesOnFence(image, op.brokerId),
  ];
  return accepted<'fenceBroker'>(records, { fenced: true });
}

/**
 * A write that fences or unfences a broker, planned a slice per turn by the active controller
 * (FencingScan): the records before the partition changes, the passes that give the changes, the
 * records after them, and the reply once the last is committed.
 */
export interface SlicedFencing {
  brokerId: number;
  first: MetadataRecord[];
  passes: FencingPass[];
  last: MetadataRecord[];
  reply: WriteReplies['brokerHeartbeat'] | WriteReplies['fenceBroker'];
}

/**
 * The sliced form of `op` when it fences or unfences a broker (planWrite gives the same records
 * at once, for a scan of the image as it is now); null for any other write, or one refused or
 * changing nothing (planWrite answers those).
 * - A heartbeat asking to be fenced (controlled shutdown): the leaders move first, then the ISR-only
 *   changes, then FenceBroker: until that last record the broker is a live one leaving ISRs.
 * - A session expiry (fenceBroker): FenceBroker first (the broker is gone), then the same passes.
 * - A heartbeat that unfences: UnfenceBroker, then its partitions take it back.
 */
export function planSlicedFencing(image: MetadataImage, op: MetadataWriteOperation): SlicedFencing | null {
  if (op.type !== 'brokerHeartbeat' && op.type !== 'fenceBroker') return null;
  const broker = image.broker(op.brokerId);
  if (broker === undefined) return null;
  const { brokerId, brokerEpoch } = broker;
  if (op.type === 'fenceBroker') {
    if (broker.fenced) return null;
    return { brokerId, first: [{ type: 'FenceBroker', brokerId, brokerEpoch }], passes: ['leaders', 'all'], last: [], reply: { fenced: true } };
  }
  const wantFence = op.wantFence ?? false;
  if (broker.brokerEpoch !== op.brokerEpoch || broker.fenced === wantFence) return null;
  return wantFence
    ? { brokerId, first: [], passes: ['leaders', 'all'], last: [{ type: 'FenceBroker', brokerId, brokerEpoch }], reply: { isFenced: true } }
    : { brokerId, first: [{ type: 'UnfenceBroker', brokerId, brokerEpoch }], passes: ['unfence'], last: [], reply: { isFenced: false } };
}

// ---- helpers ----

/** Where new replicas may go: registered, unfenced brokers that are not being fenced. */
function placeableBrokerIds(image: MetadataImage, context: PlanContext): readonly number[] {
  const ids = image.unfencedBrokerIds();
  const isLeaving = context.isLeaving;
  return isLeaving === undefined ? ids : ids.filter((id) => !isLeaving(id));
}

function accepted<K extends keyof WriteReplies>(records: MetadataRecord[], reply: WriteReplies[K]): WriteResult {
  return { ok: true, records, reply };
}

function partitionCountProblem(count: unknown): string | null {
  if (typeof count !== 'number' || !Number.isInteger(count)) return `partition count ${String(count)} is not an integer`;
  if (count < 1) return 'Number of partitions was set to an invalid non-positive value.';
  return null;
}

/** KRaft bounds the partitions one request creates, and answers POLICY_VIOLATION beyond it. */
function tooManyPartitions(count: number, settings: MetadataSettings): MetadataError {
  return metadataError(
    'POLICY_VIOLATION',
    `Excessively large number of partitions per request: ${count} exceeds the limit of ${settings.partitionsPerWriteMax} (partitionsPerWriteMax).`,
  );
}

function resolveReplicationFactor(requested: unknown, unfencedBrokers: number, settings: MetadataSettings): number | MetadataError {
  if (typeof requested !== 'number' || !Number.isInteger(requested) || requested === 0 || requested < -1) {
    return metadataError('INVALID_REPLICATION_FACTOR', `Replication factor must be larger than 0, or -1 to use the default value; got ${String(requested)}.`);
  }
  const factor = requested !== -1 ? requested : (settings.defaultReplicationFactor ?? Math.max(1, Math.min(3, unfencedBrokers)));
  if (factor > unfencedBrokers) return tooFewBrokers(factor, unfencedBrokers);
  return factor;
}

function tooFewBrokers(factor: number, unfencedBrokers: number): MetadataError {
  return metadataError(
    'INVALID_REPLICATION_FACTOR',
    `Unable to replicate the partition ${factor} time(s): The target replication factor of ${factor} cannot be reached because only ${unfencedBrokers} broker(s) are registered.`,
  );
}

/** Partition records for `assignments` (partitions firstPartitionId.. in order), pushed onto `records`. */
function pushNewPartitions(records: MetadataRecord[], topicId: string, assignments: readonly number[][], firstPartitionId: number): void {
  for (let i = 0; i < assignments.length; i++) {
    // One frozen array for the replicas and ISR of every partition with the same list: the
    // leader's log holds these records until a snapshot lets them go (shared-int-lists.ts).
    const replicas = sharedIntList(assignments[i]!) as number[];
    records.push({ type: 'Partition', topicId, partitionId: firstPartitionId + i, replicas, isr: replicas, leader: replicas[0] as number, leaderEpoch: 0, partitionEpoch: 0 });
  }
}

function topicConfig(topicName: string, name: string, value: string | null): ConfigRecord {
  return { type: 'Config', resourceType: 'topic', resourceName: topicName, name, value };
}

/** A fresh id from the context's source; a malformed or already used one is a host bug. */
function newTopicId(image: MetadataImage, context: PlanContext, planned: PlannedTopics): string {
  const topicId = context.newTopicId();
  if (!isTopicId(topicId)) throw new RangeError(`the topic id source gave "${topicId}", not 32 hex digits (non-zero)`);
  if (image.topicById(topicId) !== undefined || planned.topicIds.has(topicId)) throw new RangeError(`the topic id source gave ${topicId} twice`);
  return topicId;
}

/** Bounds on what a registration may carry, so one record stays small. */
const BROKER_ID_MAX = 2 ** 31 - 1;
const ENDPOINTS_MAX = 16;
const REGISTRATION_STRING_LENGTH_MAX = 255;

function registrationProblem(op: RegisterBrokerOperation): string | null {
  if (!Number.isInteger(op.brokerId) || op.brokerId < 0 || op.brokerId > BROKER_ID_MAX) {
    return `broker id ${String(op.brokerId)} is not an integer in [0, ${BROKER_ID_MAX}]`;
  }
  const incarnation = stringProblem('incarnation id', op.incarnationId);
  if (incarnation !== null) return incarnation;
  if (!Array.isArray(op.endpoints)) return 'endpoints must be an array';
  if (op.endpoints.length > ENDPOINTS_MAX) return `${op.endpoints.length} endpoints are more than the ${ENDPOINTS_MAX} allowed`;
  for (const [i, e] of op.endpoints.entries()) {
    if (typeof e !== 'object' || e === null) return `endpoint ${i} is not an object`;
    const problem =
      stringProblem(`endpoint ${i} name`, e.name) ??
      stringProblem(`endpoint ${i} host`, e.host) ??
      stringProblem(`endpoint ${i} securityProtocol`, e.securityProtocol);
    if (problem !== null) return problem;
    if (!Number.isInteger(e.port) || e.port < 0 || e.port > 65535) return `endpoint ${i} port ${String(e.port)} is not 0..65535`;
  }
  if (op.rack !== undefined && op.rack !== null) return stringProblem('rack', op.rack);
  return null;
}

function stringProblem(what: string, value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return `${what} must be a non-empty string`;
  if (value.length > REGISTRATION_STRING_LENGTH_MAX) {
    return `${what} is ${value.length} characters long, more than the ${REGISTRATION_STRING_LENGTH_MAX} allowed`;
  }
  return null;
}

function unknownTopic(name: string): MetadataError {
  return metadataError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic: ${name}`);
}

function notRegistered(brokerId: number): MetadataError {
  return metadataError('BROKER_ID_NOT_REGISTERED', `Broker ${brokerId} is not registered.`);
}
