/**
 * The metadata records, modelled on KIP-631 (Kafka's `metadata/.../*Record.json`). The metadata log
 * is a sequence of these; applying them in order to an empty image rebuilds the cluster's metadata,
 * and a snapshot is a list of them too. Field names follow Kafka's, in camelCase.
 *
 * Differences from Kafka, on purpose:
 * - Topic ids are 32 lowercase hex digits (the 16 bytes of Kafka's Uuid), so the Kafka front can
 *   turn them into wire bytes without a base64 step.
 * - FenceBroker / UnfenceBroker are kept as separate records (KIP-631's original shape) rather than
 *   BrokerRegistrationChange, since fencing is the only registration change we model.
 * - PartitionChange carries `leader` and `isr` as "null = unchanged" instead of Kafka's -2 sentinel.
 */

/** Kafka's "no leader" partition leader id. */
export const NO_LEADER = -1;

export interface BrokerEndpoint {
  /** Listener name, e.g. "PLAINTEXT". */
  name: string;
  host: string;
  port: number;
  /** e.g. "PLAINTEXT". */
  securityProtocol: string;
}

export interface RegisterBrokerRecord {
  type: 'RegisterBroker';
  brokerId: number;
  /** Chosen by the broker at start-up; a new one per process incarnation. */
  incarnationId: string;
  /** The offset of this record in the metadata log, as Kafka does: unique and increasing. */
  brokerEpoch: number;
  endpoints: BrokerEndpoint[];
  rack: string | null;
  fenced: boolean;
}

/** A broker's registration as an image holds it and a snapshot writes it: a RegisterBroker record's fields. */
export interface BrokerRegistration {
  readonly brokerId: number;
  readonly incarnationId: string;
  readonly brokerEpoch: number;
  readonly endpoints: readonly BrokerEndpoint[];
  readonly rack: string | null;
  readonly fenced: boolean;
}

export interface FenceBrokerRecord {
  type: 'FenceBroker';
  brokerId: number;
  brokerEpoch: number;
}

export interface UnfenceBrokerRecord {
  type: 'UnfenceBroker';
  brokerId: number;
  brokerEpoch: number;
}

export interface TopicRecord {
  type: 'Topic';
  name: string;
  topicId: string;
}

export interface PartitionRecord {
  type: 'Partition';
  topicId: string;
  partitionId: number;
  replicas: number[];
  isr: number[];
  /** A broker id, or NO_LEADER. */
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
}

/**
 * A change to one partition. Applying it bumps the partition epoch; a change of leader also bumps
 * the leader epoch (as Kafka's replay derives both instead of carrying them).
 */
export interface PartitionChangeRecord {
  type: 'PartitionChange';
  topicId: string;
  partitionId: number;
  /** The new ISR, or null: unchanged. */
  isr: number[] | null;
  /** The new leader (a broker id or NO_LEADER), or null: unchanged. */
  leader: number | null;
}

export interface RemoveTopicRecord {
  type: 'RemoveTopic';
  topicId: string;
}

export type ConfigResourceType = 'topic' | 'broker';

/** Sets (value a string) or deletes (value null) one config of a topic or broker. */
export interface ConfigRecord {
  type: 'Config';
  resourceType: ConfigResourceType;
  /** The topic name, or the broker id in decimal. */
  resourceName: string;
  name: string;
  value: string | null;
}

/** Carries nothing; a new leader appends one to commit an entry of its own epoch. */
export interface NoOpRecord {
  type: 'NoOp';
}

/**
 * KIP-853's KRaftVersionRecord, a control record of the raft layer: the kraft.version from its
 * offset on. The metadata image ignores it.
 */
export interface KRaftVersionRecord {
  type: 'KRaftVersion';
  kraftVersion: number;
}

/**
 * One voter of a voter set, a control record of the raft layer (KIP-853's VotersRecord lists
 * them): a log entry whose batch holds Voter records sets the voter set to exactly those. The
 * metadata image ignores them. `endpoints` are the controller's listeners.
 */
export interface VoterRecord {
  type: 'Voter';
  voterId: number;
  /** Kafka's base64 UUID text of the voter's metadata directory. */
  directoryId: string;
  endpoints: BrokerEndpoint[];
}

export type MetadataRecord =
  | RegisterBrokerRecord
  | FenceBrokerRecord
  | UnfenceBrokerRecord
  | TopicRecord
  | PartitionRecord
  | PartitionChangeRecord
  | RemoveTopicRecord
  | ConfigRecord
  | NoOpRecord
  | KRaftVersionRecord
  | VoterRecord;

export type MetadataRecordType = MetadataRecord['type'];

export const METADATA_RECORD_TYPES: readonly MetadataRecordType[] = [
  'RegisterBroker',
  'FenceBroker',
  'UnfenceBroker',
  'Topic',
  'Partition',
  'PartitionChange',
  'RemoveTopic',
  'Config',
  'NoOp',
  'KRaftVersion',
  'Voter',
];

export const NO_OP_RECORD: NoOpRecord = Object.freeze({ type: 'NoOp' }) as NoOpRecord;
