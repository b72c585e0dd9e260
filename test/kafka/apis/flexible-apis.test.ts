/**
 * DescribeQuorum and DescribeCluster (flexible versions, which kafkajs does not speak): their
 * frames checked against bytes written out by hand from Kafka's schemas, field by field.
 */
import { ZERO_UUID } from '../../../src/kafka/protocol/uuid.js';
import { describe, expect, it } from 'vitest';
import { describeClusterApi, describeQuorumApi } from '../../../src/kafka/apis/index.js';
import { decodeRequestPayload, decodeResponsePayload, encodeRequestFrame, encodeResponseFrame } from '../../../src/kafka/apis/message-frames.js';

const bytes = (...parts: string[]): string => parts.join('').replace(/\s+/g, '');
const sizePrefixed = (hex: string): string => (hex.length / 2).toString(16).padStart(8, '0') + hex;

describe('DescribeCluster v0', () => {
  const requestHex = sizePrefixed(
    bytes(
      '003c 0000 00000007', // api key 60, version 0, correlation id 7
      '0004 746f6f6c', // client id "tool", a classic int16-length string even in header v2
      '00', // header tagged fields: none
      '01', // include_cluster_authorized_operations = true
      '00', // tagged fields
    ),
  );

  it('encodes and decodes the request with header v2', () => {
    const frame = encodeRequestFrame(describeClusterApi, 0, { correlationId: 7, clientId: 'tool' }, { includeClusterAuthorizedOperations: true });
    expect(frame.toString('hex')).toBe(requestHex);
    const { header, request } = decodeRequestPayload(describeClusterApi, 0, Buffer.from(requestHex, 'hex').subarray(4));
    expect(header).toMatchObject({ apiKey: 60, apiVersion: 0, correlationId: 7, clientId: 'tool' });
    expect(request).toEqual({ includeClusterAuthorizedOperations: true });
  });

  it('skips tagged fields it does not know, as flexible versions require', () => {
    const withUnknownTags = sizePrefixed(
      bytes('003c 0000 00000007 0004 746f6f6c', '01 05 02 abcd', '00', '01 09 01 ff'),
    );
    const { header, request } = decodeRequestPayload(describeClusterApi, 0, Buffer.from(withUnknownTags, 'hex').subarray(4));
    expect(header.taggedFields.get(5)?.toString('hex')).toBe('abcd');
    expect(request).toEqual({ includeClusterAuthorizedOperations: false });
  });

  it('encodes and decodes the response with header v1', () => {
    const response = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      clusterId: 'abc',
      controllerId: 2,
      brokers: [{ brokerId: 1, host: 'h1', port: 9092, rack: null }],
      clusterAuthorizedOperations: -2147483648,
    };
    const expected = sizePrefixed(
      bytes(
        '00000007 00', // correlation id, header tagged fields
        '00000000 0000', // throttle time, error code
        '00', // error message: null (compact, 0)
        '04 616263', // cluster id "abc" (compact, length + 1)
        '00000002', // controller id
        '02', // brokers: one (compact count + 1)
        '00000001 03 6831 00002384 00 00', // id 1, host "h1", port 9092, rack null, tagged fields
        '80000000', // cluster authorized operations: omitted
        '00', // tagged fields
      ),
    );
    const frame = encodeResponseFrame(describeClusterApi, 0, 7, response);
    expect(frame.toString('hex')).toBe(expected);
    expect(decodeResponsePayload(describeClusterApi, 0, frame.subarray(4))).toEqual({ correlationId: 7, response });
  });
});

describe('DescribeQuorum', () => {
  const request = { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] };
  const topicNameHex = '13' + Buffer.from('__cluster_metadata').toString('hex');

  it.each([0, 1])('encodes and decodes the v%i request', (version) => {
    const expected = sizePrefixed(
      bytes(
        `0037 000${version} 00000009 ffff 00`, // key 55, version, correlation id 9, null client id, tags
        '02', // topics: one
        topicNameHex,
        '02 00000000 00', // partitions: one, index 0, tagged fields
        '00', // topic tagged fields
        '00', // tagged fields
      ),
    );
    const frame = encodeRequestFrame(describeQuorumApi, version, { correlationId: 9, clientId: null }, request);
    expect(frame.toString('hex')).toBe(expected);
    expect(decodeRequestPayload(describeQuorumApi, version, frame.subarray(4)).request).toEqual(request);
  });

  const directoryId = 'AAECAwQFBgcICQoLDA0ODw';
  const response = (version: number) => ({
    errorCode: 0,
    errorMessage: null,
    topics: [
      {
        topicName: '__cluster_metadata',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            errorMessage: null,
            leaderId: 1,
            leaderEpoch: 5,
            highWatermark: 100n,
            currentVoters: [
              {
                replicaId: 1, replicaDirectoryId: version >= 2 ? directoryId : ZERO_UUID, logEndOffset: 101n,
                lastFetchTimestamp: -1n, lastCaughtUpTimestamp: version >= 1 ? 1000n : -1n,
              },
            ],
            observers: [],
          },
        ],
      },
    ],
    nodes: version >= 2 ? [{ nodeId: 1, listeners: [{ name: 'CONTROLLER', host: 'h', port: 9093 }] }] : [],
  });

  it('encodes and decodes the v2 response: error messages, directory ids and the voters\' listeners (KIP-853)', () => {
    const expected = sizePrefixed(
      bytes(
        '00000009 00', // correlation id, header tagged fields
        '0000 00', // error code, error message: null
        '02', // topics: one
        topicNameHex,
        '02', // partitions: one
        '00000000 0000 00 00000001 00000005', // index 0, no error, no message, leader 1, epoch 5
        '0000000000000064', // high watermark 100
        '02 00000001 000102030405060708090a0b0c0d0e0f 0000000000000065', // voters: one; id 1, directory, log end offset 101
        'ffffffffffffffff 00000000000003e8', // last fetch -1, caught up 1000
        '00', // replica tagged fields
        '01', // observers: none
        '00 00', // partition, topic tagged fields
        '02 00000001 02 0b 434f4e54524f4c4c4552 02 68 2385 00 00', // nodes: one; id 1, one listener CONTROLLER h:9093
        '00', // top-level tagged fields
      ),
    );
    const frame = encodeResponseFrame(describeQuorumApi, 2, 9, response(2));
    expect(frame.toString('hex')).toBe(expected);
    expect(decodeResponsePayload(describeQuorumApi, 2, frame.subarray(4)).response).toEqual(response(2));
  });

  it.each([0, 1])('encodes and decodes the v%i response', (version) => {
    const expected = sizePrefixed(
      bytes(
        '00000009 00', // correlation id, header tagged fields
        '0000', // error code
        '02', // topics: one
        topicNameHex,
        '02', // partitions: one
        '00000000 0000 00000001 00000005', // index 0, no error, leader 1, epoch 5
        '0000000000000064', // high watermark 100
        '02 00000001 0000000000000065', // voters: one; id 1, log end offset 101
        version >= 1 ? 'ffffffffffffffff 00000000000003e8' : '', // v1: last fetch -1, caught up 1000
        '00', // replica tagged fields
        '01', // observers: none
        '00 00 00', // partition, topic, top-level tagged fields
      ),
    );
    const frame = encodeResponseFrame(describeQuorumApi, version, 9, response(version));
    expect(frame.toString('hex')).toBe(expected);
    expect(decodeResponsePayload(describeQuorumApi, version, frame.subarray(4)).response).toEqual(response(version));
  });
});
