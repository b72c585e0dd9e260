/**
 * The metadata image: what the applied prefix of the metadata log says about the cluster — its
 * brokers (registration, epoch, fenced or not), its topics (name ↔ topic id, and per partition the
 * replicas, ISR, leader and epochs) and its configs. `apply` replays one record in place.
 *
 * How the images a node needs are kept cheap. Every node applies committed records to its
 * committed image and freezes a copy of it for each snapshot (several a simulated second, from the
 * simulator's drawn intervals); the active controller also keeps a "latest" image that includes its
 * uncommitted records, to validate the next write against. We chose copy-on-write clones over
 * persistent maps or an undo log:
 * - `clone()` copies nothing (O(1)): both images share the top-level maps, each marked shared, and
 *   the first write to a shared map copies that map alone (O(its size)); a topic's partition table,
 *   and a resource's configs, are copied the first time either image writes to them afterwards.
 *   Each image holds an owner token, and clone gives both images fresh tokens, so neither writes
 *   into a table or config set the other can still see. A snapshot taken between two writes that
 *   touch only the configs copies the configs' map, not the topics' or the brokers'.
 * - The controller's latest image is `committed.clone()` plus its uncommitted records re-applied
 *   (see `rebuildLatest`). That happens when it becomes leader and when its log is truncated, both
 *   rare; the common path stays a single in-place `apply`, with no undo entries to get wrong and
 *   no log-depth lookup cost on reads.
 * - Partitions are stored by column in typed arrays with interned replica lists (partition-table.ts,
 *   replica-lists.ts), about 23 bytes a partition as measured (20 plus growth slack), so a million
 *   partitions fit easily twice.
 *
 * All iteration that can reach an answer or a record is in a defined order (names sorted, broker
 * ids ascending), so equal images give equal answers whatever order they were built in.
 */
import { MetadataInvariantError } from './errors.js';
import { PartitionTable, type PartitionState } from './partition-table.js';
import type {
  BrokerRegistration,
  ConfigRecord,
  ConfigResourceType,
  MetadataRecord,
  PartitionChangeRecord,
  PartitionRecord,
  RegisterBrokerRecord,
  TopicRecord,
} from './records.js';
import { NO_LEADER } from './records.js';
import { ReplicaLists } from './replica-lists.js';

export type { PartitionState } from './partition-table.js';

export type { BrokerRegistration } from './records.js';

/** A topic as readers see it. */
export interface TopicView {
  readonly name: string;
  readonly topicId: string;
  readonly partitionCount: number;
}

/** What applying a record changed that a node reports as a node event. */
export interface ImageEvent {
  kind: 'broker-fenced' | 'broker-unfenced';
  brokerId: number;
}

/** A partition found by a scan, with the topic it belongs to. */
export interface LocatedPartition {
  topicId: string;
  topicName: string;
  partition: PartitionState;
}

/** A resource's configs, written in place only by the image that owns them (as a topic's table). */
interface ConfigEntry {
  readonly entries: Map<string, string>;
  readonly owner: object;
}

interface TopicEntry {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: PartitionTable;
  /** The image allowed to write `partitions` in place; any other copies it first. */
  readonly owner: object;
}

const NO_EVENTS: readonly ImageEvent[] = Object.freeze([]);

/** The top-level maps, one bit each in `MetadataImage.shared`: a map whose bit is set is shared with another image. */
const TOPICS_BY_ID = 1;
const TOPIC_IDS_BY_NAME = 2;
const NAMES_BY_COLLISION_KEY = 4;
const BROKERS_BY_ID = 8;
const CONFIGS_BY_RESOURCE = 16;
const ALL_MAPS = TOPICS_BY_ID | TOPIC_IDS_BY_NAME | NAMES_BY_COLLISION_KEY | BROKERS_BY_ID | CONFIGS_BY_RESOURCE;
const INT32_MAX = 0x7fffffff;

/** Kafka treats "." and "_" as the same character when checking topic names for collisions. */
export function collisionKey(topicName: string): string {
  // Most names have no "."; they are their own key, with no new string made.
  return topicName.includes('.') ? topicName.replaceAll('.', '_') : topicName;
}

export class MetadataImage {
  private owner: object = {};
  /** `unfencedBrokerIds`, once asked; null again whenever a broker is written. */
  private unfencedIds: readonly number[] | null = null;
  /** The topic names sorted, once asked; null again whenever a topic is added or removed. */
  private sortedTopicNames: readonly string[] | null = null;

