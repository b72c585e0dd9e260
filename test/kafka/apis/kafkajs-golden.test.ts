/**
 * Our codecs against kafkajs 2.2.4, byte for byte: kafkajs's request encoders produce the
 * golden request frames, which we must decode to the expected request and re-encode to the
 * same bytes; our response encoders produce the golden response frames, which kafkajs's own
 * decoders and parsers must read as the expected values (or reject with the expected Kafka error).
 */
import { describe, expect, it } from 'vitest';
import { decodeRequestPayload, decodeResponsePayload, encodeRequestFrame, encodeResponseFrame } from '../../../src/kafka/apis/message-frames.js';
import { KafkaProtocolError } from '../../../src/kafka/protocol/protocol-error.js';
import { goldenBytes } from '../fixtures.js';
import { kafkajsProtocol, kafkajsRequestFrame } from '../kafkajs.js';
import { goldenCases } from './golden-cases.js';

const CORRELATION_ID = 0x01020304;
const CLIENT_ID = 'golden-client';

describe.each(goldenCases.map((c) => [c.name, c] as const))('%s', (_name, golden) => {
  const { api, version } = golden;

  it('decodes the request kafkajs encodes, and re-encodes the same bytes', async () => {
    const { request: kafkajsRequest } = kafkajsProtocol(golden.kafkajsApiName, version, golden.kafkajsArgs);
    expect(kafkajsRequest.apiKey).toBe(api.apiKey);
    expect(kafkajsRequest.apiVersion).toBe(version);
    const fromKafkajs = await kafkajsRequestFrame(kafkajsRequest, CORRELATION_ID, CLIENT_ID);
    const frame = goldenBytes(
      `${golden.name}.request.hex`,
      fromKafkajs,
      `${api.name} v${version} request frame (size, header v1, body) as kafkajs 2.2.4 encodes it`,
    );
    expect(fromKafkajs.toString('hex')).toBe(frame.toString('hex'));

    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const { header, request } = decodeRequestPayload(api, version, frame.subarray(4));
    expect(header).toMatchObject({ apiKey: api.apiKey, apiVersion: version, correlationId: CORRELATION_ID, clientId: CLIENT_ID });
    expect(request).toEqual(golden.expectedRequest);

    const ours = encodeRequestFrame(api, version, { correlationId: CORRELATION_ID, clientId: CLIENT_ID }, request);
    expect(ours.toString('hex')).toBe(frame.toString('hex'));
  });

  it('rejects every truncation of the request with a coded error', async () => {
    const { request: kafkajsRequest } = kafkajsProtocol(golden.kafkajsApiName, version, golden.kafkajsArgs);
    const payload = (await kafkajsRequestFrame(kafkajsRequest, CORRELATION_ID, CLIENT_ID)).subarray(4);
    for (let length = 0; length < payload.length; length++) {
      let caught: unknown;
      try {
        decodeRequestPayload(api, version, payload.subarray(0, length));
      } catch (error) {
        caught = error;
      }
      expect(caught, `prefix of ${length} of ${payload.length} bytes`).toBeInstanceOf(KafkaProtocolError);
      expect((caught as KafkaProtocolError).code).toBe('MALFORMED_MESSAGE');
      expect(((caught as KafkaProtocolError).cause as KafkaProtocolError).code).toMatch(/^(TRUNCATED|BAD_LENGTH)$/);
    }
  });

  it('encodes a response kafkajs decodes and parses as expected', async () => {
    const ours = encodeResponseFrame(api, version, CORRELATION_ID, golden.response);
    const frame = goldenBytes(
      `${golden.name}.response.hex`,
      ours,
      `${api.name} v${version} response frame (size, header v0, body) as quorumd encodes it`,
    );
    expect(ours.toString('hex')).toBe(frame.toString('hex'));
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readInt32BE(4)).toBe(CORRELATION_ID);

    const { response: kafkajsResponse } = kafkajsProtocol(golden.kafkajsApiName, version, golden.kafkajsArgs);
    const decoded = await kafkajsResponse.decode(frame.subarray(8));
    if (golden.expectedKafkajsErrorType !== undefined) {
      const error = await kafkajsResponse.parse(decoded).then(
        () => undefined,
        (e: unknown) => e as { type?: string; errors?: { type?: string }[] },
      );
      expect(error, 'kafkajs parse must reject').toBeDefined();
      expect(error?.type ?? error?.errors?.[0]?.type).toBe(golden.expectedKafkajsErrorType);
    } else {
      expect(await kafkajsResponse.parse(decoded)).toMatchObject(golden.expectedKafkajsResponse ?? {});
    }

    const { correlationId, response } = decodeResponsePayload(api, version, frame.subarray(4));
    expect(correlationId).toBe(CORRELATION_ID);
    expect(encodeResponseFrame(api, version, CORRELATION_ID, response).toString('hex')).toBe(frame.toString('hex'));
  });
});
