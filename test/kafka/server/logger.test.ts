/** The Kafka front's log entries become one line each: the message, then its fields as key=value. */
import { describe, expect, it } from 'vitest';
import { formatLogEntry, kafkaLoggerTo } from '../../../src/kafka/server/logger.js';

describe('kafkaLoggerTo', () => {
  it('hands the level and a one-line entry with every defined field to the writer', () => {
    const lines: [string, string][] = [];
    const logger = kafkaLoggerTo((level, line) => lines.push([level, line]));
    logger.warn('closing connection', { code: 'BAD_FRAME_SIZE', connectionId: 3, skipped: undefined, apiKey: null });
    logger.debug('connection accepted');
    expect(lines).toEqual([
      ['warn', 'closing connection (code=BAD_FRAME_SIZE, connectionId=3, apiKey=null)'],
      ['debug', 'connection accepted'],
    ]);
  });

  it('writes non-string values as JSON, so a value with spaces or commas stays readable', () => {
    expect(formatLogEntry('listening', { host: '0.0.0.0', port: 9092, tags: ['a', 'b'] }))
      .toBe('listening (host=0.0.0.0, port=9092, tags=["a","b"])');
    expect(formatLogEntry('closed', {})).toBe('closed');
  });
});