  private constructor(
    private readonly lists: ReplicaLists,
    private topicsById: Map<string, TopicEntry>,
    private topicIdsByName: Map<string, string>,
    private namesByCollisionKey: Map<string, string>,
    private brokersById: Map<number, BrokerRegistration>,
    private configsByResource: Map<string, ConfigEntry>,
    private totalPartitions: number,
    /** The maps shared with another image (bits: TOPICS_BY_ID ...), copied before this image writes one. */
    private shared: number,
  ) {}

  static empty(): MetadataImage {
    return new MetadataImage(new ReplicaLists(), new Map(), new Map(), new Map(), new Map(), new Map(), 0, 0);
  }

  /** An independent image equal to this one; see the module comment for its cost. */
  clone(): MetadataImage {
    const copy = new MetadataImage(
      this.lists, this.topicsById, this.topicIdsByName, this.namesByCollisionKey, this.brokersById, this.configsByResource,
      this.totalPartitions, ALL_MAPS,
    );
    // Both sides now share every map, partition table and config set: neither may write one in place any more.
    this.shared = ALL_MAPS;
    this.owner = {};
    return copy;
  }

  /** Replays one record. Returns the broker fencing changes it made, for node events. */
  apply(record: MetadataRecord): readonly ImageEvent[] {
    switch (record.type) {
      case 'RegisterBroker':
        return this.applyRegisterBroker(record);
      case 'FenceBroker':
      case 'UnfenceBroker':
        return this.applyFencing(record.brokerId, record.brokerEpoch, record.type === 'FenceBroker');
      case 'Topic':
        this.applyTopic(record);
        return NO_EVENTS;
      case 'Partition':
        this.applyPartition(record);
        return NO_EVENTS;
      case 'PartitionChange':
        this.applyPartitionChange(record);
        return NO_EVENTS;
      case 'RemoveTopic':
        this.applyRemoveTopic(record.topicId);
        return NO_EVENTS;
      case 'Config':
        this.applyConfig(record);
        return NO_EVENTS;
      // KRaftVersion and Voter are the raft layer's control records (KIP-853): consensus state, not metadata.
      case 'NoOp':
      case 'KRaftVersion':
      case 'Voter':
        return NO_EVENTS;
    }
  }

  // ---- reads ----

  get topicCount(): number {
    return this.topicsById.size;
  }

  /** Partitions over all topics. */
  get partitionCount(): number {
    return this.totalPartitions;
  }

  /**
   * Every topic name, sorted: a new list each call, from a sorted one kept until a topic is added
   * or removed (every ListTopics read and Metadata answer for all topics asks, and topics change
   * seldom between them).
   */
  topicNames(): string[] {
    // Not frozen: slice copies a frozen array on a slow path (about 3x the sort it saves).
    if (this.sortedTopicNames === null) this.sortedTopicNames = [...this.topicIdsByName.keys()].sort();
    return this.sortedTopicNames.slice();
  }

  topic(name: string): TopicView | undefined {
    const topicId = this.topicIdsByName.get(name);
    return topicId === undefined ? undefined : this.topicById(topicId);
  }

  topicById(topicId: string): TopicView | undefined {
    const entry = this.topicsById.get(topicId);
    return entry === undefined
      ? undefined
      : { name: entry.name, topicId: entry.topicId, partitionCount: entry.partitions.count };
  }

  /** The existing topic whose name collides with `name` ("." and "_" alike), other than itself. */
  collidingTopic(name: string): string | undefined {
    const other = this.namesByCollisionKey.get(collisionKey(name));
    return other === name ? undefined : other;
  }

  partition(topicId: string, partitionId: number): PartitionState | undefined {
    const entry = this.topicsById.get(topicId);
    if (entry === undefined || !Number.isInteger(partitionId) || partitionId < 0) return undefined;
    if (partitionId >= entry.partitions.count) return undefined;
    return entry.partitions.get(partitionId, this.lists);
  }

  /** The partitions of a topic in id order; empty for an unknown topic. */
  partitions(topicId: string): PartitionState[] {
    const entry = this.topicsById.get(topicId);
    if (entry === undefined) return [];
    const states: PartitionState[] = [];
    for (let p = 0; p < entry.partitions.count; p++) states.push(entry.partitions.get(p, this.lists));
    return states;
  }

