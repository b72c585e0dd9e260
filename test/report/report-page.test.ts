/**
 * report.html in a real headless Chromium (Debian's): each part of the page is present and visible,
 * the charts are drawn, the failing topic's witness can be stepped through, an incomplete run
 * directory still renders and says what is missing, and no page logs a console error. Each page
 * is saved as a screenshot (the path is printed) for a person to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunReport } from '../../src/report/write-run-report.js';
import { CHROMIUM_PATH, launchChromium, type HeadlessBrowser, type Page } from './support/headless-chromium.js';
import { writeFixtureRun, type FixtureRun } from './support/run-directories.js';

const root = mkdtempSync(join(tmpdir(), 'report-page-'));
export const SCREENSHOT_DIR = join(tmpdir(), 'quorumcheck-screenshots');
const CLI = new URL('../../src/cli/quorumcheck.ts', import.meta.url).pathname;

let browser: HeadlessBrowser;
beforeAll(async () => {
  if (CHROMIUM_PATH !== undefined) browser = await launchChromium();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

async function openReport(dir: string, name: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await browser.newPage();
  await opened.page.goto(`file://${join(dir, 'report.html')}`);
  await opened.page.waitForSelector('body[data-charts="drawn"]', { timeout: 30_000 });
  const screenshot = join(SCREENSHOT_DIR, `${name}.png`);
  await opened.page.screenshot({ path: screenshot, fullPage: true });
  process.stdout.write(`screenshot: ${screenshot}\n`);
  return opened;
}

const SECTIONS = ['#verdict', '#facts', '#chart-timeline', '#chart-latency', '#chart-throughput', '#chart-quantiles', '#latency-table', '#checks', '#topics', '#logs', '#files'];

describe.skipIf(CHROMIUM_PATH === undefined)('report.html of a failing run, in Chromium', () => {
  let fixture: FixtureRun;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    fixture = await writeFixtureRun(join(root, 'failing'), { breakLinearizability: true, failSingleLeader: true });
    await writeRunReport(fixture.dir);
    ({ page, errors } = await openReport(fixture.dir, 'report-failing'));
  });

  it('shows every part, with a chart drawn on a canvas in each chart box, and logs no error', async () => {
    for (const selector of SECTIONS) expect(await page.isVisible(selector), selector).toBe(true);
    for (const chart of ['#chart-timeline', '#chart-latency', '#chart-throughput', '#chart-quantiles']) {
      const box = await page.locator(`${chart} canvas`).first().boundingBox();
      expect(box?.width, chart).toBeGreaterThan(300);
      expect(box?.height, chart).toBeGreaterThan(80);
    }
    expect(errors).toEqual([]);
  });

  it('labels the first new leader on the timeline, and no leader label runs off the chart', async () => {
    const data = JSON.parse((await page.textContent('#run-data'))!) as { leaders: { timeS: number; epoch: number; node: number }[] };
    expect(data.leaders.length).toBeGreaterThan(1);
    const labels = JSON.parse((await page.locator('#chart-timeline .uplot').getAttribute('data-leader-labels'))!) as { text: string; left: number; right: number }[];
    const first = data.leaders[0]!;
    expect(labels[0]?.text).toBe(`epoch ${first.epoch}: leader ${first.node}`);
    const width = (await page.locator('#chart-timeline canvas').first().boundingBox())!.width;
    for (const label of labels) {
      expect(label.left, label.text).toBeGreaterThanOrEqual(0);
      expect(label.right, label.text).toBeLessThanOrEqual(width);
    }
    // Labels follow each other left to right without overlapping.
    labels.slice(1).forEach((label, index) => expect(label.left).toBeGreaterThan(labels[index]!.right));
  });

  it('says the verdict in words: the failed check with its first violating event, the call that breaks the topic, the command', async () => {
    const headline = await page.textContent('#verdict .headline');
    expect(headline).toBe(`Invalid: SingleLeader and linearizability (topic ${fixture.brokenTopic}) failed.`);
    const reasons = await page.locator('#verdict ul.reasons li').allTextContents();
    expect(reasons[0]).toMatch(/^SingleLeader: two leaders in epoch \d+\. First violating event: node \d+ at \d+\.\d{3} s: became-leader epoch \d+\.$/);
    expect(reasons[1]).toMatch(new RegExp(`^Topic ${fixture.brokenTopic} is not linearizable: after the \\d+ calls of its longest linearizable prefix, ` +
      `"describe topic ${fixture.brokenTopic} → \\d+ partitions.*" \\(process \\d+, history index ${fixture.brokenInvokeIndex}\\) cannot follow`));
    expect(await page.textContent('#reproduce-command')).toBe(fixture.command);
  });

  it('tables each check and topic with pass or fail', async () => {
    const checks = await page.locator('#checks tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].slice(0, 2).map((cell) => cell.textContent)));
    expect(checks).toContainEqual(['SingleLeader', '✗ fail']);
    expect(checks).toContainEqual(['MonotonicEpoch', '✓ pass']);
    const topics = await page.locator('#topics > table tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].slice(0, 2).map((cell) => cell.textContent)));
    expect(topics).toContainEqual([fixture.brokenTopic, '✗ fail']);
  });

  it("steps through the failing topic's longest linearizable prefix to the call that breaks it", async () => {
    expect(await page.isVisible('#witness #timeline svg')).toBe(true);
    const details = page.locator('#details');
    expect(await details.textContent()).toContain('Could not be linearized after the');
    await page.click('#step-previous');
    const last = await details.textContent();
    expect(last).toMatch(/Linearized as #(\d+) of \1\./);
    await page.keyboard.press('ArrowLeft');
    expect(await details.textContent()).toMatch(/Linearized as #(\d+) of \d+\./);
    expect(await details.textContent()).not.toBe(last);
    await page.click('#step-next');
    await page.click('#step-next');
    expect(await details.textContent()).toContain('Could not be linearized after the');
  });

  it("shows each node's log around the failure, marking the first line at or after it, with links to the raw files", async () => {
    expect(await page.locator('details.node-log').count()).toBe(4);
    expect(await page.locator('.log-line.at-moment').count()).toBeGreaterThan(0);
    expect(await page.textContent('details.node-log .note')).toMatch(/^Entries around the failure at \d+\.\d{3} s, placed by the log's clock anchor\./);
    const links = await page.locator('#files a').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(links).toEqual(expect.arrayContaining(['history.jsonl', 'results.json', 'nodes/1.log', 'nodes/1.events.jsonl']));
  });

  it('shows details of the operation under the cursor on the timeline', async () => {
    // Aim at the middle of lane 0's longest operation, found in the page's own data.
    const data = JSON.parse((await page.textContent('#run-data'))!) as { durationS: number; rows: { processes: string[]; lane: number[]; startS: number[]; endS: number[] } };
    const { rows } = data;
    let longest = -1;
    rows.lane.forEach((lane, row) => {
      if (lane === 0 && (longest < 0 || rows.endS[row]! - rows.startS[row]! > rows.endS[longest]! - rows.startS[longest]!)) longest = row;
    });
    const middleS = (rows.startS[longest]! + rows.endS[longest]!) / 2;
    const over = page.locator('#chart-timeline .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + (box.width * middleS) / data.durationS, box.y + (box.height * 0.5) / rows.processes.length);
    const tip = page.locator('#chart-timeline .chart-tip');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toMatch(new RegExp(`^process ${rows.processes[0]} · \\S+[^]*history index \\d+`));
  });

  it('needs nothing from the network: no element loads a remote resource', () => {
    const html = readFileSync(join(fixture.dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)="?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
  });
});

describe.skipIf(CHROMIUM_PATH === undefined)('report.html of an incomplete run, in Chromium', () => {
  it('renders a crashed run (no results.json, a torn history, a node without its log) and says what is missing', async () => {
    const fixture = await writeFixtureRun(join(root, 'crashed'), { withoutResults: true, tornHistory: true, withoutLogsOf: [3] });
    await writeRunReport(fixture.dir);
    const { page, errors } = await openReport(fixture.dir, 'report-crashed');
    expect(await page.textContent('#verdict .headline')).toMatch(/^No verdict: results\.json is missing/);
    const missing = await page.locator('#missing li').allTextContents();
    expect(missing).toEqual([
      'results.json is missing: the run did not finish, so there is no verdict or check result.',
      expect.stringMatching(/^history\.jsonl: 1 line could not be read/),
      'Node 3 has no log file (nodes/3.log): its log lines are not shown.',
    ]);
    for (const selector of ['#chart-timeline canvas', '#chart-latency canvas', '#checks', '#logs']) expect(await page.isVisible(selector), selector).toBe(true);
    expect(await page.textContent('#checks')).toContain('No check results: results.json is missing.');
    expect(errors).toEqual([]);
  });
});

describe('quorumcheck report', () => {
  it('writes report.html for a run directory and exits 0', async () => {
    const fixture = await writeFixtureRun(join(root, 'cli'));
    const result = await execa('node', ['--import', 'tsx', CLI, 'report', fixture.dir], { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(`report: ${join(fixture.dir, 'report.html')}`);
    expect(readFileSync(join(fixture.dir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('refuses a path that is not a run directory with exit 3 and says why', async () => {
    const result = await execa('node', ['--import', 'tsx', CLI, 'report', root], { reject: false });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe(`quorumcheck report: ${root} is not a run directory: it holds none of results.json, history.jsonl, summary.json`);
  });
});
