/**
 * DescribeCluster (key 60), version 0, flexible: the message types and the codec. The version
 * file carries the grammar.
 */
import type { ApiVersionCodec } from '../api-codec.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';

export interface DescribeClusterRequest {
  includeClusterAuthorizedOperations: boolean;
}

export interface DescribeClusterBroker {
  brokerId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  clusterId: string;
  /** -1 when no controller is known. */
  controllerId: number;
  brokers: DescribeClusterBroker[];
  /** A bit field of authorized operations; Kafka's "not requested" value is -2^31. */
  clusterAuthorizedOperations: number;
}

/** Kafka's value of an authorized-operations field that was not asked for. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export function describeClusterCodec(
  version: number,
): ApiVersionCodec<DescribeClusterRequest, DescribeClusterResponse> {
  function decodeBroker(reader: Reader): DescribeClusterBroker {
    const broker = {
      brokerId: reader.int32(),
      host: reader.compactString('Brokers.Host'),
      port: reader.int32(),
      rack: reader.compactNullableString(),
    };
    reader.taggedFields();
    return broker;
  }

  function encodeBroker(writer: Writer, broker: DescribeClusterBroker): void {
    writer.int32(broker.brokerId).compactString(broker.host).int32(broker.port).compactNullableString(broker.rack);
    writer.taggedFields();
  }

  return {
    version,
    decodeRequest(reader) {
      const includeClusterAuthorizedOperations = reader.boolean();
      reader.taggedFields();
      return { includeClusterAuthorizedOperations };
    },
    encodeRequest(writer, request) {
      writer.boolean(request.includeClusterAuthorizedOperations).taggedFields();
    },
    decodeResponse(reader) {
      const response = {
        throttleTimeMs: reader.int32(),
        errorCode: reader.int16(),
        errorMessage: reader.compactNullableString(),
        clusterId: reader.compactString('ClusterId'),
        controllerId: reader.int32(),
        brokers: reader.compactArray('Brokers', decodeBroker),
        clusterAuthorizedOperations: reader.int32(),
      };
      reader.taggedFields();
      return response;
    },
    encodeResponse(writer, response) {
      writer.int32(response.throttleTimeMs).int16(response.errorCode).compactNullableString(response.errorMessage);
      writer.compactString(response.clusterId).int32(response.controllerId);
      writer.compactArray(response.brokers, encodeBroker).int32(response.clusterAuthorizedOperations);
      writer.taggedFields();
    },
  };
}