  /**
   * Every partition whose replicas include `brokerId`, topics by name then partitions by id. Scans
   * compare interned list ids, so a million partitions cost a pass over typed arrays, and only
   * matches are materialized.
   */
  partitionsWithReplica(brokerId: number): LocatedPartition[] {
    const found: LocatedPartition[] = [];
    this.forEachPartitionWithReplica(brokerId, (topicId, topicName, partitionId) => {
      const entry = this.topicsById.get(topicId) as TopicEntry;
      found.push({ topicId, topicName, partition: entry.partitions.get(partitionId, this.lists) });
    });
    return found;
  }

  /**
   * Calls `visit` for every partition whose replicas include `brokerId`, in the order of
   * `partitionsWithReplica`, with its interned replica list and ISR (shared and frozen): nothing is
   * allocated per partition, so fencing a broker of two million partitions plans in one pass.
   */
  forEachPartitionWithReplica(
    brokerId: number,
    visit: (topicId: string, topicName: string, partitionId: number, replicas: readonly number[], isr: readonly number[], leader: number) => void,
  ): void {
    const containsByListId = new Map<number, boolean>();
    const contains = (listId: number): boolean => {
      let known = containsByListId.get(listId);
      if (known === undefined) {
        known = this.lists.get(listId).includes(brokerId);
        containsByListId.set(listId, known);
      }
      return known;
    };
    for (const name of this.topicNames()) {
      const entry = this.topicsById.get(this.topicIdsByName.get(name) as string) as TopicEntry;
      const table = entry.partitions;
      for (let p = 0; p < table.count; p++) {
        const replicasId = table.replicasIdOf(p);
        if (!contains(replicasId)) continue;
        visit(entry.topicId, entry.name, p, this.lists.get(replicasId), this.lists.get(table.isrIdOf(p)), table.leaderOf(p));
      }
    }
  }

  /**
   * Calls `visit` for the partitions of one topic whose replicas include `brokerId`, in id order
   * from `fromPartition`, until it returns false. Returns the id of the first partition not
   * visited (the partition count once all were), where a later call resumes: a fencing of two
   * million partitions is planned a slice at a time (broker-fencing.ts). Nothing is allocated per
   * partition; the lists are the interned, frozen ones.
   */
  scanPartitionsWithReplica(
    topicId: string,
    brokerId: number,
    fromPartition: number,
    visit: (partitionId: number, replicas: readonly number[], isr: readonly number[], leader: number) => boolean,
  ): number {
    const entry = this.topicsById.get(topicId);
    if (entry === undefined) return 0;
    const table = entry.partitions;
    let lastListId = -1;
    let lastContains = false;
    for (let p = Math.max(0, fromPartition); p < table.count; p++) {
      const replicasId = table.replicasIdOf(p);
      if (replicasId !== lastListId) {
        lastListId = replicasId;
        lastContains = this.lists.get(replicasId).includes(brokerId);
      }
      if (!lastContains) continue;
      if (!visit(p, this.lists.get(replicasId), this.lists.get(table.isrIdOf(p)), table.leaderOf(p))) return p;
    }
    return table.count;
  }

  /**
   * Calls `visit` for partitions [from, to) of a topic (clamped to its partitions) in id order, with
   * the interned, frozen replica list and ISR and the cells: nothing is allocated per partition, so
   * a snapshot of two million partitions is written from the columns (snapshot.ts).
   */
  forEachPartition(
    topicId: string,
    from: number,
    to: number,
    visit: (partitionId: number, replicas: readonly number[], isr: readonly number[], leader: number, leaderEpoch: number, partitionEpoch: number) => void,
  ): void {
    const table = this.topicsById.get(topicId)?.partitions;
    if (table === undefined) return;
    const end = Math.min(to, table.count);
    for (let p = Math.max(0, from); p < end; p++) {
      visit(p, this.lists.get(table.replicasIdOf(p)), this.lists.get(table.isrIdOf(p)), table.leaderOf(p), table.leaderEpochOf(p), table.partitionEpochOf(p));
    }
  }

  broker(brokerId: number): BrokerRegistration | undefined {
    return this.brokersById.get(brokerId);
  }

  /** Every registered broker, fenced or not, by id. */
  brokers(): BrokerRegistration[] {
    return [...this.brokersById.values()].sort((a, b) => a.brokerId - b.brokerId);
  }

