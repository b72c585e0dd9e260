/**
 * CreatePartitions (key 37), versions 0-1: the message types shared by both served versions, and
 * the codec of a given version. The per-version files carry the grammar and bind it to a version.
 */
import type { ApiVersionCodec } from '../api-codec.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';

export interface CreatePartitionsAssignment {
  brokerIds: number[];
}

export interface CreatePartitionsTopic {
  name: string;
  /** The partition count the topic should have afterwards (not the number to add). */
  count: number;
  /** One entry per new partition, or null to let the controller place them. */
  assignments: CreatePartitionsAssignment[] | null;
}

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: CreatePartitionsTopicResult[];
}

export function createPartitionsCodec(
  version: number,
): ApiVersionCodec<CreatePartitionsRequest, CreatePartitionsResponse> {
  function decodeTopic(reader: Reader): CreatePartitionsTopic {
    return {
      name: reader.string('Topics.Name'),
      count: reader.int32(),
      // kafkajs writes each BrokerIds list as a nullable array although Kafka's schema says it is
      // not nullable; a null list is read as empty so the controller rejects it as an invalid
      // assignment with a Kafka error rather than the connection being dropped.
      assignments: reader.nullableArray((r) => ({ brokerIds: r.nullableArray((b) => b.int32()) ?? [] })),
    };
  }

  function encodeTopic(writer: Writer, topic: CreatePartitionsTopic): void {
    writer.string(topic.name).int32(topic.count);
    writer.nullableArray(topic.assignments, (w, assignment) => {
      w.array(assignment.brokerIds, (b, id) => b.int32(id));
    });
  }

  return {
    version,
    decodeRequest(reader) {
      const topics = reader.array('Topics', decodeTopic);
      const timeoutMs = reader.int32();
      return { topics, timeoutMs, validateOnly: reader.boolean() };
    },
    encodeRequest(writer, request) {
      writer.array(request.topics, encodeTopic).int32(request.timeoutMs).boolean(request.validateOnly);
    },
    decodeResponse(reader) {
      const throttleTimeMs = reader.int32();
      const results = reader.array('Results', (r) => ({
        name: r.string('Results.Name'),
        errorCode: r.int16(),
        errorMessage: r.nullableString(),
      }));
      return { throttleTimeMs, results };
    },
    encodeResponse(writer, response) {
      writer.int32(response.throttleTimeMs);
      writer.array(response.results, (w, result) => {
        w.string(result.name).int16(result.errorCode).nullableString(result.errorMessage);
      });
    },
  };
}
