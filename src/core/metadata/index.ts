/**
 * The metadata state machine's public API: records and their codec, the image, write planning,
 * read answers, snapshots and broker sessions. Everything here is pure (no IO, clock or
 * randomness); the consensus glue drives it.
 *
 * The glue's duties, in order:
 * 1. Every node applies each committed record to its committed image (`image.apply`) in offset
 *    order, and emits `committed` events with `recordDigest(bytes)` and the returned fencing events.
 * 2. The active controller keeps `latest = rebuildLatest(committed, uncommittedRecords)` when it
 *    becomes leader or its log is truncated, plans each write with `planWrite(latest, op, context)`,
 *    appends the returned records (all of one write in one batch) and applies them to `latest`.
 * 3. It replies to a write once its last record is committed and applied; an empty `records` list
 *    (a heartbeat that changes nothing) is answered at once.
 * 4. It fences brokers whose sessions expired: `planSessionExpiries(latest, sessions, nowMs)` gives
 *    fence operations to plan like any other write.
 * 5. Reads are answered by `answerRead(image, op)` from an image that has applied the read index.
 */
export * from './errors.js';
export * from './records.js';
export {
  encodeRecord,
  encodeRecordRun,
  decodeRecord,
  recordDigest,
  recordToJson,
  recordFromObject,
  RecordFormatError,
  RECORD_FORMAT_VERSION,
  JSON_FORMAT_VERSION,
} from './record-codec.js';
export { fnv1a64Hex, Fnv1a64 } from './fnv1a64.js';
export {
  MetadataImage,
  applyRecord,
  applyRecords,
  rebuildLatest,
  collisionKey,
  type BrokerRegistration,
  type ImageEvent,
  type LocatedPartition,
  type PartitionState,
  type TopicView,
} from './image.js';
export * from './operations.js';
export { planWrite, planSlicedFencing, resolveSettings, type SlicedFencing } from './plan-write.js';
export { answerRead } from './answer-read.js';
export { snapshotRecords, snapshotRecordRuns, loadSnapshot, imageDigest, MetadataSnapshot, metadataSnapshotOf } from './snapshot.js';
export { BrokerSessions, planSessionExpiries } from './broker-sessions.js';
export { topicIdSourceFrom, topicIdFromUuid, isTopicId, ZERO_TOPIC_ID, type TopicIdSource } from './topic-ids.js';
export { topicNameProblem, TOPIC_NAME_LENGTH_MAX } from './topic-names.js';
export { TOPIC_CONFIG_RULES, topicConfigsProblem } from './topic-configs.js';
export { assignReplicas } from './replica-assignment.js';
export { partitionChangesOnFence, partitionChangesOnUnfence, FencingScan, type FencingPass, type IsLeaving } from './broker-fencing.js';