  /**
   * The brokers replicas may be placed on and Metadata answers list: registered and unfenced, by id.
   * Kept, frozen, until a broker record changes them: every planned topic, every Metadata answer
   * and every session check of the controller asks, and brokers change seldom.
   */
  unfencedBrokerIds(): readonly number[] {
    if (this.unfencedIds === null) {
      const ids: number[] = [];
      for (const broker of this.brokersById.values()) if (!broker.fenced) ids.push(broker.brokerId);
      this.unfencedIds = Object.freeze(ids.sort((a, b) => a - b));
    }
    return this.unfencedIds;
  }

  /** The configs set on a resource (no defaults), keys sorted. */
  configs(resourceType: ConfigResourceType, resourceName: string): Record<string, string> {
    const entries = this.configsByResource.get(resourceKey(resourceType, resourceName))?.entries;
    const configs: Record<string, string> = {};
    if (entries === undefined) return configs;
    for (const name of [...entries.keys()].sort()) configs[name] = entries.get(name) as string;
    return configs;
  }

  /** Resources of a type that have at least one config set, sorted by name. */
  configResourceNames(resourceType: ConfigResourceType): string[] {
    const prefix = `${resourceType}:`;
    const names: string[] = [];
    for (const key of this.configsByResource.keys()) if (key.startsWith(prefix)) names.push(key.slice(prefix.length));
    return names.sort();
  }

  /** Approximate bytes held by partition tables and interned lists (for benchmarks). */
  approximatePartitionBytes(): number {
    let bytes = 0;
    for (const entry of this.topicsById.values()) bytes += entry.partitions.byteLength;
    return bytes;
  }

  get internedReplicaLists(): number {
    return this.lists.size;
  }

  // ---- replay ----

  private applyRegisterBroker(record: RegisterBrokerRecord): readonly ImageEvent[] {
    const previous = this.brokersById.get(record.brokerId);
    if (previous !== undefined && record.brokerEpoch <= previous.brokerEpoch) {
      fail(`RegisterBroker of broker ${record.brokerId} with epoch ${record.brokerEpoch} does not exceed epoch ${previous.brokerEpoch}`);
    }
    this.writableBrokers().set(record.brokerId, {
      brokerId: record.brokerId,
      incarnationId: record.incarnationId,
      brokerEpoch: record.brokerEpoch,
      endpoints: Object.freeze(record.endpoints.map((e) => Object.freeze({ ...e }))),
      rack: record.rack,
      fenced: record.fenced,
    });
    const wasFenced = previous === undefined ? true : previous.fenced;
    return fencingEvents(record.brokerId, wasFenced, record.fenced);
  }

  private applyFencing(brokerId: number, brokerEpoch: number, fenced: boolean): readonly ImageEvent[] {
    const what = fenced ? 'FenceBroker' : 'UnfenceBroker';
    const previous = this.brokersById.get(brokerId);
    if (previous === undefined) fail(`${what} names broker ${brokerId}, which is not registered`);
    if (previous.brokerEpoch !== brokerEpoch) {
      fail(`${what} of broker ${brokerId} carries epoch ${brokerEpoch}, but its registration has epoch ${previous.brokerEpoch}`);
    }
    if (previous.fenced === fenced) return NO_EVENTS;
    this.writableBrokers().set(brokerId, { ...previous, fenced });
    return fencingEvents(brokerId, previous.fenced, fenced);
  }

  private applyTopic(record: TopicRecord): void {
    if (this.topicIdsByName.has(record.name)) fail(`Topic record names ${record.name}, which already exists`);
    if (this.topicsById.has(record.topicId)) fail(`Topic record reuses topic id ${record.topicId}`);
    const key = collisionKey(record.name);
    if (this.namesByCollisionKey.has(key)) {
      fail(`Topic record names ${record.name}, which collides with ${String(this.namesByCollisionKey.get(key))}`);
    }
    this.writableTopicsById().set(record.topicId, {
      name: record.name,
      topicId: record.topicId,
      partitions: PartitionTable.empty(),
      owner: this.owner,
    });
    this.writableTopicIdsByName().set(record.name, record.topicId);
    this.writableNamesByCollisionKey().set(key, record.name);
  }

