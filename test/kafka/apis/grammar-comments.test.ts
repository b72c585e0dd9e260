/**
 * Each API's schema file carries the grammar of every served version as a comment, generated from
 * its tables: this test fails when a table changed and the comment did not. Rewrite the comments
 * after a deliberate change with
 *   KAFKA_GRAMMAR_REWRITE=1 npx vitest run --config test/vitest.config.ts test/kafka/apis/grammar-comments.test.ts
 * and read the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { servedApis } from '../../../src/kafka/apis/index.js';
import type { SchemaApiDefinition } from '../../../src/kafka/apis/api-codec.js';
import { renderGrammar } from '../../../src/kafka/protocol/schema-grammar.js';

const REWRITE = process.env.KAFKA_GRAMMAR_REWRITE === '1';
const BEGIN = '// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it';
const END = '// </grammar>';

function schemaFile(apiName: string): string {
  const kebab = apiName.replace(/[A-Z]/g, (letter, at: number) => `${at === 0 ? '' : '-'}${letter.toLowerCase()}`);
  return new URL(`../../../src/kafka/apis/${kebab}/${kebab}-schema.ts`, import.meta.url).pathname;
}

function grammarBlock(api: SchemaApiDefinition<unknown, unknown>): string {
  const lines = [...renderGrammar(api.requestSchema), ...renderGrammar(api.responseSchema)];
  return [BEGIN, ...lines.map((line) => `// ${line}`), END].join('\n');
}

describe('grammar comments', () => {
  it.each(servedApis.map((api) => [api.name, api as SchemaApiDefinition<unknown, unknown>] as const))('%s', (_name, api) => {
    const path = schemaFile(api.name);
    const source = readFileSync(path, 'utf8');
    const begin = source.indexOf(BEGIN);
    const end = source.indexOf(END, begin);
    expect(begin, `${path} has no '${BEGIN}' marker`).toBeGreaterThanOrEqual(0);
    const current = source.slice(begin, end + END.length);
    const expected = grammarBlock(api);
    if (REWRITE && current !== expected) writeFileSync(path, source.slice(0, begin) + expected + source.slice(end + END.length));
    else expect(current, `${path}: regenerate with KAFKA_GRAMMAR_REWRITE=1`).toBe(expected);
  });
});
