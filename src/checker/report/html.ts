/**
 * The self-contained HTML report of a linearizability check (no network: CSS, script and SVG are
 * inline). For an invalid result it draws the failing part as a timeline, in the manner of
 * porcupine's visualization and Knossos' linear.svg: one lane per process, a bar from each call's
 * invocation to its completion (open-ended for calls whose outcome is unknown), the longest
 * linearizable prefix numbered in its order, and the call that could not follow it in red.
 * Hovering or clicking a bar or a row shows the call and the model state after it; the table
 * below lists the end of the prefix with the state after each call. Valid and unknown results get
 * a plain page with the verdict and its counts or cause.
 *
 * All text from the history is escaped (html-escape.ts); the data the script reads is embedded as
 * JSON that cannot close its script element.
 */
import type { Model } from '../model.js';
import type { CheckResult, LinearizabilityFailure } from '../verdict.js';
import { explainFailure, summarizeResult } from './explain.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { buildTimeline, type Timeline, type TimelineCall, type TimelineOptions } from './timeline.js';

export interface HtmlReportOptions extends TimelineOptions {
  /** Shown in the page title and heading, e.g. the history's file name. */
  title?: string;
}

export function renderHtmlReport(result: CheckResult, model?: Model<unknown>, options: HtmlReportOptions = {}): string {
  const title = options.title === undefined ? 'linearizability check' : `linearizability check: ${options.title}`;
  const summary = `<p class="summary verdict-${result.verdict}">${escapeHtml(summarizeResult(result))}</p>`;
  const facts = factsTable(result);
  if (result.verdict !== 'invalid' || result.failure === undefined) {
    const body = result.verdict === 'valid'
      ? `<p>Every part of the history has a linearization: no violation was found.</p>`
      : `<p>The checker could not decide: ${escapeHtml(result.cause ?? 'no cause given')}. An unknown verdict is never a pass.</p>`;
    return page(title, result.verdict, `${summary}${facts}${body}`, '');
  }
  const failure = renderFailureFragment(result.failure, model, options);
  return page(title, result.verdict, [summary, facts, failure.body].join('\n'), failure.script);
}

export interface FailureFragment {
  /** The explanation, the timeline of the failing part and its longest linearizable prefix. */
  body: string;
  /** The embedded data and the script that makes the timeline browsable. */
  script: string;
  /** The CSS the fragment needs (FAILURE_STYLE), for a page of its own. */
  style: string;
}

/**
 * The failure view on its own, for other pages (quorumcheck's run report embeds it): ids
 * `explanation`, `timeline`, `details`, `linearization` and `report-data` must be free on the page.
 */
export function renderFailureFragment(
  failure: LinearizabilityFailure, model?: Model<unknown>, options: TimelineOptions = {},
): FailureFragment {
  const timeline = buildTimeline(failure, model, options);
  const explanation = explainFailure(failure, model);
  const body = [
    `<section id="explanation"><h2>What went wrong</h2><pre>${escapeHtml(explanation)}</pre></section>`,
    timelineSection(timeline),
    linearizationSection(timeline),
  ].join('\n');
  return { body, script: script(timeline), style: FAILURE_STYLE };
}

function factsTable(result: CheckResult): string {
  const rows: [string, string][] = [
    ['verdict', result.verdict],
    ['model', result.model],
    ['calls', String(result.calls)],
    ['parts', String(result.partitions)],
    ['time', `${Math.round(result.elapsedMs)} ms`],
  ];
  if (result.cause !== undefined) rows.push(['cause', result.cause]);
  if (result.failure !== undefined) rows.push(['failing part', result.failure.partition]);
  const cells = rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  return `<table class="facts">${cells}</table>`;
}

// Geometry of the timeline, in SVG user units (pixels).
const LANE_LABEL_WIDTH = 130;
const TOP = 34;
const LANE_HEIGHT = 30;
const BAR_HEIGHT = 18;
const OPEN_END_WIDTH = 48;

