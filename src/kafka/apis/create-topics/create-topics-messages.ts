/**
 * CreateTopics (key 19), versions 0-3: the message types shared by all served versions, and the
 * codec of a given version. The per-version files carry the grammar and bind it to a version.
 */
import type { ApiVersionCodec } from '../api-codec.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';

export interface CreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
}

export interface CreatableTopic {
  name: string;
  /** -1 asks for the broker default (or, with assignments, the number of them). */
  numPartitions: number;
  /** -1 asks for the broker default. */
  replicationFactor: number;
  assignments: CreatableReplicaAssignment[];
  configs: CreatableTopicConfig[];
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  /** Absent in v0; decodes as false there. */
  validateOnly: boolean;
}

export interface CreatableTopicResult {
  name: string;
  errorCode: number;
  /** Absent in v0; decodes as null there. */
  errorMessage: string | null;
}

export interface CreateTopicsResponse {
  /** Absent before v2; decodes as 0 there. */
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}

export function createTopicsCodec(version: number): ApiVersionCodec<CreateTopicsRequest, CreateTopicsResponse> {
  const has = { validateOnlyAndMessage: version >= 1, throttleTime: version >= 2 };

  function decodeTopic(reader: Reader): CreatableTopic {
    return {
      name: reader.string('Topics.Name'),
      numPartitions: reader.int32(),
      replicationFactor: reader.int16(),
      assignments: reader.array('Assignments', (r) => ({
        partitionIndex: r.int32(),
        brokerIds: r.array('Assignments.BrokerIds', (b) => b.int32()),
      })),
      configs: reader.array('Configs', (r) => ({ name: r.string('Configs.Name'), value: r.nullableString() })),
    };
  }

  function encodeTopic(writer: Writer, topic: CreatableTopic): void {
    writer.string(topic.name).int32(topic.numPartitions).int16(topic.replicationFactor);
    writer.array(topic.assignments, (w, assignment) => {
      w.int32(assignment.partitionIndex).array(assignment.brokerIds, (b, id) => b.int32(id));
    });
    writer.array(topic.configs, (w, config) => w.string(config.name).nullableString(config.value));
  }

  return {
    version,
    decodeRequest(reader) {
      const topics = reader.array('Topics', decodeTopic);
      const timeoutMs = reader.int32();
      return { topics, timeoutMs, validateOnly: has.validateOnlyAndMessage ? reader.boolean() : false };
    },
    encodeRequest(writer, request) {
      writer.array(request.topics, encodeTopic).int32(request.timeoutMs);
      if (has.validateOnlyAndMessage) writer.boolean(request.validateOnly);
    },
    decodeResponse(reader) {
      const throttleTimeMs = has.throttleTime ? reader.int32() : 0;
      const topics = reader.array('Topics', (r) => ({
        name: r.string('Topics.Name'),
        errorCode: r.int16(),
        errorMessage: has.validateOnlyAndMessage ? r.nullableString() : null,
      }));
      return { throttleTimeMs, topics };
    },
    encodeResponse(writer, response) {
      if (has.throttleTime) writer.int32(response.throttleTimeMs);
      writer.array(response.topics, (w, topic) => {
        w.string(topic.name).int16(topic.errorCode);
        if (has.validateOnlyAndMessage) w.nullableString(topic.errorMessage);
      });
    },
  };
}
