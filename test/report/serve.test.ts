/**
 * `quorumcheck serve` over a runs folder, in Debian's Chromium: the run list (newest first, verdict,
 * system, nemesis, seed, duration) with the nightly trend drawn above it, opening a report (also
 * one rendered on the fly), a raw file, a zip of a run that unpacks to the run's files, a sweep's
 * page, and the refusals (paths outside the folder, writes). The runs' JUnit XML and trend lines
 * are made by recordConformanceRuns, as `npm run conformance` makes them, and the XML is parsed by
 * the browser's own XML parser.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConformanceRuns } from '../../src/report/conformance-outputs.js';
import { startRunServer, type RunningRunServer } from '../../src/report/serve/run-server.js';
import { readTrendFile } from '../../src/report/trend/trend-file.js';
import { writeRunReport } from '../../src/report/write-run-report.js';
import { CHROMIUM_PATH, launchChromium, type HeadlessBrowser } from './support/headless-chromium.js';
import { writeFixtureRun } from './support/run-directories.js';

const root = mkdtempSync(join(tmpdir(), 'report-serve-'));
const runs = join(root, 'runs');
const screenshots = join(tmpdir(), 'quorumcheck-screenshots');
const failingDir = join(runs, 'fixture', '2026-11-21T07-00-00-000Z');
const validDir = join(runs, 'fixture', '2026-11-22T07-00-00-000Z');
const sweepDir = join(runs, 'sim', '2026-11-20T07-00-00-000Z');

let server: RunningRunServer;
let browser: HeadlessBrowser | undefined;

beforeAll(async () => {
  await writeFixtureRun(failingDir, { breakLinearizability: true, failSingleLeader: true });
  await writeRunReport(failingDir);
  await writeFixtureRun(validDir);
  // A second, later start for the valid run, so the list has an order to keep.
  const results = JSON.parse(readFileSync(join(validDir, 'results.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(validDir, 'results.json'), JSON.stringify({ ...results, startedAt: '2026-11-22T07:00:00.000Z', figures: { ...results['figures'] as object, opsPerSecond: 60 } }));
  symlinkSync('fixture/2026-11-22T07-00-00-000Z', join(runs, 'latest'));
  await writeFixtureRun(join(sweepDir, 'seed-4242'), { breakLinearizability: true });
  writeFileSync(join(sweepDir, 'sweep.json'), JSON.stringify({
    formatVersion: 1, name: 'sim', env: 'sim', seeds: [4241, 4242], verdict: 'invalid', startedAt: '2026-11-20T07:00:00.000Z',
    durationMs: 5000, options: { nemesis: 'partition' }, counts: { valid: 1, invalid: 1, unknown: 0 },
    results: [{ seed: 4241, verdict: 'valid', reasons: [], runDirectory: null }, { seed: 4242, verdict: 'invalid', reasons: ['not linearizable'], runDirectory: 'seed-4242' }],
  }));
  for (const [day, dirs] of [[24, [validDir]], [25, [failingDir, validDir]], [26, [validDir, validDir]]] as const) {
    await recordConformanceRuns(dirs, { junitPath: join(root, `junit-${day}.xml`), trendPath: join(runs, 'trend.jsonl'), at: new Date(Date.UTC(2026, 10, day, 3)), label: `nightly ${day}` });
  }
  server = await startRunServer({ root: runs, port: 0 });
  if (CHROMIUM_PATH !== undefined) browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('recordConformanceRuns', () => {
  it('appends one trend line per conformance run, with pass rate and median figures', async () => {
    const trend = await readTrendFile(join(runs, 'trend.jsonl'));
    expect(trend.skipped).toEqual([]);
    expect(trend.entries.map((entry) => [entry.label, entry.runs, entry.passed, entry.failed, entry.passRate])).toEqual([
      ['nightly 24', 1, 1, 0, 1], ['nightly 25', 2, 1, 1, 0.5], ['nightly 26', 2, 2, 0, 1],
    ]);
    expect(trend.entries[1]).toMatchObject({ failoverMs: 640, recoveryMs: 812, opsPerSecond: 50.8, checkerMs: 37 });
  });
});

describe.skipIf(CHROMIUM_PATH === undefined)('quorumcheck serve, in Chromium', () => {
  it('lists every run newest first with its verdict, system, nemesis, seed and duration, under the drawn trend', async () => {
    const { page, errors } = await browser!.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-charts="drawn"]');
    await page.screenshot({ path: join(screenshots, 'serve-list.png'), fullPage: true });
    const rows = await page.locator('#runs tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 7).map((td) => td.textContent)));
    expect(rows).toEqual([
      ['2026-11-22 07:00:00Z', 'fixture', 'valid', 'quorumd 0.1.0', 'partition,kill,pause', '4256', expect.stringMatching(/^(\d+ min )?\d+(\.\d)? s$/)],
      ['2026-11-21 07:00:00Z', 'fixture', 'invalid', 'quorumd 0.1.0', 'partition,kill,pause', '4256', expect.stringMatching(/^(\d+ min )?\d+(\.\d)? s$/)],
      ['2026-11-20 07:00:00Z', 'sim (sweep)', 'invalid (1 valid, 1 invalid, 0 unknown)', '', 'partition', '2 seeds from 4241', '5.0 s'],
    ]);
    for (const chart of ['#trend-pass-rate', '#trend-failover', '#trend-throughput', '#trend-checker']) {
      expect(await page.isVisible(`${chart} canvas`), chart).toBe(true);
    }
    expect(await page.textContent('#trend p')).toBe('Latest 2026-11-26 03:00:00Z (nightly 26): 2 of 2 passed.');
    expect(errors).toEqual([]);
  });

  it('opens a report from the list, and renders one on the fly for a run that has none', async () => {
    const { page, errors } = await browser!.newPage();
    await page.goto(server.url);
    await page.click('#runs tr[data-path="fixture/2026-11-21T07-00-00-000Z"] a.open-report');
    await page.waitForSelector('body[data-charts="drawn"]');
    expect(await page.textContent('#verdict .headline')).toMatch(/^Invalid: SingleLeader and linearizability/);
    await page.goto(`${server.url}runs/latest/`);
    await page.waitForSelector('body[data-charts="drawn"]');
    expect(await page.textContent('#verdict .headline')).toMatch(/^Valid: every (judged )?check passed and the history is linearizable/);
    expect(existsSync(join(validDir, 'report.html'))).toBe(false);
    // The report's raw-file links resolve to the server's copies.
    await page.click('#files a[href="history.jsonl"]');
    expect(page.url()).toBe(`${server.url}runs/latest/history.jsonl`);
    expect(await page.textContent('body')).toBe(readFileSync(join(validDir, 'history.jsonl'), 'utf8'));
    expect(errors).toEqual([]);
  });

  it("opens a sweep's page with each seed and a link to the failing seed's report", async () => {
    const { page, errors } = await browser!.newPage();
    await page.goto(`${server.url}runs/sim/2026-11-20T07-00-00-000Z/`);
    const rows = await page.locator('#seeds tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 2).map((td) => td.textContent)));
    expect(rows).toEqual([['4241', 'valid'], ['4242', 'invalid']]);
    await page.click('#seeds a');
    await page.waitForSelector('body[data-charts="drawn"]');
    expect(await page.textContent('#verdict .headline')).toMatch(/^Invalid: linearizability \(topic \w+\) failed\.$/);
    expect(errors).toEqual([]);
  });

  it('downloads a run as a zip holding every file of the run directory', async () => {
    const { page } = await browser!.newPage();
    await page.goto(server.url);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#runs tr[data-path="fixture/2026-11-21T07-00-00-000Z"] a.zip'),
    ]);
    expect(download.suggestedFilename()).toBe('2026-11-21T07-00-00-000Z.zip');
    const zipPath = join(root, 'download.zip');
    await download.saveAs(zipPath);
    const entries = readZip(readFileSync(zipPath));
    const prefix = '2026-11-21T07-00-00-000Z/';
    expect([...entries.keys()].sort()).toEqual(['history.jsonl', 'nodes/1.events.jsonl', 'nodes/1.log', 'nodes/2.events.jsonl', 'nodes/2.log',
      'nodes/3.events.jsonl', 'nodes/3.log', 'nodes/4.events.jsonl', 'nodes/4.log', 'report.html', 'results.json'].map((name) => prefix + name));
    for (const [name, content] of entries) expect(content.equals(readFileSync(join(failingDir, name.slice(prefix.length)))), name).toBe(true);
    if (existsSync('/usr/bin/unzip')) {
      // A second opinion from Info-ZIP, where the machine has it.
      expect(execFileSync('/usr/bin/unzip', ['-tq', zipPath], { encoding: 'utf8' })).toMatch(/^No errors detected/);
    }
  });

  it('writes JUnit XML that an XML parser reads: one test case per run, the failure naming the check and the run directory', async () => {
    const { page } = await browser!.newPage();
    const xml = readFileSync(join(root, 'junit-25.xml'), 'utf8');
    // Written as text: it runs in the page, where DOMParser is, not in Node.
    const parsed = await page.evaluate(`(() => {
      const parsedXml = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
      const error = parsedXml.querySelector('parsererror');
      const suite = parsedXml.querySelector('testsuite');
      return {
        error: error === null ? null : error.textContent,
        counts: ['tests', 'failures', 'errors'].map((name) => suite.getAttribute(name)),
        cases: [...parsedXml.querySelectorAll('testcase')].map((testCase) => ({
          name: testCase.getAttribute('name'),
          failure: testCase.querySelector('failure') === null ? null : testCase.querySelector('failure').getAttribute('message'),
        })),
      };
    })()`) as { error: string | null; counts: string[]; cases: { name: string; failure: string | null }[] };
    expect(parsed.error).toBeNull();
    expect(parsed.counts).toEqual(['2', '1', '0']);
    expect(parsed.cases).toEqual([
      { name: 'fixture seed 4256', failure: `linearizability, SingleLeader failed; run directory ${failingDir}` },
      { name: 'fixture seed 4256', failure: null },
    ]);
  });
});

describe('quorumcheck serve refuses', () => {
  it.each([
    ['a path out of the runs folder', 'runs/..%2f..%2fetc/passwd', 400],
    ['a path that does not exist', 'runs/fixture/nope/', 404],
    ['anything but runs and zips', 'etc/passwd', 404],
  ])('%s', async (_, path, status) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(status);
  });

  it('a link that leads outside the runs folder, and a write', async () => {
    symlinkSync(tmpdir(), join(runs, 'escape'));
    expect((await fetch(`${server.url}runs/escape/`)).status).toBe(403);
    rmSync(join(runs, 'escape'));
    expect((await fetch(`${server.url}runs/latest/history.jsonl`, { method: 'DELETE' })).status).toBe(405);
  });
});

/** The entries of a zip archive by name, read from its central directory and inflated. */
function readZip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = archive.readUInt16LE(at + 10);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(dataStart, dataStart + compressed);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