function timelineSection(timeline: Timeline): string {
  const columnWidth = Math.min(56, Math.max(14, 1000 / Math.max(1, timeline.columns)));
  const xOf = (column: number): number => 12 + column * columnWidth;
  const rightEdge = xOf(Math.max(0, timeline.columns - 1)) + OPEN_END_WIDTH;
  const width = Math.ceil(rightEdge + 20);
  const height = TOP + timeline.lanes.length * LANE_HEIGHT + 10;
  // Lane labels sit in their own picture beside the scrolling one, so they stay in view.
  const labels = timeline.lanes.map((lane, index) => {
    const y = TOP + index * LANE_HEIGHT;
    return `<g class="lane"><rect class="lane-bg" x="0" y="${y}" width="${LANE_LABEL_WIDTH}" height="${LANE_HEIGHT}"/>` +
      `<text class="lane-label" x="8" y="${y + LANE_HEIGHT / 2 + 4}">process ${escapeHtml(lane)}</text></g>`;
  }).join('');
  const stripes = timeline.lanes.map((_, index) =>
    `<g class="lane"><rect class="lane-bg" x="0" y="${TOP + index * LANE_HEIGHT}" width="${width}" height="${LANE_HEIGHT}"/></g>`).join('');
  const bars = timeline.calls.map((call) => bar(call, xOf, rightEdge)).join('');
  const shown = timeline.calls.length < timeline.callsInPart
    ? `Showing ${timeline.calls.length} of the part's ${timeline.callsInPart} calls: the failing call, the end of the prefix and the calls around them.`
    : `All ${timeline.callsInPart} calls of the part.`;
  return `<section id="timeline"><h2>Part ${escapeHtml(timeline.partition)}: timeline</h2>
<p class="legend"><span class="key linearized"></span> in the longest linearizable prefix (numbered in its order)
<span class="key other"></span> not in it <span class="key open"></span> outcome unknown (open-ended)
<span class="key failing"></span> could not be linearized. Columns are the order of events, not a time scale. ${escapeHtml(shown)}</p>
<div class="timeline-frame"><svg class="lane-labels" xmlns="http://www.w3.org/2000/svg" width="${LANE_LABEL_WIDTH}" height="${height}" viewBox="0 0 ${LANE_LABEL_WIDTH} ${height}" aria-hidden="true">${labels}</svg>
<div class="timeline-box"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline of part ${escapeHtml(timeline.partition)}">
<defs><linearGradient id="open-fade" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#c9d3dd"/><stop offset="1" stop-color="#c9d3dd" stop-opacity="0"/></linearGradient></defs>
<text class="axis" x="12" y="18">earlier → later</text>
${stripes}${bars}</svg></div></div>
<p class="stepper"><button type="button" id="step-previous">◀ previous</button> <button type="button" id="step-next">next ▶</button>
step through the linearization, call by call (or press ← and →)</p>
<aside id="details" aria-live="polite"><p>Hover over or click a call to see it and the state after it.</p></aside></section>`;
}

function bar(call: TimelineCall, xOf: (column: number) => number, rightEdge: number): string {
  const x = xOf(call.startColumn);
  const end = call.endColumn === null ? rightEdge : Math.max(xOf(call.endColumn), x + 8);
  const y = TOP + call.lane * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2;
  const kind = call.failing ? 'failing' : call.order !== null ? 'linearized' : call.endColumn === null ? 'open' : 'other';
  const label = call.failing ? '✗' : call.order !== null ? String(call.order) : call.outputKnown ? '' : '?';
  const tooltip = call.order === null ? call.line : `#${call.order}: ${call.line}`;
  return `<g class="call ${kind}${call.endColumn === null ? ' unfinished' : ''}" data-id="${call.id}" tabindex="0">` +
    `<title>${escapeHtml(tooltip)}</title>` +
    `<rect x="${x.toFixed(1)}" y="${y}" width="${(end - x).toFixed(1)}" height="${BAR_HEIGHT}" rx="3"/>` +
    (label === '' ? '' : `<text x="${(x + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 5}">${escapeHtml(label)}</text>`) +
    `</g>`;
}

