/** The JSON-lines logger writes one parseable object per line, fields included. */
import { describe, expect, it } from 'vitest';
import { jsonLinesLogger } from '../../../src/kafka/server/logger.js';

describe('jsonLinesLogger', () => {
  it('writes level, component, message and fields as one JSON line', () => {
    const lines: string[] = [];
    const logger = jsonLinesLogger((line) => lines.push(line));
    logger.warn('closing connection', { code: 'BAD_FRAME_SIZE', connectionId: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: 'warn',
      component: 'kafka',
      message: 'closing connection',
      code: 'BAD_FRAME_SIZE',
      connectionId: 3,
    });
  });
});
