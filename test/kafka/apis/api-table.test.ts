/**
 * The API table's own promises: the advertised ranges, the header versions that go with each
 * API version, a codec for every advertised version, and an error response that every version
 * can carry (the connection falls back on it when a handler fails).
 */
import { describe, expect, it } from 'vitest';
import { apiVersionsTable, codecOf, requestHeaderVersion, responseHeaderVersion, servedApis } from '../../../src/kafka/apis/index.js';
import { decodeResponsePayload, encodeResponseFrame } from '../../../src/kafka/apis/message-frames.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { goldenCases } from './golden-cases.js';

describe('the API table', () => {
  it('advertises exactly the served ranges, sorted by key, all from version 0', () => {
    expect(apiVersionsTable()).toEqual([
      { apiKey: 3, minVersion: 0, maxVersion: 6 },
      { apiKey: 18, minVersion: 0, maxVersion: 2 },
      { apiKey: 19, minVersion: 0, maxVersion: 3 },
      { apiKey: 20, minVersion: 0, maxVersion: 1 },
      { apiKey: 32, minVersion: 0, maxVersion: 2 },
      { apiKey: 33, minVersion: 0, maxVersion: 1 },
      { apiKey: 37, minVersion: 0, maxVersion: 1 },
      { apiKey: 55, minVersion: 0, maxVersion: 2 },
      { apiKey: 60, minVersion: 0, maxVersion: 0 },
      { apiKey: 80, minVersion: 0, maxVersion: 0 },
      { apiKey: 81, minVersion: 0, maxVersion: 0 },
      { apiKey: 82, minVersion: 0, maxVersion: 0 },
    ]);
  });

  it.each(servedApis.map((api) => [api.name, api] as const))('%s has one codec per version, in order', (_name, api) => {
    expect(api.versions.map((codec) => codec.version)).toEqual(
      Array.from({ length: api.maxVersion - api.minVersion + 1 }, (_, i) => api.minVersion + i),
    );
    expect(() => codecOf(api, api.maxVersion + 1)).toThrow(new RegExp(`${api.name} v${api.maxVersion + 1} is not served`));
  });

  it('uses request header v2 and response header v1 exactly for flexible versions, except ApiVersions responses', () => {
    const headers = servedApis.flatMap((api) =>
      api.versions.map((codec) => `${api.name} v${codec.version}: ${requestHeaderVersion(api, codec.version)}/${responseHeaderVersion(api, codec.version)}`),
    );
    expect(headers.filter((line) => !line.endsWith('1/0'))).toEqual([
      'DescribeQuorum v0: 2/1',
      'DescribeQuorum v1: 2/1',
      'DescribeQuorum v2: 2/1',
      'DescribeCluster v0: 2/1',
      'AddRaftVoter v0: 2/1',
      'RemoveRaftVoter v0: 2/1',
      'UpdateRaftVoter v0: 2/1',
    ]);
  });

  it.each(goldenCases.map((golden) => [golden.name, golden] as const))(
    '%s: the error response names everything the request did and encodes in its version',
    (_name, golden) => {
      const errorResponse = golden.api.errorResponse(golden.expectedRequest, ErrorCode.NOT_CONTROLLER, 'try the controller');
      const frame = encodeResponseFrame(golden.api, golden.version, 99, errorResponse);
      const { response } = decodeResponsePayload(golden.api, golden.version, frame.subarray(4));
      const text = JSON.stringify(response);
      // As in Kafka, a Metadata request for all topics names nothing, so its error response is
      // empty; every other request gets the code on each thing it named.
      const namesNothing = golden.api.name === 'ApiVersions' || golden.name.endsWith('-all-topics');
      if (!namesNothing) expect(text).toContain(`"errorCode":${ErrorCode.NOT_CONTROLLER}`);
      for (const name of JSON.stringify(golden.expectedRequest).match(/"(orders|payments|placed)"/g) ?? []) {
        expect(text).toContain(name);
      }
    },
  );
});
