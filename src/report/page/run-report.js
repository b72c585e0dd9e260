// The run report's charts, drawn in the browser with uPlot from the data embedded in the page
// (<script type="application/json" id="run-data">, built by src/report/report-data.ts).
//
// Four charts share one time axis (seconds since the run's origin): the timeline of every client
// process's operations, latency per operation, throughput, and latency quantiles. Fault intervals
// are shaded across all four, new leaders and the failure moment are vertical lines, and zooming
// one chart (drag to select, double-click to reset) zooms them all. uPlot draws axes, scales,
// zoom and the cursor; the operations are drawn by path builders of ours (uPlot's way of drawing
// custom marks), which walk only the operations inside the visible range.
//
// Colours are from the Okabe-Ito palette, which readers with any common colour blindness can
// tell apart, and every outcome also has its own mark: ok solid, fail hatched, info outlined with
// an open end, never completed dashed. Plain script, no modules: it runs from a file:// page.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('run-data').textContent);
  var OUTCOMES = ['ok', 'fail', 'info', 'open'];
  var OUTCOME_COLOURS = { ok: '#0072B2', fail: '#D55E00', info: '#E69F00', open: '#999999' };
  var FUNCTION_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
  var FAULT_COLOURS = {
    partition: 'rgba(213, 94, 0, 0.13)', kill: 'rgba(0, 0, 0, 0.11)', pause: 'rgba(86, 180, 233, 0.20)',
    clock: 'rgba(204, 121, 167, 0.18)',
  };
  var FAULT_COLOUR_OTHER = 'rgba(0, 158, 115, 0.15)';
  var charts = [];
  var rows = data.rows;
  var count = rows.startS.length;

  function faultColour(kind) { return FAULT_COLOURS[kind] || FAULT_COLOUR_OTHER; }

  function formatSeconds(value) { return value == null ? '' : value.toFixed(value < 10 ? 3 : 2) + ' s'; }

  function formatMs(value) {
    if (value == null) return '';
    if (value >= 1000) return (value / 1000).toFixed(2) + ' s';
    return (value >= 10 ? value.toFixed(0) : value.toPrecision(2)) + ' ms';
  }

  // Shading, leader lines and the failure line, drawn on every chart.
  function runMarksPlugin(withLabels) {
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx;
          var box = u.bbox;
          ctx.save();
          data.nemesis.intervals.forEach(function (interval) {
            var x0 = Math.max(box.left, u.valToPos(interval.startS, 'x', true));
            var x1 = Math.min(box.left + box.width, u.valToPos(interval.endS, 'x', true));
            if (x1 <= x0) return;
            ctx.fillStyle = faultColour(interval.kind);
            ctx.fillRect(x0, box.top, Math.max(1, x1 - x0), box.height);
          });
          ctx.restore();
        }],
        draw: [function (u) {
          var ctx = u.ctx;
          var box = u.bbox;
          var ratio = window.devicePixelRatio || 1;
          ctx.save();
          ctx.font = Math.round(10 * ratio) + 'px system-ui, sans-serif';
          ctx.textBaseline = 'top';
          // uPlot leaves its axes' alignment (right, for the y axis) on the context: without this
          // every label ended at its line, and the first leader's ran off the left edge.
          ctx.textAlign = 'left';
          var lastLabelX = -Infinity;
          /** @type {{text: string, left: number, right: number}[]} */
          var drawn = [];
          data.leaders.forEach(function (leader) {
            var x = u.valToPos(leader.timeS, 'x', true);
            if (x < box.left || x > box.left + box.width) return;
            ctx.strokeStyle = '#3c4a58';
            ctx.lineWidth = ratio;
            ctx.setLineDash([2 * ratio, 2 * ratio]);
            ctx.beginPath();
            ctx.moveTo(x, box.top);
            ctx.lineTo(x, box.top + box.height);
            ctx.stroke();
            var label = 'epoch ' + leader.epoch + ': leader ' + leader.node;
            var width = ctx.measureText(label).width;
            // Right of its line, or left of it where the plot ends first.
            var left = x + 3 * ratio;
            if (left + width > box.left + box.width) left = Math.max(0, x - 3 * ratio - width);
            if (withLabels && left > lastLabelX) {
              ctx.fillStyle = '#1d2733';
              ctx.fillText(label, left, box.top - 14 * ratio);
              lastLabelX = left + width + 10 * ratio;
              drawn.push({ text: label, left: left / ratio, right: (left + width) / ratio });
            }
          });
          // What was labelled, in CSS pixels of the canvas, for a test to hold against its width.
          if (withLabels) u.root.setAttribute('data-leader-labels', JSON.stringify(drawn));
          data.nemesis.marks.forEach(function (mark) {
            var x = u.valToPos(mark.timeS, 'x', true);
            if (x < box.left || x > box.left + box.width) return;
            ctx.strokeStyle = '#009E73';
            ctx.lineWidth = ratio;
            ctx.setLineDash([]);
            ctx.beginPath();
            ctx.moveTo(x, box.top);
            ctx.lineTo(x, box.top + box.height);
            ctx.stroke();
          });
          if (data.failureS != null) {
            var fx = u.valToPos(data.failureS, 'x', true);
            if (fx >= box.left && fx <= box.left + box.width) {
              ctx.strokeStyle = '#8f1d1d';
              ctx.lineWidth = 2 * ratio;
              ctx.setLineDash([6 * ratio, 3 * ratio]);
              ctx.beginPath();
              ctx.moveTo(fx, box.top);
              ctx.lineTo(fx, box.top + box.height);
              ctx.stroke();
              if (withLabels) {
                ctx.fillStyle = '#8f1d1d';
                ctx.fillText('failure', fx + 3 * ratio, box.top + box.height - 14 * ratio);
              }
            }
          }
          ctx.restore();
        }],
      },
    };
  }

  // Zooming one chart's time axis zooms every chart.
  var syncing = false;
  function syncZoomPlugin() {
    return {
      hooks: {
        setScale: [function (u, key) {
          if (key !== 'x' || syncing) return;
          syncing = true;
          var min = u.scales.x.min;
          var max = u.scales.x.max;
          charts.forEach(function (other) {
            if (other !== u) other.setScale('x', { min: min, max: max });
          });
          syncing = false;
        }],
      },
    };
  }

  function width(element) { return Math.max(320, element.clientWidth - 4); }

  function xAxis() {
    return { scale: 'x', label: 'seconds since the run began', labelSize: 20, values: function (u, ticks) {
      return ticks.map(function (t) { return t.toFixed(Math.max(0, -Math.floor(Math.log10(Math.max(1e-9, Math.abs(ticks[1] - ticks[0] || 1)))))) ; });
    } };
  }

  /** @type {[number, number]} */
  var xRange = [0, Math.max(data.durationS, 1e-3)];

  /** The shared time scale: the whole run unless zoomed. @returns {import('uplot').Scale} */
  function xScale() {
    return { time: false, range: function () { return /** @type {[number, number]} */ ([xRange[0], xRange[1]]); } };
  }

  // ----- the timeline -----
  var lanes = data.rows.processes.length;
  var rowsByLane = [];
  for (var lane = 0; lane < lanes; lane++) rowsByLane.push([]);
  for (var row = 0; row < count; row++) rowsByLane[rows.lane[row]].push(row);

  var failHatch = null;
  function hatchPattern(ctx) {
    if (failHatch) return failHatch;
    var ratio = window.devicePixelRatio || 1;
    var tile = document.createElement('canvas');
    tile.width = tile.height = Math.round(6 * ratio);
    var t = tile.getContext('2d');
    t.fillStyle = OUTCOME_COLOURS.fail;
    t.fillRect(0, 0, tile.width, tile.height);
    t.strokeStyle = 'rgba(255,255,255,0.75)';
    t.lineWidth = 1.5 * ratio;
    t.beginPath();
    t.moveTo(0, tile.height);
    t.lineTo(tile.width, 0);
    t.stroke();
    failHatch = ctx.createPattern(tile, 'repeat');
    return failHatch;
  }

  // Rectangles of one outcome inside the visible range: one Path2D, filled (and stroked) by uPlot.
  function laneBars(outcomeCode) {
    return function (u) {
      var path = new Path2D();
      var xMin = u.scales.x.min;
      var xMax = u.scales.x.max;
      var laneHeight = Math.abs(u.valToPos(1, 'lane', true) - u.valToPos(0, 'lane', true));
      var barHeight = Math.max(1, laneHeight * 0.7);
      var minWidth = window.devicePixelRatio || 1;
      for (var r = 0; r < count; r++) {
        if (rows.outcome[r] !== outcomeCode) continue;
        var start = rows.startS[r];
        var end = rows.endS[r];
        if (end < xMin || start > xMax) continue;
        var x0 = u.valToPos(start, 'x', true);
        var x1 = u.valToPos(end, 'x', true);
        var y = u.valToPos(rows.lane[r], 'lane', true) - barHeight / 2;
        path.rect(x0, y, Math.max(minWidth, x1 - x0), barHeight);
      }
      return { stroke: outcomeCode >= 2 ? path : null, fill: path, clip: null, flags: 0 };
    };
  }

  function timelineSeries(outcome, code) {
    var series = { label: outcome, scale: 'lane', paths: laneBars(code), points: { show: false }, width: 1 };
    if (outcome === 'ok') { series.fill = OUTCOME_COLOURS.ok; series.stroke = OUTCOME_COLOURS.ok; series.width = 0; }
    if (outcome === 'fail') { series.fill = function (u) { return hatchPattern(u.ctx); }; series.stroke = OUTCOME_COLOURS.fail; series.width = 0; }
    if (outcome === 'info') { series.fill = 'rgba(230, 159, 0, 0.55)'; series.stroke = '#8a5c00'; }
    if (outcome === 'open') { series.fill = 'rgba(153, 153, 153, 0.25)'; series.stroke = '#666666'; series.dash = [4, 3]; }
    return series;
  }

  function drawTimeline() {
    var element = document.getElementById('chart-timeline');
    var laneHeightPx = lanes > 40 ? 10 : 20;
    var height = Math.min(640, Math.max(160, lanes * laneHeightPx + 70));
    var series = [{}];
    OUTCOMES.forEach(function (outcome, code) { series.push(timelineSeries(outcome, code)); });
    /** @type {import('uplot').Options} */
    var opts = {
      width: width(element),
      height: height,
      padding: [18, 12, 0, 0],
      scales: { x: xScale(), lane: { range: /** @type {[number, number]} */ ([-0.5, Math.max(0.5, lanes - 0.5)]), dir: -1 } },
      axes: [xAxis(), {
        scale: 'lane', size: 50, space: 12, incrs: [1, 2, 5, 10, 20, 50, 100], label: 'client process', labelSize: 20,
        values: function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) && rows.processes[t] !== undefined ? rows.processes[t] : ''; }); },
      }],
      series: series,
      legend: { live: false },
      cursor: { sync: { key: 'run' }, y: false, drag: { x: true, y: false } },
      plugins: [runMarksPlugin(true), syncZoomPlugin(), tooltipPlugin(describeTimelinePoint)],
    };
    var chart = new uPlot(opts, [xRange.slice(), [null, null], [null, null], [null, null], [null, null]], element);
    charts.push(chart);
  }

  function findOperation(laneIndex, timeS) {
    var list = rowsByLane[laneIndex];
    if (!list) return -1;
    var lo = 0;
    var hi = list.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (rows.startS[list[mid]] <= timeS) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0) return -1;
    var candidate = list[found];
    return rows.endS[candidate] >= timeS ? candidate : -1;
  }

  function describeOperation(r) {
    var latency = (rows.endS[r] - rows.startS[r]) * 1000;
    var outcome = OUTCOMES[rows.outcome[r]];
    return 'process ' + rows.processes[rows.lane[r]] + ' · ' + rows.texts[rows.text[r]] + '\n' + outcome +
      (outcome === 'open' ? ', never completed' : ' after ' + formatMs(latency)) + ' · ' + formatSeconds(rows.startS[r]) +
      ' → ' + formatSeconds(rows.endS[r]) + ' · history index ' + rows.index[r];
  }

  function faultsAt(timeS) {
    return data.nemesis.intervals.filter(function (i) { return i.startS <= timeS && i.endS >= timeS; })
      .map(function (i) { return i.label + (i.unended ? ' (never healed)' : ''); });
  }

  function describeTimelinePoint(u, left, top) {
    var timeS = u.posToVal(left, 'x');
    var laneIndex = Math.round(u.posToVal(top, 'lane'));
    var r = findOperation(laneIndex, timeS);
    var lines = [];
    if (r >= 0) lines.push(describeOperation(r));
    var faults = faultsAt(timeS);
    if (faults.length > 0) lines.push('faults in force: ' + faults.join('; '));
    return lines.join('\n');
  }

  // ----- latency of each operation -----
  var order = [];
  for (var i = 0; i < count; i++) order.push(i);
  order.sort(function (a, b) { return rows.startS[a] - rows.startS[b]; });
  var latencyX = new Float64Array(count);
  var latencyMs = new Float64Array(count);
  order.forEach(function (r, position) {
    latencyX[position] = rows.startS[r];
    latencyMs[position] = Math.max(0.01, (rows.endS[r] - rows.startS[r]) * 1000);
  });

  // Points of one function: ok a filled dot, fail a cross, info a hollow triangle, open a hollow square.
  function latencyPoints(functionIndex) {
    return function (u) {
      var fill = new Path2D();
      var stroke = new Path2D();
      var xMin = u.scales.x.min;
      var xMax = u.scales.x.max;
      var ratio = window.devicePixelRatio || 1;
      var size = 2.5 * ratio;
      for (var p = 0; p < count; p++) {
        var r = order[p];
        if (rows.f[r] !== functionIndex) continue;
        var xs = latencyX[p];
        if (xs < xMin || xs > xMax) continue;
        var x = u.valToPos(xs, 'x', true);
        var y = u.valToPos(latencyMs[p], 'ms', true);
        var outcome = rows.outcome[r];
        if (outcome === 0) { fill.moveTo(x + size, y); fill.arc(x, y, size, 0, 2 * Math.PI); }
        else if (outcome === 1) { stroke.moveTo(x - size, y - size); stroke.lineTo(x + size, y + size); stroke.moveTo(x - size, y + size); stroke.lineTo(x + size, y - size); }
        else if (outcome === 2) { stroke.moveTo(x, y - size - 1); stroke.lineTo(x + size + 1, y + size); stroke.lineTo(x - size - 1, y + size); stroke.closePath(); }
        else stroke.rect(x - size, y - size, 2 * size, 2 * size);
      }
      return { stroke: stroke, fill: fill, clip: null, flags: 0 };
    };
  }

  function drawLatency() {
    var element = document.getElementById('chart-latency');
    var series = [{}];
    var columns = [latencyX];
    rows.functions.forEach(function (f, index) {
      var colour = FUNCTION_COLOURS[index % FUNCTION_COLOURS.length];
      series.push({ label: f, scale: 'ms', stroke: colour, fill: colour, width: 1.2, paths: latencyPoints(index), points: { show: false } });
      columns.push(latencyMs);
    });
    var chart = new uPlot({
      width: width(element),
      height: 300,
      scales: { x: xScale(), ms: { distr: 3 } },
      axes: [xAxis(), { scale: 'ms', size: 70, label: 'latency', labelSize: 20, values: function (u, ticks) { return ticks.map(formatMs); } }],
      series: series,
      legend: { live: false },
      cursor: { sync: { key: 'run' }, drag: { x: true, y: false } },
      plugins: [runMarksPlugin(false), syncZoomPlugin(), tooltipPlugin(describeLatencyPoint)],
    }, count === 0 ? [xRange.slice(), [1, 1]] : columns, element);
    charts.push(chart);
  }

  function describeLatencyPoint(u, left, top) {
    if (count === 0) return '';
    var timeS = u.posToVal(left, 'x');
    var lo = 0;
    var hi = count - 1;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (latencyX[mid] < timeS) lo = mid + 1; else hi = mid;
    }
    var best = -1;
    var bestDistance = 12;
    for (var p = Math.max(0, lo - 300); p < Math.min(count, lo + 300); p++) {
      if (!u.series[rows.f[order[p]] + 1].show) continue;
      var dx = u.valToPos(latencyX[p], 'x') - left;
      var dy = u.valToPos(latencyMs[p], 'ms') - top;
      var distance = Math.sqrt(dx * dx + dy * dy);
      if (distance < bestDistance) { bestDistance = distance; best = p; }
    }
    return best < 0 ? '' : describeOperation(order[best]);
  }

  // ----- throughput and latency quantiles, per time bucket -----
  function drawRates(elementId, scale, label, keys, format) {
    var element = document.getElementById(elementId);
    var rates = data.rates;
    var dashes = [[], [6, 3], [2, 3], [8, 3, 2, 3]];
    var colours = scale === 'rate' ? [OUTCOME_COLOURS.ok, OUTCOME_COLOURS.fail, OUTCOME_COLOURS.info] : ['#0072B2', '#009E73', '#CC79A7', '#D55E00'];
    var series = [{ label: 'time', value: function (u, v) { return formatSeconds(v); } }];
    var columns = [rates.timeS];
    keys.forEach(function (key, index) {
      series.push({
        label: key[1], scale: scale, stroke: colours[index], width: 1.6, dash: dashes[index],
        paths: uPlot.paths.stepped({ align: 1 }), points: { show: false },
        value: function (u, v) { return format(v); },
      });
      columns.push(rates[key[0]]);
    });
    /** @type {import('uplot').Scales} */
    var scales = { x: xScale() };
    scales[scale] = scale === 'quantile' ? { distr: 3 } : { range: function (u, min, max) { return [0, Math.max(1, max * 1.05)]; } };
    var chart = new uPlot({
      width: width(element),
      height: 220,
      scales: scales,
      axes: [xAxis(), { scale: scale, size: 70, label: label, labelSize: 20, values: function (u, ticks) { return ticks.map(format); } }],
      series: series,
      cursor: { sync: { key: 'run' }, drag: { x: true, y: false } },
      plugins: [runMarksPlugin(false), syncZoomPlugin()],
    }, columns, element);
    charts.push(chart);
  }

  // A small box following the cursor, filled by describe(u, left, top).
  function tooltipPlugin(describe) {
    var tip = null;
    return {
      hooks: {
        init: [function (u) {
          tip = document.createElement('div');
          tip.className = 'chart-tip';
          tip.style.display = 'none';
          u.over.appendChild(tip);
          u.over.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
        }],
        setCursor: [function (u) {
          var left = u.cursor.left;
          var top = u.cursor.top;
          if (left == null || left < 0 || top == null || top < 0) { tip.style.display = 'none'; return; }
          var text = describe(u, left, top);
          if (!text) { tip.style.display = 'none'; return; }
          tip.textContent = text;
          tip.style.display = 'block';
          var overWidth = u.over.clientWidth;
          tip.style.left = Math.min(left + 12, Math.max(0, overWidth - tip.offsetWidth)) + 'px';
          tip.style.top = (top + 14) + 'px';
        }],
      },
    };
  }

  function faultKey() {
    var element = document.getElementById('fault-key');
    if (!element) return;
    var kinds = {};
    data.nemesis.intervals.forEach(function (i) { kinds[i.kind] = (kinds[i.kind] || 0) + 1; });
    Object.keys(kinds).sort().forEach(function (kind) {
      var item = document.createElement('span');
      item.className = 'fault';
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = faultColour(kind);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(kind + ' (' + kinds[kind] + ')'));
      element.appendChild(item);
    });
  }

  function safely(name, draw) {
    try { draw(); } catch (error) {
      var element = document.getElementById(name);
      if (element) element.textContent = 'This chart could not be drawn: ' + error.message;
      throw error;
    }
  }

  safely('chart-timeline', drawTimeline);
  safely('chart-latency', drawLatency);
  safely('chart-throughput', function () {
    drawRates('chart-throughput', 'rate', 'operations/s', [['okPerS', 'ok/s'], ['failPerS', 'fail/s'], ['infoPerS', 'info/s']],
      function (v) { return v == null ? '' : v.toFixed(v < 10 ? 1 : 0); });
  });
  safely('chart-quantiles', function () {
    drawRates('chart-quantiles', 'quantile', 'latency (ok)', [['p50Ms', 'p50'], ['p95Ms', 'p95'], ['p99Ms', 'p99'], ['maxMs', 'max']], formatMs);
  });
  faultKey();

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (chart) { chart.setSize({ width: width(chart.root.parentElement), height: chart.height }); });
    }, 150);
  });
  // For tests and the benchmark: when the page was ready to read.
  performance.mark('charts-drawn');
  document.body.setAttribute('data-charts', 'drawn');
})();
