/**
 * Every decoder, request and response, of every served version, fed random bytes and mutated
 * valid messages (seeded): it returns a value or throws a KafkaProtocolError, and never anything
 * else (no RangeError from reading past a buffer, no TypeError, no hang on a huge count).
 */
import { describe, expect, it } from 'vitest';
import { codecOf, servedApis, type AnyApiDefinition } from '../../../src/kafka/apis/index.js';
import { decodeRequestPayload, decodeResponsePayload, encodeRequestFrame, encodeResponseFrame } from '../../../src/kafka/apis/message-frames.js';
import { KafkaProtocolError } from '../../../src/kafka/protocol/protocol-error.js';
import { reproduce, seededRandom, testSeed } from '../seed.js';
import { goldenCases } from './golden-cases.js';

const ROUNDS_PER_VERSION = 200;

function outcome(decode: () => unknown): 'decoded' | 'coded error' | string {
  try {
    decode();
    return 'decoded';
  } catch (error) {
    return error instanceof KafkaProtocolError ? 'coded error' : `uncoded ${String(error)}`;
  }
}

describe('decoders under hostile bytes', () => {
  const seed = testSeed();
  const random = seededRandom(seed);
  const byte = () => Math.floor(random() * 256);
  const validPayloads = new Map<string, { request: Buffer; response: Buffer }>(
    goldenCases.map((golden) => [
      `${golden.api.name} v${golden.version}`,
      {
        request: encodeRequestFrame(golden.api, golden.version, { correlationId: 1, clientId: 'x' }, golden.expectedRequest).subarray(4),
        response: encodeResponseFrame(golden.api, golden.version, 1, golden.response).subarray(4),
      },
    ]),
  );

  function hostile(valid: Buffer | undefined): Buffer {
    if (valid === undefined || random() < 0.3) return Buffer.from(Array.from({ length: Math.floor(random() * 64) }, byte));
    const copy = Buffer.from(valid);
    for (let i = 0, flips = 1 + Math.floor(random() * 4); i < flips; i++) copy[Math.floor(random() * copy.length)] = byte();
    return copy.subarray(0, random() < 0.3 ? Math.floor(random() * copy.length) : copy.length);
  }

  const versions = servedApis.flatMap((api: AnyApiDefinition) => api.versions.map((codec) => [`${api.name} v${codec.version}`, api, codec.version] as const));

  it.each(versions)('%s', (label, api, version) => {
    codecOf(api, version);
    const valid = validPayloads.get(label);
    for (let round = 0; round < ROUNDS_PER_VERSION; round++) {
      const request = hostile(valid?.request);
      expect(outcome(() => decodeRequestPayload(api, version, request)), `${reproduce(seed)}; request ${request.toString('hex')}`).toMatch(
        /^(decoded|coded error)$/,
      );
      const response = hostile(valid?.response);
      expect(outcome(() => decodeResponsePayload(api, version, response)), `${reproduce(seed)}; response ${response.toString('hex')}`).toMatch(
        /^(decoded|coded error)$/,
      );
    }
  });
});
