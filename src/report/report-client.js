// Draws report.html's charts from the inlined JSON with ECharts. Plain browser JavaScript, read
// and inlined by render-html.ts. Records errors in <body data-errors> and the number of charts
// drawn in <body data-charts> so a headless browser can check the page.
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message)); document.body.dataset.errors = errors.join(' | '); });
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var SCAN = '#d62728', BENIGN = '#2ca02c';
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd', '#e6550d', '#31a354', '#756bb1', '#636363', '#9ecae1', '#fdae6b', '#a1d99b', '#bcbddc'];
  var charts = 0;
  var instances = [];
  function fmt(n) { return Number(n).toLocaleString('en-US'); }
  function el(tag, attrs, html) { var e = document.createElement(tag); for (var k in attrs || {}) e.setAttribute(k, attrs[k]); if (html !== undefined) e.innerHTML = html; return e; }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function chart(node, option) {
    var c = echarts.init(node, null, { renderer: 'canvas' });
    option.animation = false;
    c.setOption(option);
    instances.push(c);
    charts++;
    return c;
  }
  function base() {
    return { grid: { left: 56, right: 20, top: 36, bottom: 40 }, tooltip: { trigger: 'axis' }, legend: { top: 0 } };
  }

  // Header.
  var s = data.summary;
  document.getElementById('sub').textContent = data.runDir + (data.status ? '  ·  run ' + data.status : '');
  var cards = [['packets', fmt(s.packets), ''], ['scan', fmt(s.scan), 'scan'], ['benign', fmt(s.benign), 'benign'], ['seconds captured', s.durationS.toFixed(1), ''], ['bytes', fmt(s.bytes), '']];
  if (s.dropped !== null) cards.push(['dropped by libpcap', fmt(s.dropped), s.dropped > 0 ? 'bad' : '']);
  cards.forEach(function (c) { document.getElementById('cards').appendChild(el('div', { class: 'card ' + c[2] }, '<b>' + c[1] + '</b><span>' + c[0] + '</span>')); });

  // Detection table: every detector, none ranked; the base rate beside precision.
  var det = data.detection;
  function f3(v) { return v === null || v === undefined ? '–' : v.toFixed(3); }
  function tone(v) { return v === null || v === undefined ? '' : v >= 0.9 ? 'good' : v >= 0.6 ? 'mid' : 'poor'; }
  function trainedOn(t) {
    if (!t) return 'learns nothing';
    if (t.source === 'warm-up') return 'warm-up, first ' + t.untilSeconds.toFixed(1) + ' s';
    if (t.source === 'train-until') return 'first ' + t.untilSeconds.toFixed(1) + ' s (--train-until)';
    if (t.source === 'train-capture') return t.capture + ' (--train)';
    return 'none: fallback rule (weaker)';
  }
  function hostList(a) { return a.length ? ' <small>' + a.map(esc).join(', ') + '</small>' : ''; }
  function stepTimes(ttd) {
    if (!ttd) return '–';
    var names = Object.keys(ttd);
    if (!names.length) return '–';
    return names.map(function (n) { return esc(n) + ' ' + (ttd[n] === null ? '<span class="miss">missed</span>' : (ttd[n] / 1000).toFixed(2) + ' s'); }).join('<br>');
  }
  document.getElementById('detection-hint').textContent = 'Training part: ' + det.training + '. Base rate: share of the judged packets that are scan, the precision of flagging every packet. ROC-AUC and PR-AUC (average precision) rank packets by the detector\'s score; precision, recall and F1 are at its own threshold. A false alarm is a flagged benign (source, minute) pair. No detector is ranked: compare them yourself.';
  var dcols = ['detector', 'kind', 'base rate', 'precision', 'recall', 'F1', 'ROC-AUC', 'PR-AUC', 'attacking hosts detected', 'missed', 'benign hosts flagged', 'false alarms / h', 'time to detect per step', 'trained on'];
  var dtable = '<table class="detection"><tr>' + dcols.map(function (c) { return '<th>' + c + '</th>'; }).join('') + '</tr>';
  det.detectors.forEach(function (d) {
    var p = d.packets, h = d.hosts;
    dtable += '<tr class="detector"><td><b>' + esc(d.name) + '</b></td><td>' + esc(d.kind) + '</td>';
    if (p) {
      dtable += '<td>' + f3(p.baseRate) + '</td><td>' + f3(p.precision) + '</td><td>' + f3(p.recall) + '</td><td class="' + tone(p.f1) + '">' + f3(p.f1) + '</td><td class="' + tone(p.rocAuc) + '">' + f3(p.rocAuc) + '</td><td>' + f3(p.prAuc) + '</td>';
    } else {
      dtable += '<td colspan="6" class="rule">no labels: flagged ' + fmt(d.flaggedPackets) + ' of ' + fmt(d.judgedPackets) + ' judged packets</td>';
    }
    if (h) {
      var attackers = h.detected.length + h.missed.length;
      dtable += '<td class="' + (h.missed.length ? 'poor' : 'good') + '">' + h.detected.length + ' / ' + attackers + '</td><td>' + h.missed.length + hostList(h.missed) + '</td><td class="' + (h.falselyFlagged.length ? 'poor' : 'good') + '">' + h.falselyFlagged.length + hostList(h.falselyFlagged) + '</td>';
    } else dtable += '<td>–</td><td>–</td><td>–</td>';
    dtable += '<td>' + (d.falseAlarmsPerHour === null ? '–' : d.falseAlarmsPerHour.toFixed(1)) + '</td><td class="ttd">' + stepTimes(d.timeToDetectMs) + '</td><td>' + esc(trainedOn(d.training)) + '</td></tr>';
    dtable += '<tr><td class="rule" colspan="' + dcols.length + '"><b>rule:</b> ' + esc(d.rule) + (d.notes.length ? '<br><b>notes:</b> ' + d.notes.map(esc).join('; ') : '') + '</td></tr>';
  });
  document.getElementById('detection').innerHTML = det.detectors.length ? dtable + '</table>' : '<p class="hint">No detector was run.</p>';

  // Separation table.
  var cols = [['ari', 'ARI'], ['nmi', 'NMI'], ['homogeneity', 'homog.'], ['completeness', 'compl.'], ['vMeasure', 'V'], ['purity', 'purity'], ['scanF1', 'majority-rule F1'], ['scanPrecision', 'majority-rule precision'], ['scanRecall', 'majority-rule recall']];
  var table = '<table><tr><th>feature set</th><th>rows</th><th>k</th>' + cols.map(function (c) { return '<th>' + c[1] + '</th>'; }).join('') + '<th>rating</th></tr>';
  data.scores.forEach(function (r) {
    table += '<tr><td>' + esc(r.name) + '</td><td>' + fmt(r.rows) + '</td><td>' + r.k + '</td>';
    cols.forEach(function (c) {
      var v = r.byPackets ? r.byPackets[c[0]] : null, w = r.byRows ? r.byRows[c[0]] : null;
      table += '<td>' + (v === null ? '–' : v.toFixed(3)) + (w === null ? '' : ' <small>(' + w.toFixed(3) + ')</small>') + '</td>';
    });
    table += '<td>' + (r.rating === null ? '–' : r.rating.toFixed(1)) + '</td></tr>';
  });
  document.getElementById('scores').innerHTML = data.scores.length ? table + '</table>' : '<p class="hint">No feature set was analysed.</p>';

  // Histograms.
  var sizeLabels = data.sizes.edges.slice(0, -1).map(function (e, i) { return e + '–' + (data.sizes.edges[i + 1] - 1); });
  chart(document.getElementById('sizes'), Object.assign(base(), {
    xAxis: { type: 'category', data: sizeLabels, name: 'bytes on the wire', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'log', name: 'packets', min: 1, logBase: 10 },
    series: [{ name: 'scan', type: 'bar', stack: 'l', color: SCAN, data: data.sizes.scan.map(function (v) { return v || null; }) }, { name: 'benign', type: 'bar', stack: 'l', color: BENIGN, data: data.sizes.benign.map(function (v) { return v || null; }) }],
  }));
  chart(document.getElementById('counts'), Object.assign(base(), {
    xAxis: { type: 'category', data: data.counts.start.map(function (t) { return t + 's'; }), name: 'time since first packet (' + data.counts.binS + ' s bins)', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', name: 'packets' },
    series: [{ name: 'scan', type: 'bar', stack: 'l', color: SCAN, data: data.counts.scan }, { name: 'benign', type: 'bar', stack: 'l', color: BENIGN, data: data.counts.benign }],
  }));

  // Timelines.
  var tl = data.timeline;
  document.getElementById('timeline-hint').textContent = 'Each dot is a packet: time since the first packet against its size.' + (tl.step > 1 ? ' Every ' + tl.step + 'th packet is shown (' + fmt(tl.t.length) + ' of ' + fmt(s.packets) + ').' : '');
  function points(filter) { var out = []; for (var i = 0; i < tl.t.length; i++) if (filter(i)) out.push([tl.t[i], tl.len[i]]); return out; }
  function scatterOption(series, xName, yName) {
    var o = base();
    o.tooltip = { trigger: 'item' };
    o.legend = { top: 0, type: 'scroll' };
    o.grid = { left: 56, right: 20, top: 52, bottom: 40 };
    o.xAxis = { type: 'value', name: xName, nameLocation: 'middle', nameGap: 26, scale: true };
    o.yAxis = { type: 'value', name: yName, scale: true };
    o.series = series;
    return o;
  }
  function dots(name, color, pts, size) { return { name: name, type: 'scatter', symbolSize: size || 4, large: pts.length > 2000, color: color, itemStyle: { opacity: 0.6 }, data: pts }; }
  // Live alerts: a marker at the moment each was raised, a line back over the packets it covers.
  var ALERT_COLORS = ['#7b3fbf', '#d98c00', '#1f8a70', '#b03060'];
  function alertSeries() {
    var byDetector = {};
    (tl.alerts || []).forEach(function (a) { (byDetector[a.detector] = byDetector[a.detector] || []).push(a); });
    return Object.keys(byDetector).map(function (name, k) {
      return {
        name: 'alert: ' + name, type: 'scatter', symbol: 'triangle', symbolSize: 9, color: ALERT_COLORS[k % ALERT_COLORS.length],
        tooltip: { formatter: function (p) { var a = p.data.alert; return esc(name) + '<br>' + esc(a.src) + (a.dst ? ' → ' + esc(a.dst) : '') + ', score ' + a.score + '<br>packets ' + a.from + '–' + a.to + ' s, raised at ' + a.raised + ' s'; } },
        data: byDetector[name].map(function (a) { return { value: [a.raised, 0], alert: a }; }),
      };
    });
  }
  chart(document.getElementById('timeline-label'), scatterOption([
    dots('benign', BENIGN, points(function (i) { return !tl.label[i]; })),
    dots('scan', SCAN, points(function (i) { return tl.label[i]; })),
  ].concat(alertSeries()), 'seconds', 'bytes'));
  if (tl.alerts && tl.alerts.length) document.getElementById('timeline-hint').textContent += ' Triangles: live alerts, at the moment each was raised during the run (' + fmt(tl.alerts.length) + ').';
  if (tl.flagged) {
    document.getElementById('timeline-flagged-title').textContent = 'flagged by ' + det.shown;
    document.getElementById('timeline-hint').textContent += ' Right: the ' + det.why + '. Grey: the training part, not judged.';
    chart(document.getElementById('timeline-flagged'), scatterOption([
      dots('training part', '#bbbbbb', points(function (i) { return tl.flagged[i] < 0; })),
      dots('not flagged', BENIGN, points(function (i) { return tl.flagged[i] === 0; })),
      dots('flagged', SCAN, points(function (i) { return tl.flagged[i] === 1; })),
    ], 'seconds', 'bytes'));
  } else document.getElementById('timeline-flagged').innerHTML = '<p class="hint">No detector\'s decisions to show.</p>';
  var setNames = Object.keys(tl.clusters);
  var select = document.getElementById('timeline-set');
  setNames.forEach(function (n) { select.appendChild(el('option', { value: n }, esc(n))); });
  function clusterSeries(assign, xs, ys) {
    var by = {};
    for (var i = 0; i < assign.length; i++) { var c = assign[i]; (by[c] = by[c] || []).push([xs[i], ys[i]]); }
    return Object.keys(by).map(Number).sort(function (a, b) { return a - b; }).map(function (c) {
      return dots(c < 0 ? 'no row' : 'cluster ' + c, c < 0 ? '#bbbbbb' : PALETTE[c % PALETTE.length], by[c]);
    });
  }
  var timelineCluster = setNames.length ? chart(document.getElementById('timeline-cluster'), scatterOption(clusterSeries(tl.clusters[setNames[0]], tl.t, tl.len), 'seconds', 'bytes')) : null;
  select.addEventListener('change', function () {
    timelineCluster.setOption(scatterOption(clusterSeries(tl.clusters[select.value], tl.t, tl.len), 'seconds', 'bytes'), true);
  });

  // PCA per feature set.
  var pcaRoot = document.getElementById('pca');
  Object.keys(data.pca).forEach(function (name) {
    var p = data.pca[name];
    var box = el('div', { class: 'set' });
    box.appendChild(el('h3', {}, esc(name) + (p.step > 1 ? ' <small>(every ' + p.step + 'th of its rows)</small>' : '')));
    var two = el('div', { class: 'two' });
    var a = el('div', { class: 'chart small' }), b = el('div', { class: 'chart small' });
    two.appendChild(a); two.appendChild(b); box.appendChild(two); pcaRoot.appendChild(box);
    chart(a, scatterOption(clusterSeries(p.cluster, p.x, p.y), 'PC1', 'PC2'));
    var benign = [], scan = [];
    for (var i = 0; i < p.x.length; i++) (p.label[i] ? scan : benign).push([p.x[i], p.y[i]]);
    chart(b, scatterOption([dots('benign rows', BENIGN, benign, 5), dots('scan rows', SCAN, scan, 5)], 'PC1', 'PC2'));
  });

  // Confusion matrices.
  var confRoot = document.getElementById('confusion');
  Object.keys(data.confusion).forEach(function (name) {
    var rows = data.confusion[name];
    var box = el('div');
    box.appendChild(el('h3', {}, esc(name)));
    var node = el('div', { class: 'chart', style: 'height:' + (rows.length > 10 ? 190 : 170) + 'px' });
    box.appendChild(node); confRoot.appendChild(box);
    var values = [], max = 1;
    rows.forEach(function (r, x) { values.push([x, 0, r.benign]); values.push([x, 1, r.scan]); max = Math.max(max, r.benign, r.scan); });
    chart(node, {
      tooltip: { position: 'top', formatter: function (q) { return 'cluster ' + rows[q.value[0]].cluster + ', ' + (q.value[1] ? 'scan' : 'benign') + ': ' + fmt(q.value[2]) + ' packets'; } },
      grid: { left: 60, right: 170, top: 6, bottom: 44 },
      xAxis: { type: 'category', data: rows.map(function (r) { return '#' + r.cluster; }), name: 'cluster (largest first)', nameLocation: 'middle', nameGap: 26, axisLabel: { interval: 0, fontSize: 10 }, splitArea: { show: true } },
      yAxis: { type: 'category', data: ['benign', 'scan'], splitArea: { show: true } },
      visualMap: { min: 0, max: max, calculable: false, orient: 'vertical', right: 10, top: 'middle', itemHeight: 100, text: ['packets', ''], inRange: { color: ['#f7fbff', '#9ecae1', '#4292c6'] } },
      series: [{ type: 'heatmap', data: values, label: { show: rows.length <= 30, fontSize: 10, color: '#111', formatter: function (q) { return q.value[2] ? fmt(q.value[2]) : ''; } } }],
    });
  });

  // Talkers and the host graph.
  var talkers = data.talkers.slice().reverse();
  chart(document.getElementById('talkers'), Object.assign(base(), {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 130, right: 20, top: 36, bottom: 30 },
    xAxis: { type: 'value', name: 'packets' },
    yAxis: { type: 'category', data: talkers.map(function (t) { return t.address; }) },
    series: [{ name: 'sent', type: 'bar', stack: 't', barMaxWidth: 22, color: '#1f77b4', data: talkers.map(function (t) { return t.sent; }) }, { name: 'received', type: 'bar', stack: 't', color: '#ff7f0e', data: talkers.map(function (t) { return t.received; }) }],
  }));
  document.getElementById('graph').insertAdjacentHTML('beforebegin', '<p class="hint">Node size: packets; red: only scan traffic, orange: some scan traffic, blue: none. Arrows point from sender to receiver.</p>');
  var maxPackets = Math.max.apply(null, data.graph.nodes.map(function (n) { return n.packets; }).concat([1]));
  chart(document.getElementById('graph'), {
    tooltip: { formatter: function (q) { return q.dataType === 'edge' ? esc(q.data.source) + ' → ' + esc(q.data.target) + ': ' + fmt(q.data.packets) + ' packets' : esc(q.data.name) + ': ' + fmt(q.data.packets) + ' packets, in ' + q.data.inDegree + ', out ' + q.data.outDegree; } },
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true, zoom: 0.9, force: { repulsion: 320, gravity: 0.08, edgeLength: [70, 150], layoutAnimation: false },
      label: { show: true, position: 'right', fontSize: 11 },
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 6,
      data: data.graph.nodes.map(function (n) { return { name: n.address, packets: n.packets, inDegree: n.inDegree, outDegree: n.outDegree, symbolSize: 8 + 30 * Math.sqrt(n.packets / maxPackets), itemStyle: { color: n.scanShare > 0.9 ? SCAN : n.scanShare > 0 ? '#ff7f0e' : '#1f77b4' } }; }),
      links: data.graph.edges.map(function (e) { return { source: e.source, target: e.target, packets: e.packets, lineStyle: { width: 0.5 + Math.log10(1 + e.packets), color: e.scanShare > 0.5 ? SCAN : '#9aa4b2', opacity: 0.7, curveness: 0.15 } }; }),
    }],
  });
  var deg = '<table><tr><th>host</th><th>packets</th><th>in degree</th><th>out degree</th><th>scan share</th></tr>';
  data.graph.nodes.forEach(function (n) { deg += '<tr><td>' + esc(n.address) + '</td><td>' + fmt(n.packets) + '</td><td>' + n.inDegree + '</td><td>' + n.outDegree + '</td><td>' + (100 * n.scanShare).toFixed(1) + '%</td></tr>'; });
  document.getElementById('degree').innerHTML = deg + '</table>';

  // Notes.
  var notes = document.getElementById('notes');
  if (data.notes.length === 0) document.getElementById('notes-section').style.display = 'none';
  data.notes.forEach(function (n) { notes.appendChild(el('li', {}, esc(n))); });

  // Charts made while the page was still being built may have measured a box that later shrank.
  instances.forEach(function (c) { c.resize(); });
  window.addEventListener('resize', function () { instances.forEach(function (c) { c.resize(); }); });
  document.body.dataset.charts = String(charts);
  document.body.dataset.errors = errors.join(' | ');
  document.body.dataset.ready = 'true';
})();
