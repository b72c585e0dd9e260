/**
 * The conformance publisher as the nightly job uses it (a vitest reporter): after the last case it
 * records the run directories begun during this run, a crashed one without results.json included,
 * as JUnit test cases and one trend line; older runs in the same folder are left out.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConformancePublisher } from '../../src/report/conformance-outputs.js';
import { readTrendFile } from '../../src/report/trend/trend-file.js';
import { writeFixtureRun } from './support/run-directories.js';

const root = mkdtempSync(join(tmpdir(), 'report-conformance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ConformancePublisher', () => {
  it('publishes the runs of this conformance run as JUnit test cases and one trend line', async () => {
    const runs = join(root, 'runs', 'conformance');
    const old = join(runs, 'partitions', '2020-01-01T00-00-00-000Z');
    await writeFixtureRun(old);
    const publisher = new ConformancePublisher(runs);
    publisher.onInit();
    const fresh = join(runs, 'stale-reads', '2026-12-01T03-00-00-000Z');
    await writeFixtureRun(fresh, { breakLinearizability: true });
    const results = JSON.parse(readFileSync(join(fresh, 'results.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(fresh, 'results.json'), JSON.stringify({ ...results, startedAt: new Date().toISOString() }));
    const crashed = join(runs, 'process-faults', '2026-12-01T03-10-00-000Z');
    mkdirSync(crashed, { recursive: true });
    writeFileSync(join(crashed, 'history.jsonl'), '');
    await publisher.onTestRunEnd();

    const junit = readFileSync(join(runs, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(2);
    expect(junit).toContain(`<failure message="linearizability failed; run directory ${fresh}" type="invalid">`);
    expect(junit).toContain(`<error message="unknown: no verdict: results.json is missing or unreadable; run directory ${crashed}" type="unknown">`);
    expect(junit).not.toContain(old);
    const trend = await readTrendFile(join(root, 'runs', 'trend.jsonl'));
    expect(trend.entries.map((entry) => [entry.runs, entry.passed, entry.failed, entry.unknown])).toEqual([[2, 0, 1, 1]]);
  });
});