  private applyPartition(record: PartitionRecord): void {
    const entry = this.writableTopic(record.topicId, 'Partition');
    const table = entry.partitions;
    if (record.partitionId < 0 || record.partitionId > table.count) {
      fail(`Partition record for ${entry.name} has id ${record.partitionId}; the next partition is ${table.count}`);
    }
    checkPartitionState(entry.name, record.partitionId, record.replicas, record.isr, record.leader, record.leaderEpoch, record.partitionEpoch);
    if (record.partitionId === table.count) {
      table.append(this.lists, record);
      this.totalPartitions += 1;
    } else {
      table.set(record.partitionId, this.lists, record);
    }
  }

  /**
   * A change is applied to the table's cells in place, with no partition object built: a broker's
   * fencing at two million partitions is as many changes, applied on every node (and twice on the
   * active controller), most of them ISR-only.
   */
  private applyPartitionChange(record: PartitionChangeRecord): void {
    const entry = this.writableTopic(record.topicId, 'PartitionChange');
    const table = entry.partitions;
    const p = record.partitionId;
    if (p < 0 || p >= table.count) {
      fail(`PartitionChange for ${entry.name} names partition ${p} of ${table.count}`);
    }
    const currentLeader = table.leaderOf(p);
    const leader = record.leader ?? currentLeader;
    const replicas = this.lists.get(table.replicasIdOf(p));
    const isr = record.isr ?? this.lists.get(table.isrIdOf(p));
    const leaderEpoch = leader === currentLeader ? table.leaderEpochOf(p) : table.leaderEpochOf(p) + 1;
    const partitionEpoch = table.partitionEpochOf(p) + 1;
    checkPartitionState(entry.name, p, replicas, isr, leader, leaderEpoch, partitionEpoch);
    table.change(p, record.isr === null ? undefined : this.lists.intern(record.isr), leader, leaderEpoch, partitionEpoch);
  }

  private applyRemoveTopic(topicId: string): void {
    const entry = this.topicsById.get(topicId);
    if (entry === undefined) fail(`RemoveTopic names topic id ${topicId}, which does not exist`);
    this.writableTopicsById().delete(topicId);
    this.writableTopicIdsByName().delete(entry.name);
    this.writableNamesByCollisionKey().delete(collisionKey(entry.name));
    // As in KRaft, a topic's configs go with it, so a topic created later under the same name
    // starts with none.
    const configsKey = resourceKey('topic', entry.name);
    if (this.configsByResource.has(configsKey)) this.writableConfigs().delete(configsKey);
    this.totalPartitions -= entry.partitions.count;
  }

  private applyConfig(record: ConfigRecord): void {
    if (record.resourceType === 'topic' && !this.topicIdsByName.has(record.resourceName)) {
      fail(`Config record for topic ${record.resourceName}, which does not exist`);
    }
    const key = resourceKey(record.resourceType, record.resourceName);
    const current = this.configsByResource.get(key);
    if (record.value === null) {
      if (current === undefined || !current.entries.has(record.name)) return;
      if (current.entries.size === 1) {
        this.writableConfigs().delete(key);
        return;
      }
      this.writableConfigEntries(key, current).delete(record.name);
      return;
    }
    this.writableConfigEntries(key, current).set(record.name, record.value);
  }

  /** A resource's configs, to write in place: made (or copied, if another image may still see them) first. */
  private writableConfigEntries(key: string, current: ConfigEntry | undefined): Map<string, string> {
    if (current !== undefined && current.owner === this.owner) return current.entries;
    const owned: ConfigEntry = { entries: current === undefined ? new Map() : new Map(current.entries), owner: this.owner };
    this.writableConfigs().set(key, owned);
    return owned.entries;
  }

  // Each top-level map, copied first if another image may still see it (clone shares them all).

  private writableTopicsById(): Map<string, TopicEntry> {
    if ((this.shared & TOPICS_BY_ID) !== 0) {
      this.topicsById = new Map(this.topicsById);
      this.shared &= ~TOPICS_BY_ID;
    }
    return this.topicsById;
  }

  private writableTopicIdsByName(): Map<string, string> {
    this.sortedTopicNames = null;
    if ((this.shared & TOPIC_IDS_BY_NAME) !== 0) {
      this.topicIdsByName = new Map(this.topicIdsByName);
      this.shared &= ~TOPIC_IDS_BY_NAME;
    }
    return this.topicIdsByName;
  }

