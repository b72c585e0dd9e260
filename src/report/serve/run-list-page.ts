/**
 * The pages `serve` renders itself: the list of runs (newest first: when, name, verdict, system,
 * nemesis, seed, duration, and links to the report, the files and a zip), with the trend of nightly
 * conformance runs drawn above it when a trend file exists; and a sweep's page (each seed's
 * verdict, with the failing seeds' run directories).
 */
import { escapeHtml, jsonForScript } from '../../checker/report/html-escape.js';
import { inlineSafe, pageScript, uplotScript, uplotStyle } from '../page/assets.js';
import type { TrendHistory } from '../trend/trend-file.js';
import type { IndexedRun } from './run-index.js';

export function renderRunListPage(root: string, runs: readonly IndexedRun[], trend: TrendHistory): string {
  const rows = runs.map(runRow).join('\n');
  const table = runs.length === 0
    ? `<p id="no-runs">No runs in ${escapeHtml(root)} yet: <code>npx quorumcheck run</code> writes one.</p>`
    : `<table class="grid" id="runs"><thead><tr><th>started</th><th>name</th><th>verdict</th><th>system</th><th>nemesis</th><th>seed</th><th>duration</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`;
  return page(`quorumcheck runs in ${root}`, `<h1>Runs in ${escapeHtml(root)}</h1>
${trendSection(trend)}
<h2>${runs.length} run${runs.length === 1 ? '' : 's'}, newest first</h2>
${table}`, trend.entries.length === 0 ? '' : trendScripts(trend));
}

function runRow(run: IndexedRun): string {
  const href = `/runs/${encodePath(run.path)}/`;
  const verdict = run.verdict ?? 'no verdict';
  const counts = run.counts === null ? '' : ` (${run.counts.valid} valid, ${run.counts.invalid} invalid, ${run.counts.unknown} unknown)`;
  const links = run.kind === 'sweep'
    ? `<a href="${href}">seeds</a>`
    : `<a href="${href}" class="open-report">report</a> <a href="${href}?files">files</a> <a href="/zip/${encodePath(run.path)}.zip" class="zip">zip</a>`;
  return `<tr class="verdict-${escapeHtml(run.verdict ?? 'none')}" data-path="${escapeHtml(run.path)}">` +
    `<td>${escapeHtml(formatTime(run.startedAt))}</td><td>${escapeHtml(run.kind === 'sweep' ? `${run.name} (sweep)` : run.name)}</td>` +
    `<td class="verdict">${escapeHtml(verdict)}${escapeHtml(counts)}</td><td>${escapeHtml(run.system ?? '')}</td>` +
    `<td>${escapeHtml(run.nemesis ?? '')}</td><td>${escapeHtml(run.seed ?? '')}</td>` +
    `<td>${run.durationMs === null ? '' : escapeHtml(formatDuration(run.durationMs))}</td><td class="links">${links}</td></tr>`;
}

function trendSection(trend: TrendHistory): string {
  if (trend.entries.length === 0) return '';
  const last = trend.entries[trend.entries.length - 1]!;
  const skipped = trend.skipped.length === 0 ? '' : `<p class="warning">${trend.skipped.length} line(s) of the trend file could not be read: ${escapeHtml(trend.skipped.slice(0, 3).join('; '))}</p>`;
  return `<section id="trend"><h2>Nightly conformance: ${trend.entries.length} run${trend.entries.length === 1 ? '' : 's'}</h2>
<p>Latest ${escapeHtml(formatTime(last.at))}${last.label === null ? '' : ` (${escapeHtml(last.label)})`}: ${last.passed} of ${last.runs} passed.</p>${skipped}
<div class="trend-charts"><div id="trend-pass-rate" class="chart"></div><div id="trend-failover" class="chart"></div>
<div id="trend-throughput" class="chart"></div><div id="trend-checker" class="chart"></div></div></section>`;
}

function trendScripts(trend: TrendHistory): string {
  return `<script type="application/json" id="trend-data">${jsonForScript(trend.entries)}</script>
<script>${inlineSafe(uplotScript(), 'script')}</script>
<script>${inlineSafe(pageScript('trend-chart.js'), 'script')}</script>`;
}

export interface SweepSeed {
  seed: number;
  verdict: string;
  reasons: string[];
  runDirectory: string | null;
}

export function renderSweepPage(path: string, seeds: readonly SweepSeed[], headline: string): string {
  const rows = seeds.map((seed) => `<tr class="verdict-${escapeHtml(seed.verdict)}"><td>${seed.seed}</td><td class="verdict">${escapeHtml(seed.verdict)}</td>` +
    `<td>${escapeHtml(seed.reasons.join('; '))}</td><td>${seed.runDirectory === null ? '' : `<a href="${encodePath(seed.runDirectory)}/">report</a>`}</td></tr>`).join('\n');
  return page(`sweep ${path}`, `<p><a href="/">all runs</a></p><h1>Sweep ${escapeHtml(path)}</h1><p>${escapeHtml(headline)}</p>
<table class="grid" id="seeds"><thead><tr><th>seed</th><th>verdict</th><th>why</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<p><a href="sweep.json">sweep.json</a></p>`, '');
}

/** A plain listing of a run's files, for the "files" link. */
export function renderFileListPage(path: string, files: readonly { path: string; bytes: number }[]): string {
  const items = files.map((file) => `<li><a href="${encodePath(file.path)}">${escapeHtml(file.path)}</a> <span class="bytes">${file.bytes} bytes</span></li>`).join('');
  return page(`files of ${path}`, `<p><a href="/">all runs</a> · <a href="./">report</a> · <a href="/zip/${encodePath(path)}.zip">zip</a></p>
<h1>Files of ${escapeHtml(path)}</h1><ul id="files">${items}</ul>`, '');
}

function page(title: string, body: string, scripts: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${scripts === '' ? '' : inlineSafe(uplotStyle(), 'style')}${STYLE}</style>
</head>
<body>
${body}
${scripts}
</body>
</html>
`;
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px; color: #1d2733; background: #fbfcfd; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
table.grid { border-collapse: collapse; background: #fff; width: 100%; }
table.grid th, table.grid td { border-bottom: 1px solid #e4e9ee; padding: 5px 10px; text-align: left; vertical-align: top; }
table.grid tbody tr:hover { background: #f1f4f7; }
tr.verdict-valid td.verdict { color: #17612f; }
tr.verdict-invalid td.verdict { color: #8f1d1d; font-weight: 600; }
tr.verdict-unknown td.verdict, tr.verdict-none td.verdict { color: #7a5300; font-weight: 600; }
td.links a { margin-right: 8px; }
.trend-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
.chart { background: #fff; border: 1px solid #dbe2e9; border-radius: 4px; padding: 4px 0; min-height: 200px; }
.bytes { color: #9aa7b4; }
.warning { color: #7a5300; }
`;