function linearizationSection(timeline: Timeline): string {
  const skipped = timeline.prefixLength - timeline.linearization.length;
  const note = skipped > 0 ? `<p>The first ${skipped} calls of the prefix are left out.</p>` : '';
  const initial = timeline.initialState === null || skipped > 0
    ? '' : `<tr class="initial"><td></td><td>initial state</td><td>${escapeHtml(timeline.initialState)}</td></tr>`;
  const rows = timeline.linearization.map((step) =>
    `<tr data-id="${step.id}"><td>${step.order}</td><td>${escapeHtml(step.description)}</td><td>${escapeHtml(step.stateAfter ?? '')}</td></tr>`).join('\n');
  const failing = timeline.calls.find((call) => call.failing);
  const failingRow = failing === undefined ? '' :
    `<tr class="failing-row" data-id="${failing.id}"><td>✗</td><td>${escapeHtml(failing.description)}</td><td>could not be linearized</td></tr>`;
  const replay = timeline.replayProblem === undefined ? '' : `<p class="warning">${escapeHtml(timeline.replayProblem)}</p>`;
  return `<section id="linearization"><h2>The longest linearizable prefix (${timeline.prefixLength} calls)</h2>${note}${replay}
<table class="steps"><thead><tr><th>#</th><th>call</th><th>state after</th></tr></thead><tbody>
${initial}${rows}
${failingRow}</tbody></table></section>`;
}

function script(timeline: Timeline): string {
  const data = {
    failingCallId: timeline.failingCallId,
    prefixLength: timeline.prefixLength,
    triedStates: timeline.triedStates,
    calls: Object.fromEntries(timeline.calls.map((call) => [String(call.id), {
      line: call.line, order: call.order, stateAfter: call.stateAfter, failing: call.failing, outputKnown: call.outputKnown,
    }])),
  };
  return `<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${DETAILS_SCRIPT}</script>`;
}

// Fills the details panel from the embedded data. Text goes in through textContent only.
const DETAILS_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var details = document.getElementById('details');
  var pinned = null;
  function add(tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    details.appendChild(element);
    return element;
  }
  function highlight(id) {
    document.querySelectorAll('.selected').forEach(function (e) { e.classList.remove('selected'); });
    document.querySelectorAll('[data-id="' + id + '"]').forEach(function (e) { e.classList.add('selected'); });
  }
  function show(id) {
    var call = data.calls[String(id)];
    while (details.firstChild) details.removeChild(details.firstChild);
    highlight(id);
    if (!call) { add('p', 'This call is not drawn in the timeline.'); return; }
    add('h3', call.line);
    if (call.failing) {
      add('p', 'Could not be linearized after the ' + data.prefixLength + ' calls of the longest prefix. Tried against:', 'bad');
      var list = details.appendChild(document.createElement('ul'));
      data.triedStates.forEach(function (tried) {
        var item = list.appendChild(document.createElement('li'));
        item.textContent = tried.state + ': ' + tried.reason;
      });
    } else if (call.order !== null) {
      add('p', 'Linearized as #' + call.order + ' of ' + data.prefixLength + '. State after it:');
      add('pre', call.stateAfter === null ? '(not replayed)' : call.stateAfter);
    } else {
      add('p', call.outputKnown ? 'Not in the longest linearizable prefix.'
        : 'Outcome unknown: it may take effect at any point after its invocation, or never; not in the prefix.');
    }
  }
  document.querySelectorAll('[data-id]').forEach(function (element) {
    var id = element.getAttribute('data-id');
    element.addEventListener('mouseenter', function () { if (pinned === null) show(id); });
    element.addEventListener('focus', function () { if (pinned === null) show(id); });
    element.addEventListener('click', function () { pinned = pinned === id ? null : id; show(id); });
  });
  // Stepping walks the linearization in its order and ends at the call that could not follow,
  // as porcupine's partial linearizations are browsed.
  var steps = Object.keys(data.calls).filter(function (id) { return data.calls[id].order !== null; })
    .sort(function (a, b) { return data.calls[a].order - data.calls[b].order; });
  steps.push(String(data.failingCallId));
  var at = steps.length - 1;
  function step(delta) {
    var current = pinned === null ? steps[at] : pinned;
    var position = steps.indexOf(String(current));
    at = Math.max(0, Math.min(steps.length - 1, (position < 0 ? at : position) + delta));
    pinned = steps[at];
    show(pinned);
  }
  document.getElementById('step-previous').addEventListener('click', function () { step(-1); });
  document.getElementById('step-next').addEventListener('click', function () { step(1); });
  document.addEventListener('keydown', function (event) {
    if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
    if (event.key === 'ArrowLeft') step(-1);
    if (event.key === 'ArrowRight') step(1);
  });
  show(data.failingCallId);
  // Bring the failing call into view when the timeline is wider than the page.
  var failingBar = document.querySelector('.call.failing rect');
  var box = document.querySelector('.timeline-box');
  if (failingBar && box) box.scrollLeft = Math.max(0, Number(failingBar.getAttribute('x')) - box.clientWidth / 2);
})();
`;

function page(title: string, verdict: string, body: string, scripts: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}${FAILURE_STYLE}</style>
</head>
<body class="verdict-${escapeHtml(verdict)}">
<h1>${escapeHtml(title)}</h1>
${body}
${scripts}
</body>
</html>
`;
}

