/**
 * DeleteTopics (key 20), versions 0-1: the message types shared by both served versions, and the
 * codec of a given version. The per-version files carry the grammar and bind it to a version.
 */
import type { ApiVersionCodec } from '../api-codec.js';

export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}

export interface DeletableTopicResult {
  name: string;
  errorCode: number;
}

export interface DeleteTopicsResponse {
  /** Absent in v0; decodes as 0 there. */
  throttleTimeMs: number;
  responses: DeletableTopicResult[];
}

export function deleteTopicsCodec(version: number): ApiVersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> {
  const hasThrottleTime = version >= 1;
  return {
    version,
    decodeRequest(reader) {
      const topicNames = reader.array('TopicNames', (r) => r.string('TopicNames'));
      return { topicNames, timeoutMs: reader.int32() };
    },
    encodeRequest(writer, request) {
      writer.array(request.topicNames, (w, name) => w.string(name)).int32(request.timeoutMs);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottleTime ? reader.int32() : 0;
      const responses = reader.array('Responses', (r) => ({ name: r.string('Responses.Name'), errorCode: r.int16() }));
      return { throttleTimeMs, responses };
    },
    encodeResponse(writer, response) {
      if (hasThrottleTime) writer.int32(response.throttleTimeMs);
      writer.array(response.responses, (w, result) => w.string(result.name).int16(result.errorCode));
    },
  };
}
