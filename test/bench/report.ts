/**
 * The run report's figures: a run of 100,000 client operations (a simulated run with a changed
 * describe answer, so the page also carries a failing topic's witness) rendered to report.html,
 * then opened in Debian's Chromium. The target: the page opens (every chart drawn) in under 2 s.
 * Measured: render time in Node, page size, and in the browser the time from navigation start to
 * the charts' `charts-drawn` performance mark, median of several loads.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRunReport } from '../../src/report/write-run-report.js';
import { CHROMIUM_PATH, launchChromium } from '../report/support/headless-chromium.js';
import { writeFixtureRun } from '../report/support/run-directories.js';

export interface ReportFigure {
  name: string;
  value: number;
  unit: string;
  targetMax?: number;
  note?: string;
}

const LOADS = 5;

export async function largeReportFigures(): Promise<ReportFigure[]> {
  if (CHROMIUM_PATH === undefined) throw new Error('the report benchmark needs Chromium at /usr/bin/chromium (apt-get install chromium)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    const generateStartedMs = performance.now();
    // 20 clients for 1,800 simulated seconds: about 100,000 operations.
    const run = await writeFixtureRun(dir, {
      breakLinearizability: true,
      simOptions: {
        seed: 20_261_121,
        input: { env: 'sim', nodes: 5, roles: 'combined', concurrency: 20, rate: 100, nemesis: ['partition', 'kill', 'pause'], conditions: [], timeLimitMs: 1_800_000 },
      },
    });
    const generateMs = performance.now() - generateStartedMs;
    const operations = run.operations.filter((op) => op.type === 'invoke' && op.process !== 'nemesis').length;
    // CPU time, not wall time: on a machine shared by many sessions the wall clock measures the neighbours.
    const renderStartedCpu = process.cpuUsage();
    const written = await writeRunReport(dir, { checkTimeLimitMs: 60_000 });
    const renderCpu = process.cpuUsage(renderStartedCpu);
    const renderCpuMs = (renderCpu.user + renderCpu.system) / 1000;
    const bytes = statSync(written.path).size;
    const loads: number[] = [];
    const browser = await launchChromium();
    try {
      for (let load = 0; load < LOADS; load++) {
        const { page, errors } = await browser.newPage();
        await page.goto(`file://${written.path}`);
        await page.waitForSelector('body[data-charts="drawn"]', { timeout: 60_000 });
        loads.push(await page.evaluate('performance.getEntriesByName("charts-drawn")[0].startTime') as number);
        if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    loads.sort((a, b) => a - b);
    const load = loadavg()[0]!.toFixed(1);
    return [
      { name: 'report page open, navigation to every chart drawn (median)', value: loads[Math.floor(LOADS / 2)]!, unit: 'ms', targetMax: 2000,
        note: `${operations} operations, ${LOADS} loads in Chromium ${loads.map((ms) => ms.toFixed(0)).join('/')} ms; load average ${load}` },
      { name: 'report.html size', value: bytes / 1024 / 1024, unit: 'MiB' },
      { name: 'report render in Node, CPU time (read, re-check the failing topic, write)', value: renderCpuMs, unit: 'ms',
        note: `run directory generated in ${(generateMs / 1000).toFixed(1)} s; load average ${load}` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
