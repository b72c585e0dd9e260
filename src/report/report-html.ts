/**
 * report.html: one self-contained page per run (styles, uPlot, our chart script and the data
 * inline; no network), readable on a laptop screen and in a CI artifact viewer. From the top: the
 * verdict in words with the seed and the command that reproduces the run, what is missing, the
 * figures, the timeline and the latency and throughput charts, the invariants table, the
 * linearizability verdict per topic with the failing topic's witness (the checker's own failure
 * view, browsable call by call), each node's log around the failure, and the raw files.
 *
 * Everything from the run directory passes through escapeHtml, or reaches the page as JSON that
 * cannot close its script element.
 */
import { renderFailureFragment } from '../checker/report/html.js';
import { escapeHtml, jsonForScript } from '../checker/report/html-escape.js';
import type { CheckSummary, RunSummary } from './run-summary.js';
import type { ReportData } from './report-data.js';
import { inlineSafe, pageScript, uplotScript, uplotStyle } from './page/assets.js';
import { describeFirstViolation, describeVerdict } from './verdict-words.js';

export function renderRunReport(report: ReportData): string {
  const { inputs } = report;
  const summary = inputs.summary;
  const title = `${summary?.name ?? lastPathPart(inputs.dir)}: ${summary?.verdict ?? 'no verdict'}`;
  const failureFragment = report.failure.kind === 'found'
    ? renderFailureFragment(report.failure.witness.failure, report.failure.witness.model)
    : null;
  const body = [
    verdictSection(report),
    missingSection([...inputs.missing, ...report.notes]),
    factsSection(summary, report),
    chartsSection(report),
    checksSection(summary, report.originNs),
    topicsSection(report, failureFragment?.body ?? null),
    logsSection(report),
    filesSection(report),
  ].join('\n');
  const scripts = [
    `<script type="application/json" id="run-data">${jsonForScript(report.chart)}</script>`,
    `<script>${inlineSafe(uplotScript(), 'script')}</script>`,
    `<script>${inlineSafe(pageScript('run-report.js'), 'script')}</script>`,
    failureFragment?.script ?? '',
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${inlineSafe(uplotStyle(), 'style')}${PAGE_STYLE}${failureFragment?.style ?? ''}</style>
</head>
<body class="verdict-${escapeHtml(summary?.verdict ?? 'unknown')}">
${body}
${scripts}
</body>
</html>
`;
}

function verdictSection(report: ReportData): string {
  const summary = report.inputs.summary;
  const words = describeVerdict(report);
  const verdict = summary?.verdict ?? 'unknown';
  const rerun = summary?.rerun === null || summary === null || summary.rerun === summary.command ? ''
    : ` or run it again with <code id="rerun-command">${escapeHtml(summary.rerun)}</code>`;
  const reproduce = summary?.command === null || summary === null ? ''
    : `<p class="reproduce">Reproduce with <code id="reproduce-command">${escapeHtml(summary.command)}</code>${rerun}</p>`;
  const seed = summary?.seed === null || summary === null ? '' : `<span class="seed">seed ${escapeHtml(String(summary.seed))}</span>`;
  return `<header id="verdict" class="verdict-${escapeHtml(verdict)}">
<h1>${escapeHtml(summary?.name ?? lastPathPart(report.inputs.dir))} ${seed}</h1>
<p class="headline">${escapeHtml(words.headline)}</p>
${words.details.length === 0 ? '' : `<ul class="reasons">${words.details.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`}
${reproduce}
</header>`;
}

function missingSection(missing: readonly string[]): string {
  if (missing.length === 0) return '';
  return `<section id="missing"><h2>Missing from this run directory</h2><ul>${missing.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>`;
}

function factsSection(summary: RunSummary | null, report: ReportData): string {
  const rows = report.chart.rows;
  const counts = [0, 0, 0, 0];
  for (const outcome of rows.outcome) counts[outcome]! += 1;
  const facts: [string, string][] = [];
  const add = (name: string, value: string | number | null | undefined): void => {
    if (value !== null && value !== undefined && value !== '') facts.push([name, String(value)]);
  };
  add('environment', summary?.env);
  add('system', summary?.system === null || summary === null ? null : `${summary.system}${summary.systemVersion === null ? '' : ` ${summary.systemVersion}`}`);
  add('nemesis', summary?.nemesis);
  add('started', summary?.startedAt);
  add('duration', summary?.durationMs === null || summary === null ? null : `${(summary.durationMs / 1000).toFixed(1)} s`);
  add('operations', `${rows.startS.length} (${counts[0]} ok, ${counts[1]} fail, ${counts[2]} info, ${counts[3]} never completed)`);
  add('nodes', report.inputs.nodes.map((node) => node.id).join(', '));
  for (const [name, value] of Object.entries(summary?.figures ?? {})) {
    if (name === 'operations' || name === 'ok' || name === 'fail' || name === 'info') continue;
    add(figureName(name), formatFigure(name, value));
  }
  const cells = facts.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  return `<section id="facts"><table class="facts">${cells}</table></section>`;
}

/** The run directory format's figures in words; any other "fooBarMs" becomes "foo bar". */
const FIGURE_NAMES: Record<string, string> = {
  opsPerSecond: 'operations per second',
  recoveryMs: 'recovery after healing',
  failoverMs: 'failover (median: leader taken away → next acknowledged write)',
  failoverMsMax: 'slowest failover',
  failoverTrials: 'faults that took the leader away',
  failoversObserved: 'of them, with a write acknowledged while the fault held',
  checkerMs: 'checker time',
  nemesisActions: 'nemesis actions',
  runMs: 'run length (run clock)',
};

function figureName(name: string): string {
  return FIGURE_NAMES[name] ?? name.replace(/(Ms|Ns|S)$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function formatFigure(name: string, value: number): string {
  if (name.endsWith('Ms')) return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
  if (name.endsWith('Ns')) return `${(value / 1e6).toFixed(1)} ms`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function chartsSection(report: ReportData): string {
  const latencyRows = report.latency.map((row) => `<tr><td>${escapeHtml(row.f)}</td><td>${row.ok}</td><td>${row.fail}</td><td>${row.info}</td>` +
    `<td>${row.open}</td>${[row.p50Ms, row.p90Ms, row.p99Ms, row.maxMs].map((ms) => `<td>${ms === null ? '' : formatMs(ms)}</td>`).join('')}</tr>`).join('');
  return `<section id="timeline-section"><h2>Timeline</h2>
<p class="legend">One lane per client process; each bar runs from an operation's invocation to its completion.
<span class="key ok"></span> ok <span class="key fail"></span> fail <span class="key info"></span> info (outcome unknown)
<span class="key open"></span> never completed. Shaded: faults in force <span id="fault-key"></span>.
Dotted lines: a new leader (epoch and node); dashed red: the failure. Drag to zoom, double-click to reset; hover for details.</p>
<div id="chart-timeline" class="chart"></div></section>
<section id="latency-section"><h2>Latency</h2>
<p class="legend">Each operation is a point at its invocation: ● ok, ✕ fail, △ info (until the client gave up), □ never completed; one colour per function (click a name to hide it).</p>
<div id="chart-latency" class="chart"></div>
<h3>Throughput</h3><div id="chart-throughput" class="chart"></div>
<h3>Latency quantiles of ok operations, per ${formatSeconds(report.chart.rates.bucketS)}</h3><div id="chart-quantiles" class="chart"></div>
<table class="grid" id="latency-table"><thead><tr><th>function</th><th>ok</th><th>fail</th><th>info</th><th>never completed</th>
<th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead><tbody>${latencyRows}</tbody></table></section>`;
}

function checksSection(summary: RunSummary | null, originNs: number): string {
  if (summary === null || summary.checks.length === 0) {
    return `<section id="checks"><h2>Invariants</h2><p>${summary === null ? 'No check results: results.json is missing.' : 'results.json lists no checks.'}</p></section>`;
  }
  // A rule the run gave nothing to judge is said so, beside the checks, never marked as passed.
  const rows = summary.checks.map((check) => checkRow(check, originNs)).join('') + summary.notJudged.map((rule) =>
    `<tr class="verdict-not-judged"><td>${escapeHtml(rule.rule)}</td><td class="verdict">– not judged</td><td></td><td>${escapeHtml(rule.message)}</td></tr>`).join('');
  return `<section id="checks"><h2>Invariants</h2><table class="grid"><thead><tr><th>check</th><th>verdict</th><th>first violating event</th><th>message</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

function checkRow(check: CheckSummary, originNs: number): string {
  const first = check.firstViolation;
  const where = first === undefined ? '' : describeFirstViolation(first, originNs);
  return `<tr class="verdict-${escapeHtml(check.verdict)}"><td>${escapeHtml(check.name)}</td><td class="verdict">${verdictMark(check.verdict)}</td>` +
    `<td>${escapeHtml(where)}</td><td>${escapeHtml(check.message)}</td></tr>`;
}

function verdictMark(verdict: string): string {
  const mark = verdict === 'valid' ? '✓ pass' : verdict === 'invalid' ? '✗ fail' : '? unknown';
  return escapeHtml(mark);
}

function topicsSection(report: ReportData, failureBody: string | null): string {
  const linearizability = report.inputs.summary?.linearizability ?? null;
  const header = '<h2>Linearizability</h2>';
  if (linearizability === null) {
    return `<section id="topics">${header}<p>No linearizability result: ${report.inputs.summary === null ? 'results.json is missing' : 'results.json has none'}.</p></section>`;
  }
  const notJudged = report.inputs.summary?.notJudged.find((rule) => rule.rule === 'linearizability');
  if (notJudged !== undefined) {
    // Topics with no answered operation "pass" vacuously: the page says why nothing was judged instead.
    return `<section id="topics">${header}<p>Overall: – not judged: ${escapeHtml(notJudged.message.replace(/^not judged: /, ''))}.</p></section>`;
  }
  const cause = linearizability.cause === null ? '' : ` (${linearizability.cause})`;
  const rows = linearizability.topics.map((topic) => `<tr class="verdict-${escapeHtml(topic.verdict)}"><td>${escapeHtml(topic.topic)}</td>` +
    `<td class="verdict">${verdictMark(topic.verdict)}</td><td>${topic.calls ?? ''}</td><td>${escapeHtml(topic.failure ?? '')}</td></tr>`).join('');
  const table = rows === '' ? '' : `<table class="grid"><thead><tr><th>topic</th><th>verdict</th><th>calls</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>`;
  const failure = report.failure;
  const witness = failure.kind === 'found' && failureBody !== null
    ? `<div id="witness"><h3>Topic ${escapeHtml(failure.witness.failure.partition)}: the longest linearizable prefix and the call that breaks it</h3>${failureBody}</div>`
    : failure.kind === 'not-rebuilt' ? `<p class="warning">The failing topic's witness could not be shown: ${escapeHtml(failure.reason)}.</p>` : '';
  return `<section id="topics">${header}<p>Overall: ${verdictMark(linearizability.verdict)}${escapeHtml(cause)}</p>${table}${witness}</section>`;
}

function logsSection(report: ReportData): string {
  if (report.logs.length === 0) return `<section id="logs"><h2>Node logs</h2><p>No node logs in this run directory.</p></section>`;
  const parts = report.logs.map((log) => {
    const link = log.path === null ? '' : ` <a href="${escapeHtml(encodePath(log.path))}">${escapeHtml(log.path)}</a>`;
    if (log.excerpt === null) return `<details class="node-log"><summary>node ${escapeHtml(log.node)}: no log file</summary></details>`;
    const lines = log.excerpt.lines.map((line) => `<span class="log-line${line.atMoment ? ' at-moment' : ''}${line.level === 'WARN' || line.level === 'ERROR' ? ` level-${line.level.toLowerCase()}` : ''}">` +
      `<span class="line-number">${line.line}</span>${line.timeS === null ? '' : `<span class="line-time">${line.timeS.toFixed(3)}</span>`}${escapeHtml(line.text)}</span>`).join('\n');
    return `<details class="node-log" open><summary>node ${escapeHtml(log.node)} (${log.excerpt.totalLines} lines)${link}</summary>` +
      `<p class="note">${escapeHtml(log.excerpt.note)}</p><pre class="log">${lines}</pre></details>`;
  }).join('\n');
  return `<section id="logs"><h2>Node logs</h2>${parts}</section>`;
}

function filesSection(report: ReportData): string {
  const items = report.inputs.files.map((file) =>
    `<li><a href="${escapeHtml(encodePath(file.path))}">${escapeHtml(file.path)}</a> <span class="bytes">${formatBytes(file.bytes)}</span></li>`).join('');
  return `<section id="files"><h2>Raw files</h2><ul class="files">${items}</ul></section>`;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms >= 10 ? ms.toFixed(0) : ms.toPrecision(2)} ms`;
}

function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(3)} s`;
}

function lastPathPart(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}

const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px; color: #1d2733; background: #fbfcfd; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e4e9ee; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 18px 0 6px; }
code, pre { font: 12px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f1f4f7; padding: 10px 12px; border-radius: 4px; overflow-x: auto; }
#verdict { padding: 12px 16px; border-radius: 6px; border-left: 6px solid; }
#verdict.verdict-valid { background: #e3f4e8; border-color: #17612f; }
#verdict.verdict-invalid { background: #fbe4e4; border-color: #8f1d1d; }
#verdict.verdict-unknown { background: #fdf1d8; border-color: #7a5300; }
#verdict .headline { font-size: 17px; font-weight: 600; margin: 4px 0; }
#verdict .seed { font-size: 14px; font-weight: 400; color: #5b6b7b; margin-left: 8px; }
#verdict ul.reasons { margin: 6px 0; padding-left: 20px; }
#verdict .reproduce code { background: rgba(255,255,255,0.7); padding: 2px 6px; border-radius: 3px; user-select: all; }
#missing { background: #fdf1d8; border-radius: 6px; padding: 4px 16px 8px; margin-top: 12px; }
#missing h2 { border: none; margin-top: 8px; color: #7a5300; }
table.facts { margin-top: 12px; }
table.facts th { text-align: left; padding-right: 16px; font-weight: 500; color: #5b6b7b; vertical-align: top; }
table.grid { border-collapse: collapse; background: #fff; margin-top: 8px; }
table.grid th, table.grid td { border-bottom: 1px solid #e4e9ee; padding: 4px 10px; text-align: left; vertical-align: top; }
table.grid tr.verdict-invalid td.verdict { color: #8f1d1d; font-weight: 600; }
table.grid tr.verdict-valid td.verdict { color: #17612f; }
table.grid tr.verdict-unknown td.verdict { color: #7a5300; font-weight: 600; }
.chart { background: #fff; border: 1px solid #dbe2e9; border-radius: 4px; padding: 4px 0; position: relative; }
.chart .u-over { cursor: crosshair; }
.chart-tip { position: absolute; z-index: 10; max-width: 520px; white-space: pre-wrap; background: #1d2733; color: #fff; font-size: 12px; padding: 6px 8px; border-radius: 4px; pointer-events: none; }
.legend .key { display: inline-block; width: 16px; height: 10px; margin: 0 4px 0 10px; vertical-align: middle; border-radius: 2px; }
.legend .key.ok { background: #0072B2; }
.legend .key.fail { background: repeating-linear-gradient(135deg, #D55E00 0 3px, #f4c2a0 3px 5px); }
.legend .key.info { background: rgba(230,159,0,0.55); border: 1px solid #8a5c00; }
.legend .key.open { background: rgba(153,153,153,0.25); border: 1px dashed #666; }
#fault-key .fault { margin-left: 10px; white-space: nowrap; }
#fault-key .swatch { display: inline-block; width: 16px; height: 10px; margin-right: 4px; vertical-align: middle; border: 1px solid #c9d3dd; }
details.node-log { margin: 8px 0; }
details.node-log summary { cursor: pointer; font-weight: 600; }
details.node-log .note { color: #5b6b7b; margin: 4px 0; }
pre.log { max-height: 420px; overflow: auto; white-space: pre; }
.log-line { display: block; }
.log-line.at-moment { border-top: 2px dashed #8f1d1d; background: #fbe4e4; }
.log-line.level-warn { color: #7a5300; }
.log-line.level-error { color: #8f1d1d; font-weight: 600; }
.line-number { display: inline-block; min-width: 4em; color: #9aa7b4; user-select: none; }
.line-time { display: inline-block; min-width: 6em; color: #5b6b7b; user-select: none; }
ul.files { columns: 2; }
.bytes { color: #9aa7b4; }
.warning { color: #7a5300; }
/* The witness's prefix table can run to many long states: it scrolls in its own box. */
#witness #linearization { max-height: 520px; overflow: auto; border: 1px solid #e4e9ee; border-radius: 4px; padding: 0 8px; }
`;
