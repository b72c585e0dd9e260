/**
 * DescribeQuorum (key 55), versions 0-1, flexible: the message types shared by both served
 * versions, and the codec of a given version. The per-version files carry the grammar.
 *
 * Every structure ends with a tagged-field section. Unknown tags are read and dropped, as the
 * schemas of these versions define none, and written as empty.
 */
import type { ApiVersionCodec } from '../api-codec.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';

export interface DescribeQuorumRequest {
  topics: { topicName: string; partitions: { partitionIndex: number }[] }[];
}

export interface ReplicaState {
  replicaId: number;
  /** -1 when unknown. */
  logEndOffset: bigint;
  /** On the wire from v1 (leader wall-clock ms of the replica's last fetch); -1 when unknown and in v0. */
  lastFetchTimestamp: bigint;
  /** On the wire from v1 (leader wall-clock ms when the replica last caught up); -1 when unknown and in v0. */
  lastCaughtUpTimestamp: bigint;
}

export interface DescribeQuorumPartition {
  partitionIndex: number;
  errorCode: number;
  /** -1 when no leader is known. */
  leaderId: number;
  leaderEpoch: number;
  highWatermark: bigint;
  currentVoters: ReplicaState[];
  observers: ReplicaState[];
}

export interface DescribeQuorumResponse {
  errorCode: number;
  topics: { topicName: string; partitions: DescribeQuorumPartition[] }[];
}

export function describeQuorumCodec(version: number): ApiVersionCodec<DescribeQuorumRequest, DescribeQuorumResponse> {
  const hasTimestamps = version >= 1;

  function decodeReplica(reader: Reader): ReplicaState {
    const replicaId = reader.int32();
    const logEndOffset = reader.int64();
    const lastFetchTimestamp = hasTimestamps ? reader.int64() : -1n;
    const lastCaughtUpTimestamp = hasTimestamps ? reader.int64() : -1n;
    reader.taggedFields();
    return { replicaId, logEndOffset, lastFetchTimestamp, lastCaughtUpTimestamp };
  }

  function encodeReplica(writer: Writer, replica: ReplicaState): void {
    writer.int32(replica.replicaId).int64(replica.logEndOffset);
    if (hasTimestamps) writer.int64(replica.lastFetchTimestamp).int64(replica.lastCaughtUpTimestamp);
    writer.taggedFields();
  }

  function decodePartition(reader: Reader): DescribeQuorumPartition {
    const partition = {
      partitionIndex: reader.int32(),
      errorCode: reader.int16(),
      leaderId: reader.int32(),
      leaderEpoch: reader.int32(),
      highWatermark: reader.int64(),
      currentVoters: reader.compactArray('CurrentVoters', decodeReplica),
      observers: reader.compactArray('Observers', decodeReplica),
    };
    reader.taggedFields();
    return partition;
  }

  function encodePartition(writer: Writer, partition: DescribeQuorumPartition): void {
    writer.int32(partition.partitionIndex).int16(partition.errorCode).int32(partition.leaderId);
    writer.int32(partition.leaderEpoch).int64(partition.highWatermark);
    writer.compactArray(partition.currentVoters, encodeReplica).compactArray(partition.observers, encodeReplica);
    writer.taggedFields();
  }

  return {
    version,
    decodeRequest(reader) {
      const topics = reader.compactArray('Topics', (t) => {
        const topicName = t.compactString('Topics.TopicName');
        const partitions = t.compactArray('Partitions', (p) => {
          const partitionIndex = p.int32();
          p.taggedFields();
          return { partitionIndex };
        });
        t.taggedFields();
        return { topicName, partitions };
      });
      reader.taggedFields();
      return { topics };
    },
    encodeRequest(writer, request) {
      writer.compactArray(request.topics, (t, topic) => {
        t.compactString(topic.topicName);
        t.compactArray(topic.partitions, (p, partition) => p.int32(partition.partitionIndex).taggedFields());
        t.taggedFields();
      });
      writer.taggedFields();
    },
    decodeResponse(reader) {
      const errorCode = reader.int16();
      const topics = reader.compactArray('Topics', (t) => {
        const topicName = t.compactString('Topics.TopicName');
        const partitions = t.compactArray('Partitions', decodePartition);
        t.taggedFields();
        return { topicName, partitions };
      });
      reader.taggedFields();
      return { errorCode, topics };
    },
    encodeResponse(writer, response) {
      writer.int16(response.errorCode);
      writer.compactArray(response.topics, (t, topic) => {
        t.compactString(topic.topicName).compactArray(topic.partitions, encodePartition).taggedFields();
      });
      writer.taggedFields();
    },
  };
}
