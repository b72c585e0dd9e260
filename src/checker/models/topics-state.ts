/**
 * The state of the `topics` model: what the metadata quorum knows about each topic name. It is an
 * immutable value; every change builds a new one and shares what did not change.
 *
 * The search memoizes on (linearized set, state), so `hash` and `equal` must be cheap: each topic
 * entry carries its hash, mixed from its fields once when the entry is built (the canonical text
 * of a configs object is computed once per object), and the state's hash is the wrapping sum of
 * its entries' hashes, updated incrementally on each change (a sum is order-independent, so two
 * maps built in different orders hash alike).
 *
 * A name that does not exist and has no remembered topic ids is simply absent from the map, so a
 * topic that was created and deleted again (ids unknown) is equal to one never created.
 */

export interface TopicEntry {
  readonly name: string;
  readonly exists: boolean;
  /** Partition count; 0 while the topic does not exist. */
  readonly partitions: number;
  /** The configs set on the topic (not defaults). Each key is in effect a register. */
  readonly configs: Readonly<Record<string, string>>;
  /** The topic id of the current incarnation, null when no answer has told it yet. */
  readonly topicId: string | null;
  /** Ids of deleted incarnations of this name, sorted: none of them may ever be answered again. */
  readonly retiredIds: readonly string[];
  /** Canonical text of `configs` (sorted key=value pairs): equal configs have equal text. */
  readonly configsText: string;
  readonly hash: number;
}

export interface TopicsState {
  readonly topics: ReadonlyMap<string, TopicEntry>;
  readonly hash: number;
}

export const EMPTY_TOPICS_STATE: TopicsState = { topics: new Map(), hash: 0 };

/** The entry for a name that has never existed (not stored in the map). */
export function absentTopic(name: string): TopicEntry {
  return makeTopicEntry({ name, exists: false, partitions: 0, configs: NO_CONFIGS, topicId: null, retiredIds: [] });
}

export function topicEntry(state: TopicsState, name: string): TopicEntry {
  return state.topics.get(name) ?? absentTopic(name);
}

// Steps share configs objects until an alter-config or create replaces them, so their canonical
// text is computed once per object; the same holds for names' hashes.
const configsCache = new WeakMap<object, { text: string; hash: number }>();
const stringHashCache = new Map<string, number>();
const STRING_HASH_CACHE_MAX = 100_000;

/** The configs a topic has before anything sets one. */
export const NO_CONFIGS: Readonly<Record<string, string>> = Object.freeze({});

function canonicalConfigs(configs: Readonly<Record<string, string>>): { text: string; hash: number } {
  let canonical = configsCache.get(configs);
  if (canonical === undefined) {
    const text = JSON.stringify(Object.keys(configs).sort().map((configKey) => [configKey, configs[configKey]]));
    canonical = { text, hash: fnv1a(text) };
    configsCache.set(configs, canonical);
  }
  return canonical;
}

/** Names and topic ids recur in every step: hash each once. */
function stringHash(text: string): number {
  let hash = stringHashCache.get(text);
  if (hash === undefined) {
    hash = fnv1a(text);
    if (stringHashCache.size < STRING_HASH_CACHE_MAX) stringHashCache.set(text, hash);
  }
  return hash;
}

export function makeTopicEntry(fields: Omit<TopicEntry, 'configsText' | 'hash'>): TopicEntry {
  const configs = canonicalConfigs(fields.configs);
  const configsText = configs.text;
  let hash = stringHash(fields.name);
  hash = mix(hash, fields.exists ? 1 : 2);
  hash = mix(hash, fields.partitions);
  hash = mix(hash, configs.hash);
  if (fields.topicId !== null) hash = mix(hash, stringHash(fields.topicId));
  hash = mix(hash, retiredIdsHash(fields.retiredIds));
  return {
    name: fields.name,
    exists: fields.exists,
    partitions: fields.partitions,
    configs: fields.configs,
    topicId: fields.topicId,
    retiredIds: fields.retiredIds,
    configsText,
    hash,
  };
}

export function sameTopicEntry(a: TopicEntry, b: TopicEntry): boolean {
  if (a === b) return true;
  return a.hash === b.hash && a.name === b.name && a.exists === b.exists && a.partitions === b.partitions &&
    a.topicId === b.topicId && a.configsText === b.configsText &&
    (a.retiredIds === b.retiredIds ||
      (a.retiredIds.length === b.retiredIds.length && a.retiredIds.every((id, i) => id === b.retiredIds[i])));
}