  private writableNamesByCollisionKey(): Map<string, string> {
    if ((this.shared & NAMES_BY_COLLISION_KEY) !== 0) {
      this.namesByCollisionKey = new Map(this.namesByCollisionKey);
      this.shared &= ~NAMES_BY_COLLISION_KEY;
    }
    return this.namesByCollisionKey;
  }

  private writableBrokers(): Map<number, BrokerRegistration> {
    this.unfencedIds = null;
    if ((this.shared & BROKERS_BY_ID) !== 0) {
      this.brokersById = new Map(this.brokersById);
      this.shared &= ~BROKERS_BY_ID;
    }
    return this.brokersById;
  }

  private writableConfigs(): Map<string, ConfigEntry> {
    if ((this.shared & CONFIGS_BY_RESOURCE) !== 0) {
      this.configsByResource = new Map(this.configsByResource);
      this.shared &= ~CONFIGS_BY_RESOURCE;
    }
    return this.configsByResource;
  }

  /** The topic's entry, copied first if another image may still see its partition table. */
  private writableTopic(topicId: string, what: string): TopicEntry {
    const entry = this.topicsById.get(topicId);
    if (entry === undefined) fail(`${what} record names topic id ${topicId}, which does not exist`);
    if (entry.owner === this.owner) return entry;
    const owned: TopicEntry = { ...entry, partitions: entry.partitions.copy(), owner: this.owner };
    this.writableTopicsById().set(topicId, owned);
    return owned;
  }
}

/** Applies records in order to `image`; returns the image for chaining. */
export function applyRecords(image: MetadataImage, records: Iterable<MetadataRecord>): MetadataImage {
  for (const record of records) image.apply(record);
  return image;
}

/** Applies one record to `image` in place; returns the fencing changes it made. */
export function applyRecord(image: MetadataImage, record: MetadataRecord): readonly ImageEvent[] {
  return image.apply(record);
}

/**
 * The controller's latest image: the committed image plus the records appended after it and not
 * yet committed. Used when a node becomes the active controller and after its log is truncated.
 */
export function rebuildLatest(committed: MetadataImage, uncommitted: Iterable<MetadataRecord>): MetadataImage {
  return applyRecords(committed.clone(), uncommitted);
}

function resourceKey(resourceType: ConfigResourceType, resourceName: string): string {
  return `${resourceType}:${resourceName}`;
}

function fencingEvents(brokerId: number, wasFenced: boolean, fenced: boolean): readonly ImageEvent[] {
  if (wasFenced === fenced) return NO_EVENTS;
  return [{ kind: fenced ? 'broker-fenced' : 'broker-unfenced', brokerId }];
}

function checkPartitionState(
  topicName: string,
  partitionId: number,
  replicas: readonly number[],
  isr: readonly number[],
  leader: number,
  leaderEpoch: number,
  partitionEpoch: number,
): void {
  // Runs for every partition record applied: the loop is indexed (a for-of made an iterator per
  // record) and the place is named only in a failure (a closure for it was made every time).
  if (replicas.length === 0) fail(`${partitionPlace(partitionId, topicName)} has no replicas`);
  for (let i = 0; i < isr.length; i++) {
    const member = isr[i]!;
    if (!replicas.includes(member)) fail(`${partitionPlace(partitionId, topicName)} has ISR member ${member} that is not a replica`);
  }
  if (leader !== NO_LEADER && !isr.includes(leader)) {
    fail(`${partitionPlace(partitionId, topicName)} has leader ${leader} outside its ISR [${isr.join(',')}]`);
  }
  // The partition table stores these as int32.
  if (!isInt32AtLeast(leader, NO_LEADER)) fail(`${partitionPlace(partitionId, topicName)} has leader ${leader}, not an int32 of -1 or more`);
  if (!isInt32AtLeast(leaderEpoch, 0)) fail(`${partitionPlace(partitionId, topicName)} has leader epoch ${leaderEpoch}, not a non-negative int32`);
  if (!isInt32AtLeast(partitionEpoch, 0)) fail(`${partitionPlace(partitionId, topicName)} has partition epoch ${partitionEpoch}, not a non-negative int32`);
}

function partitionPlace(partitionId: number, topicName: string): string {
  return `partition ${partitionId} of ${topicName}`;
}

function isInt32AtLeast(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= INT32_MAX;
}

function fail(message: string): never {
  throw new MetadataInvariantError(message);
}