const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1d2733; background: #fbfcfd; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
pre { background: #f1f4f7; padding: 10px 12px; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; }
.summary { font-size: 16px; font-weight: 600; padding: 8px 12px; border-radius: 4px; display: inline-block; }
.summary.verdict-valid { background: #e3f4e8; color: #17612f; }
.summary.verdict-invalid { background: #fbe4e4; color: #8f1d1d; }
.summary.verdict-unknown { background: #fdf1d8; color: #7a5300; }
table.facts th { text-align: left; padding-right: 16px; font-weight: 500; color: #5b6b7b; }
`;

/** The failure view's own rules (timeline, details panel, prefix table). */
export const FAILURE_STYLE = `
.timeline-frame { display: flex; border: 1px solid #dbe2e9; border-radius: 4px; background: #fff; }
.lane-labels { flex: none; border-right: 1px solid #dbe2e9; }
.timeline-box { overflow-x: auto; flex: 1 1 auto; }
.lane-bg { fill: transparent; }
.lane:nth-of-type(odd) .lane-bg { fill: #f6f8fa; }
.lane-label, .axis { font-size: 12px; fill: #5b6b7b; }
.call { cursor: pointer; }
.call rect { stroke-width: 1; }
.call text { font-size: 11px; fill: #fff; pointer-events: none; }
.call.linearized rect { fill: #3f8f5f; stroke: #2c6b46; }
.call.other rect { fill: #9aa7b4; stroke: #7b8896; }
.call.open rect { fill: url(#open-fade); stroke: #9aa7b4; stroke-dasharray: 4 3; }
.call.open text { fill: #3c4a58; }
.call.linearized.unfinished rect { stroke-dasharray: 4 3; }
.call.failing rect { fill: #d64545; stroke: #8f1d1d; stroke-width: 2; }
.call.selected rect, .call:focus rect { stroke: #1b4fd1; stroke-width: 3; outline: none; }
.legend .key { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: middle; }
.legend .key.linearized { background: #3f8f5f; }
.legend .key.other { background: #9aa7b4; }
.legend .key.open { background: linear-gradient(90deg, #c9d3dd, transparent); border: 1px dashed #9aa7b4; }
.legend .key.failing { background: #d64545; }
.stepper { margin: 8px 0 0; color: #5b6b7b; }
.stepper button { font: inherit; padding: 2px 10px; margin-right: 4px; cursor: pointer; }
#details { margin-top: 10px; padding: 10px 12px; border-left: 4px solid #1b4fd1; background: #eef3fd; min-height: 60px; }
#details h3 { font-size: 14px; margin: 0 0 6px; }
#details .bad { color: #8f1d1d; }
table.steps { border-collapse: collapse; width: 100%; background: #fff; }
table.steps th, table.steps td { border-bottom: 1px solid #e4e9ee; padding: 4px 8px; text-align: left; vertical-align: top; }
table.steps tr[data-id] { cursor: pointer; }
table.steps tr.selected { background: #eef3fd; }
table.steps tr.failing-row td { color: #8f1d1d; font-weight: 600; }
.warning { color: #7a5300; }
`;