// Retired ids grow by one per delete of a topic whose id was answered, so a long history's names
// carry hundreds of them. Hashing them at every step made each step O(incarnations): instead each
// list's hash is computed once (cached per array), and `withRetiredId` returns the same array for
// the same (list, id), so the search, which repeats the same deletes over and over, shares lists
// (equality is then a reference check) and never rehashes them.
const retiredHashCache = new WeakMap<readonly string[], number>();
const retiredChildren = new WeakMap<readonly string[], Map<string, readonly string[]>>();
const retiredSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** An order-independent hash of a retired-id list (a sum, so sorting does not matter). */
function retiredIdsHash(retiredIds: readonly string[]): number {
  let hash = retiredHashCache.get(retiredIds);
  if (hash === undefined) {
    hash = 0;
    for (const retiredId of retiredIds) hash = (hash + mix(0x27d4eb2f, stringHash(retiredId))) | 0;
    retiredHashCache.set(retiredIds, hash);
  }
  return hash;
}

/** `retiredIds` with `topicId` added, sorted; the same array each time for the same arguments. */
export function withRetiredId(retiredIds: readonly string[], topicId: string): readonly string[] {
  let children = retiredChildren.get(retiredIds);
  if (children === undefined) {
    children = new Map();
    retiredChildren.set(retiredIds, children);
  }
  let child = children.get(topicId);
  if (child === undefined) {
    child = Object.freeze([...retiredIds, topicId].sort());
    children.set(topicId, child);
    retiredHashCache.set(child, (retiredIdsHash(retiredIds) + mix(0x27d4eb2f, stringHash(topicId))) | 0);
  }
  return child;
}

/** Whether `topicId` is one of `retiredIds`, in O(1) after the first ask per list. */
export function isRetiredId(retiredIds: readonly string[], topicId: string): boolean {
  if (retiredIds.length < 8) return retiredIds.includes(topicId);
  let set = retiredSets.get(retiredIds);
  if (set === undefined) {
    set = new Set(retiredIds);
    retiredSets.set(retiredIds, set);
  }
  return set.has(topicId);
}

/** A new state with `entry` in place of whatever `state` held for its name. */
export function withTopic(state: TopicsState, entry: TopicEntry): TopicsState {
  const previous = state.topics.get(entry.name);
  if (previous !== undefined && sameTopicEntry(previous, entry)) return state;
  const forgettable = !entry.exists && entry.retiredIds.length === 0;
  if (previous === undefined && forgettable) return state;
  const topics = new Map(state.topics);
  let hash = state.hash;
  if (previous !== undefined) hash = (hash - previous.hash) | 0;
  if (forgettable) {
    topics.delete(entry.name);
  } else {
    topics.set(entry.name, entry);
    hash = (hash + entry.hash) | 0;
  }
  return { topics, hash };
}

export function topicsStatesEqual(a: TopicsState, b: TopicsState): boolean {
  if (a === b) return true;
  if (a.hash !== b.hash || a.topics.size !== b.topics.size) return false;
  for (const [name, entry] of a.topics) {
    const other = b.topics.get(name);
    if (other === undefined || !sameTopicEntry(entry, other)) return false;
  }
  return true;
}

/** Names of the topics that exist, sorted. */
export function existingTopicNames(state: TopicsState): string[] {
  const names: string[] = [];
  for (const entry of state.topics.values()) if (entry.exists) names.push(entry.name);
  return names.sort();
}

/** "orders: 3 partitions {retention.ms=1000} id abc", "orders: absent". */
export function describeTopicEntry(entry: TopicEntry): string {
  const parts = [`${entry.name}: `];
  if (entry.exists) {
    parts.push(`${entry.partitions} partition${entry.partitions === 1 ? '' : 's'}`);
    parts.push(` ${describeConfigs(entry.configs)}`);
    if (entry.topicId !== null) parts.push(` id ${entry.topicId}`);
  } else {
    parts.push('absent');
  }
  if (entry.retiredIds.length > 0) parts.push(` (deleted ids ${entry.retiredIds.join(', ')})`);
  return parts.join('');
}

export function describeTopicsState(state: TopicsState): string {
  if (state.topics.size === 0) return 'no topics';
  return [...state.topics.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(describeTopicEntry)
    .join('; ');
}

export function describeConfigs(configs: Readonly<Record<string, string>>): string {
  const keys = Object.keys(configs).sort();
  return `{${keys.map((configKey) => `${configKey}=${configs[configKey] ?? ''}`).join(', ')}}`;
}

/** Folds `value` into `hash` (a murmur3-style round): order-dependent, cheap. */
function mix(hash: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const h = hash ^ k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** 32-bit FNV-1a over UTF-16 code units: cheap, and good enough for a memo table's buckets. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
