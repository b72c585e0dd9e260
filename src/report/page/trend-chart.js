// The trend of nightly conformance runs on serve's run list, drawn with uPlot from the entries
// embedded in the page (<script type="application/json" id="trend-data">, one per trend-file
// line): pass rate, failover time, operations per second and checker time, each over the date of
// the run. Plain script, no modules.
(function () {
  'use strict';
  /** @type {{at: string, passRate: number, failoverMs: number|null, recoveryMs?: number|null, opsPerSecond: number|null, checkerMs: number|null}[]} */
  var entries = JSON.parse(document.getElementById('trend-data').textContent);
  var times = entries.map(function (entry) { return Date.parse(entry.at) / 1000; });

  // One chart of one figure, or of several (label, key and colour each) on one scale.
  function draw(id, title, key, format, colour, scale, more) {
    var element = document.getElementById(id);
    var lines = [{ label: title, key: key, colour: colour }].concat(more || []);
    /** @type {(number | null)[][]} */
    var columns = [times];
    lines.forEach(function (line) {
      columns.push(entries.map(function (entry) { return entry[line.key] == null ? null : entry[line.key] * scale; }));
    });
    var data = /** @type {import('uplot').AlignedData} */ (/** @type {unknown} */ (columns));
    /** @type {import('uplot').Options} */
    var options = {
      title: title,
      width: Math.max(300, element.clientWidth - 8),
      height: 200,
      scales: { x: { time: true }, y: key === 'passRate' ? { range: /** @type {[number, number]} */ ([0, 100]) } : {} },
      axes: [{}, { size: 64, values: function (u, ticks) { return ticks.map(format); } }],
      series: [{}].concat(lines.map(function (line) {
        return { label: line.label, stroke: line.colour, width: 2, points: { show: true, size: 6 }, value: function (u, v) { return format(v); } };
      })),
      legend: { show: lines.length > 1 },
    };
    new uPlot(options, data, element);
  }

  function fixed(digits, unit) { return function (v) { return v == null ? '' : v.toFixed(digits) + unit; }; }
  function duration(v) { return v == null ? '' : v >= 1000 ? (v / 1000).toFixed(v >= 10000 ? 0 : 1) + ' s' : v.toFixed(0) + ' ms'; }

  draw('trend-pass-rate', 'pass rate', 'passRate', fixed(0, ' %'), '#0072B2', 100);
  // Failover (leader taken away -> next acknowledged write) beside recovery (every fault healed ->
  // first acknowledged write): two different times, drawn apart.
  draw('trend-failover', 'failover time', 'failoverMs', duration, '#D55E00', 1, [{ label: 'recovery after heal', key: 'recoveryMs', colour: '#56B4E9' }]);
  draw('trend-throughput', 'operations per second', 'opsPerSecond', fixed(0, '/s'), '#009E73', 1);
  draw('trend-checker', 'checker time', 'checkerMs', duration, '#CC79A7', 1);
  document.body.setAttribute('data-charts', 'drawn');
})();
