/**
 * Metadata (key 3), versions 0-6: the message types shared by all served versions, and the
 * codec of a given version. The per-version files carry the grammar and bind it to a version.
 */
import type { ApiVersionCodec } from '../api-codec.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';

export interface MetadataRequest {
  /**
   * The topics to describe, or null for all topics. In v0 the wire has no null: an empty list
   * means all topics there, so v0 decodes an empty list as null and encodes null as empty.
   */
  topics: string[] | null;
  /** Absent before v4, where brokers always auto-created; decodes as true there. */
  allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  /** Absent in v0; decodes as null there. */
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** Absent before v5; decodes as empty there. */
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  /** Absent in v0; decodes as false there. */
  isInternal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  /** Absent before v3; decodes as 0 there. */
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  /** Absent before v2; decodes as null there. */
  clusterId: string | null;
  /** Absent in v0; decodes as -1 there. kafkajs needs a real id here from v1 on, never -1. */
  controllerId: number;
  topics: MetadataTopic[];
}

export function metadataCodec(version: number): ApiVersionCodec<MetadataRequest, MetadataResponse> {
  const has = {
    nullableTopics: version >= 1,
    rackControllerInternal: version >= 1,
    clusterId: version >= 2,
    throttleTime: version >= 3,
    autoCreate: version >= 4,
    offlineReplicas: version >= 5,
  };

  function decodePartition(reader: Reader): MetadataPartition {
    return {
      errorCode: reader.int16(),
      partitionIndex: reader.int32(),
      leaderId: reader.int32(),
      replicaNodes: reader.array('ReplicaNodes', (r) => r.int32()),
      isrNodes: reader.array('IsrNodes', (r) => r.int32()),
      offlineReplicas: has.offlineReplicas ? reader.array('OfflineReplicas', (r) => r.int32()) : [],
    };
  }

  function encodePartition(writer: Writer, partition: MetadataPartition): void {
    writer.int16(partition.errorCode).int32(partition.partitionIndex).int32(partition.leaderId);
    writer.array(partition.replicaNodes, (w, id) => w.int32(id));
    writer.array(partition.isrNodes, (w, id) => w.int32(id));
    if (has.offlineReplicas) writer.array(partition.offlineReplicas, (w, id) => w.int32(id));
  }

  function decodeTopic(reader: Reader): MetadataTopic {
    const errorCode = reader.int16();
    const name = reader.string('Topics.Name');
    const isInternal = has.rackControllerInternal ? reader.boolean() : false;
    return { errorCode, name, isInternal, partitions: reader.array('Partitions', decodePartition) };
  }

  function encodeTopic(writer: Writer, topic: MetadataTopic): void {
    writer.int16(topic.errorCode).string(topic.name);
    if (has.rackControllerInternal) writer.boolean(topic.isInternal);
    writer.array(topic.partitions, encodePartition);
  }

  function decodeBroker(reader: Reader): MetadataBroker {
    const nodeId = reader.int32();
    const host = reader.string('Brokers.Host');
    const port = reader.int32();
    return { nodeId, host, port, rack: has.rackControllerInternal ? reader.nullableString() : null };
  }

  function encodeBroker(writer: Writer, broker: MetadataBroker): void {
    writer.int32(broker.nodeId).string(broker.host).int32(broker.port);
    if (has.rackControllerInternal) writer.nullableString(broker.rack);
  }

  return {
    version,
    decodeRequest(reader) {
      const readName = (r: Reader): string => r.string('Topics.Name');
      const topics = has.nullableTopics ? reader.nullableArray(readName) : reader.array('Topics', readName);
      const allTopics = topics === null || (!has.nullableTopics && topics.length === 0);
      const allowAutoTopicCreation = has.autoCreate ? reader.boolean() : true;
      return { topics: allTopics ? null : topics, allowAutoTopicCreation };
    },
    encodeRequest(writer, request) {
      const writeName = (w: Writer, name: string): void => void w.string(name);
      if (has.nullableTopics) writer.nullableArray(request.topics, writeName);
      else writer.array(request.topics ?? [], writeName);
      if (has.autoCreate) writer.boolean(request.allowAutoTopicCreation);
    },
    decodeResponse(reader) {
      const throttleTimeMs = has.throttleTime ? reader.int32() : 0;
      const brokers = reader.array('Brokers', decodeBroker);
      const clusterId = has.clusterId ? reader.nullableString() : null;
      const controllerId = has.rackControllerInternal ? reader.int32() : -1;
      return { throttleTimeMs, brokers, clusterId, controllerId, topics: reader.array('Topics', decodeTopic) };
    },
    encodeResponse(writer, response) {
      if (has.throttleTime) writer.int32(response.throttleTimeMs);
      writer.array(response.brokers, encodeBroker);
      if (has.clusterId) writer.nullableString(response.clusterId);
      if (has.rackControllerInternal) writer.int32(response.controllerId);
      writer.array(response.topics, encodeTopic);
    },
  };
}
