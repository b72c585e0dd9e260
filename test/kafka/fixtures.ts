/**
 * Golden byte fixtures under fixtures/kafka/: hex, 32 bytes a line, after '#' comment lines that
 * say what produced them. Run with KAFKA_FIXTURES_REWRITE=1 to regenerate them from the current
 * encoders (kafkajs's for requests, ours for responses); review the diff before committing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FIXTURES_DIR = new URL('../../fixtures/kafka/', import.meta.url).pathname;
export const REWRITE_FIXTURES = process.env.KAFKA_FIXTURES_REWRITE === '1';

export function fixturePath(name: string): string {
  return join(FIXTURES_DIR, name);
}

/** Returns the fixture's bytes; in rewrite mode first writes `actual` there. */
export function goldenBytes(name: string, actual: Buffer, comment: string): Buffer {
  const path = fixturePath(name);
  if (REWRITE_FIXTURES) {
    mkdirSync(dirname(path), { recursive: true });
    const hexLines = actual.toString('hex').match(/.{1,64}/g) ?? [];
    const commentLines = comment.split('\n').map((line) => `# ${line}`);
    writeFileSync(path, [...commentLines, ...hexLines, ''].join('\n'));
  }
  if (!existsSync(path)) {
    throw new Error(`missing fixture ${path}; run the test with KAFKA_FIXTURES_REWRITE=1 to create it`);
  }
  return readHexFixture(path);
}

export function readHexFixture(path: string): Buffer {
  const hex = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error(`fixture ${path} is not hex`);
  return Buffer.from(hex, 'hex');
}
