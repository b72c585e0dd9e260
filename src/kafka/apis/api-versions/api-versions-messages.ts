/**
 * ApiVersions (key 18): the message types shared by all served versions, and the codec of a
 * given version. The per-version files carry the grammar and bind this to their version.
 */
import type { ApiVersionCodec } from '../api-codec.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';

/** Versions 0-2 of the request have no fields; version 3 (flexible, not served) adds client software names. */
export type ApiVersionsRequest = Record<never, never>;

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** Absent before v1; decodes as 0 there. */
  throttleTimeMs: number;
}

export function apiVersionsCodec(version: number): ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> {
  const hasThrottleTime = version >= 1;
  return {
    version,
    decodeRequest: () => ({}),
    encodeRequest: () => undefined,
    decodeResponse(reader: Reader): ApiVersionsResponse {
      const errorCode = reader.int16();
      const apiKeys = reader.array('ApiKeys', (item) => ({
        apiKey: item.int16(),
        minVersion: item.int16(),
        maxVersion: item.int16(),
      }));
      return { errorCode, apiKeys, throttleTimeMs: hasThrottleTime ? reader.int32() : 0 };
    },
    encodeResponse(writer: Writer, response: ApiVersionsResponse): void {
      writer.int16(response.errorCode);
      writer.array(response.apiKeys, (item, range) => {
        item.int16(range.apiKey).int16(range.minVersion).int16(range.maxVersion);
      });
      if (hasThrottleTime) writer.int32(response.throttleTimeMs);
    },
  };
}
