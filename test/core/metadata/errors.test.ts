import { describe, expect, it } from 'vitest';
import { isMetadataError, METADATA_ERROR_CODES, metadataError } from '../../../src/core/metadata/index.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';

describe('metadata errors', () => {
  it.each(Object.entries(METADATA_ERROR_CODES))('%s has the same name and code in the Kafka front table', (name, code) => {
    expect((ErrorCode as Record<string, number>)[name]).toBe(code);
  });

  it('an error value carries its name, its Kafka code and the message', () => {
    const error = metadataError('TOPIC_ALREADY_EXISTS', "Topic 'a' already exists.");
    expect(error).toEqual({ ok: false, error: 'TOPIC_ALREADY_EXISTS', code: 36, message: "Topic 'a' already exists." });
    expect(isMetadataError(error)).toBe(true);
    expect(isMetadataError({ ok: true, records: [], reply: {} })).toBe(false);
  });
});
