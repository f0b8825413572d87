/**
 * The report page's script (plain browser JavaScript, inlined into every report): draws the report
 * model (JSON in #hwnas-model) with ECharts, runs the trials table, and in the dashboard takes new
 * models from server-sent events. Kept as a string so the built package needs no asset files.
 */
export const REPORT_CLIENT_JS = String.raw`/* hwnas report page: draws the report model (JSON in #hwnas-model) with ECharts; in the dashboard,
   a new model arrives over server-sent events (/events) whenever the results grow. Plain browser JS. */
(function () {
  'use strict';
  var PAGE = 100;
  var charts = new Map(); // chart element id -> { chart, spec }
  var tableState = new Map(); // dir id -> { sort, desc, filter, brushed: Set|null, page }
  var model = JSON.parse(document.getElementById('hwnas-model').textContent);

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  function fmt(v) {
    if (typeof v !== 'number') return v === null || v === undefined ? '' : String(v);
    if (!isFinite(v)) return String(v);
    var a = Math.abs(v);
    if (Number.isInteger(v)) return String(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
    return String(Number(v.toPrecision(6)));
  }

  /* ---- charts ---- */
  function archName(dir, v) { return typeof v === 'number' && dir && dir.archs ? dir.archs[v] : v; }
  function tooltipFormatter(dir, params) {
    var names = params.dimensionNames || [];
    var value = Array.isArray(params.value) ? params.value : [params.value];
    var lines = ['<b>' + esc(params.seriesName || '') + '</b>'];
    value.forEach(function (v, i) {
      if (v === null || v === undefined || v === '') return;
      lines.push(esc(names[i] || ('value ' + i)) + ': ' + esc(fmt(names[i] === 'arch' ? archName(dir, v) : v)));
    });
    return lines.join('<br>');
  }
  function renderInterval(params, api) {
    var y = api.value(0);
    var s = api.coord([api.value(1), y]);
    var e = api.coord([api.value(2), y]);
    var h = api.size([0, 1])[1] * 0.6;
    var cs = params.coordSys;
    var shape = echarts.graphic.clipRectByRect({ x: s[0], y: s[1] - h / 2, width: Math.max(1.5, e[0] - s[0]), height: h }, { x: cs.x, y: cs.y, width: cs.width, height: cs.height });
    return shape && { type: 'rect', shape: shape, style: api.style() };
  }
  function prepare(spec, dir) {
    var option = JSON.parse(JSON.stringify(spec.option));
    if (option.tooltip) option.tooltip.formatter = option.tooltip.trigger === 'axis' ? undefined : function (p) { return tooltipFormatter(dir, p); };
    if (spec.kind === 'parallel') {
      var axes = (option.parallelAxis || []).map(function (a) { return a.name; });
      option.tooltip = { trigger: 'item', confine: true, formatter: function (p) {
        var arch = spec.archs ? archName(dir, spec.archs[p.dataIndex]) : '';
        return '<b>' + esc(arch) + '</b><br>' + p.value.map(function (v, i) { return esc(axes[i]) + ': ' + esc(fmt(v)); }).join('<br>');
      } };
    }
    (option.series || []).forEach(function (s) { if (s.hwnasRender === 'interval') { s.renderItem = renderInterval; delete s.hwnasRender; } });
    // Log-axis ticks are powers computed in floating point (0.0001 comes out as 0.0000999…): print them rounded.
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (a) {
      if (a && a.type === 'log' && !(a.axisLabel && a.axisLabel.formatter)) a.axisLabel = Object.assign({}, a.axisLabel, { formatter: function (v) { return String(Number(Number(v).toPrecision(6))); } });
    });
    return option;
  }
  function drawChart(container, spec, dirId) {
    var id = dirId + '--' + spec.id;
    var div = el('div', { class: 'chart', id: 'chart-' + id, 'data-chart-id': spec.id, 'data-points': String(spec.points), 'data-mark-colors': spec.markColors.join(','), 'data-kind': spec.kind || 'plot' });
    div.style.height = (spec.height || 420) + 'px';
    var notes = (spec.notes || []).map(function (n) { return el('li', { text: n }); });
    container.appendChild(el('div', { class: 'chart-block' }, [div, spec.zoom ? zoomButton(spec, id) : null, notes.length ? el('ul', { class: 'notes' }, notes) : null]));
    // Drawn once the page is laid out: a plot sized before its neighbours arrive would overflow.
    pending.push(function () { initChart(div, spec, dirId, id); });
  }
  // A plot that opens zoomed on one axis: one click shows the full range, another zooms back.
  function zoomButton(spec, id) {
    var z = spec.zoom, full = false;
    var label = function () { return full ? 'Zoom ' + z.axis + ' to the fronts' : 'Full range of ' + z.axis + ' (' + fmt(z.full[0]) + '–' + fmt(z.full[1]) + ')'; };
    var b = el('button', { class: 'zoom', type: 'button', 'data-zoom-for': spec.id, text: label() });
    b.addEventListener('click', function () {
      var entry = charts.get(id);
      if (!entry) return;
      full = !full;
      var w = full ? z.full : z.window;
      entry.chart.dispatchAction({ type: 'dataZoom', dataZoomId: z.dataZoomId, startValue: w[0], endValue: w[1] });
      b.textContent = label();
    });
    return b;
  }
  var pending = [];
  function initChart(div, spec, dirId, id) {
    var chart = echarts.init(div, null, { renderer: spec.points > 4000 ? 'canvas' : 'svg' });
    var dir = currentDirs.get(dirId);
    chart.setOption(prepare(spec, dir));
    if (spec.kind === 'parallel') {
      chart.on('axisareaselected', function () {
        var series = chart.getModel().getSeries()[0];
        var active = series.getRawIndicesByActiveState('active');
        var inactive = series.getRawIndicesByActiveState('inactive');
        var st = stateOf(dirId);
        // Without a selection every line is 'normal'; with one, lines are 'active' or 'inactive'.
        st.brushed = active.length + inactive.length > 0 ? new Set(active.map(function (i) { return archName(dir, spec.archs[i]); })) : null;
        st.page = 0;
        renderTable(dirId);
      });
    }
    charts.set(id, { chart: chart, spec: spec });
  }

  /* ---- trials table ---- */
  var currentDirs = new Map();
  function stateOf(dirId) {
    if (!tableState.has(dirId)) tableState.set(dirId, { sort: null, desc: false, filter: '', brushed: null, page: 0 });
    return tableState.get(dirId);
  }
  function parseFilter(text, columns) {
    var tests = [];
    text.trim().split(/\s+/).filter(Boolean).forEach(function (tok) {
      var m = /^([A-Za-z0-9_@.:-]+)(<=|>=|!=|=|<|>)(.*)$/.exec(tok);
      var ci = m ? columns.findIndex(function (c) { return c.key === m[1]; }) : -1;
      if (m && ci >= 0) {
        var op = m[2], raw = m[3], num = Number(raw);
        tests.push(function (row) {
          var v = row[ci];
          if (op === '=' ) return String(v === null ? '' : v) === raw || (typeof v === 'number' && v === num);
          if (op === '!=') return !(String(v === null ? '' : v) === raw || (typeof v === 'number' && v === num));
          if (typeof v !== 'number') return false;
          return op === '<' ? v < num : op === '>' ? v > num : op === '<=' ? v <= num : v >= num;
        });
      } else {
        var needle = tok.toLowerCase();
        tests.push(function (row) { return row.some(function (v) { return v !== null && String(v).toLowerCase().indexOf(needle) >= 0; }); });
      }
    });
    return tests;
  }
  function visibleRows(dir) {
    var t = dir.trials, st = stateOf(dir.id);
    var tests = parseFilter(st.filter, t.columns);
    var rows = t.rows.filter(function (r) {
      if (st.brushed && !st.brushed.has(r[t.archColumn])) return false;
      return tests.every(function (f) { return f(r); });
    });
    if (st.sort !== null) {
      var k = st.sort, sign = st.desc ? -1 : 1, numeric = t.columns[k].numeric;
      rows = rows.slice().sort(function (a, b) {
        var x = a[k], y = b[k];
        if (x === null || x === undefined) return (y === null || y === undefined) ? 0 : 1;
        if (y === null || y === undefined) return -1;
        if (numeric && typeof x === 'number' && typeof y === 'number') return sign * (x - y);
        return sign * String(x).localeCompare(String(y), undefined, { numeric: true });
      });
    }
    return rows;
  }
  function csvCell(v) {
    if (v === null || v === undefined) return '';
    var s = String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function exportCsv(dir) {
    var rows = visibleRows(dir);
    var text = [dir.trials.columns.map(function (c) { return csvCell(c.key); }).join(',')].concat(rows.map(function (r) { return r.map(csvCell).join(','); })).join('\n') + '\n';
    var a = el('a', { download: 'trials-' + dir.id + '.csv', href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })) });
    document.body.appendChild(a); a.click(); a.remove();
    return text;
  }
  function renderTable(dirId) {
    var dir = currentDirs.get(dirId);
    var host = document.getElementById('trials-' + dirId);
    if (!dir || !host) return;
    var t = dir.trials, st = stateOf(dirId);
    var rows = visibleRows(dir);
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    st.page = Math.min(st.page, pages - 1);
    var start = st.page * PAGE, shown = rows.slice(start, start + PAGE);
    var table = host.querySelector('table.trials');
    var thead = el('thead', null, [el('tr', null, t.columns.map(function (c, k) {
      var th = el('th', { text: c.key, 'data-col': String(k), class: st.sort === k ? (st.desc ? 'sorted-desc' : 'sorted-asc') : '' });
      th.addEventListener('click', function () {
        if (st.sort === k) st.desc = !st.desc; else { st.sort = k; st.desc = false; }
        st.page = 0; renderTable(dirId);
      });
      return th;
    }))]);
    var tbody = el('tbody', null, shown.map(function (r) {
      var tr = el('tr', { class: r[t.columns.findIndex(function (c) { return c.key === 'status'; })] === 'failed' ? 'failed' : '' });
      r.forEach(function (v, k) { tr.appendChild(el('td', { text: fmt(v), class: t.columns[k].numeric ? 'num' : '' })); });
      return tr;
    }));
    table.replaceChildren(thead, tbody);
    host.querySelector('.count').textContent = (rows.length ? (start + 1) + '–' + (start + shown.length) : '0') + ' of ' + rows.length + ' rows' + (rows.length !== t.rows.length ? ' (filtered from ' + t.rows.length + ')' : '');
    host.querySelector('.brushed').textContent = st.brushed ? 'brushed: ' + st.brushed.size + ' architectures (clear the axis selections to show all)' : '';
    host.querySelector('.page').textContent = 'page ' + (st.page + 1) + '/' + pages;
  }
  function tableSection(dir) {
    var st = stateOf(dir.id);
    var input = el('input', { type: 'search', placeholder: 'filter: text, or column<value (e.g. status=failed latencyMs<5)', 'aria-label': 'filter trials' });
    input.value = st.filter;
    input.addEventListener('input', function () { st.filter = input.value; st.page = 0; renderTable(dir.id); });
    var prev = el('button', { text: '◀', title: 'previous page' });
    var next = el('button', { text: '▶', title: 'next page' });
    prev.addEventListener('click', function () { st.page = Math.max(0, st.page - 1); renderTable(dir.id); });
    next.addEventListener('click', function () { st.page += 1; renderTable(dir.id); });
    var csv = el('button', { text: 'Export CSV', class: 'export' });
    csv.addEventListener('click', function () { exportCsv(dir); });
    var sec = el('section', { id: dir.id + '-trials', class: 'trials-section' }, [
      el('h3', { text: 'Trials (' + dir.trials.rows.length + ' records)' }),
      el('p', { class: 'note', text: 'Every journal record. Click a column to sort; type to filter; brushing the parallel coordinates filters by architecture.' }),
      el('div', { class: 'toolbar' }, [input, prev, el('span', { class: 'page' }), next, csv, el('span', { class: 'count' }), el('span', { class: 'brushed' })]),
      el('div', { class: 'table-wrap' }, [el('table', { class: 'trials' })]),
    ]);
    sec.id = 'trials-' + dir.id;
    return sec;
  }

  /* ---- page ---- */
  function infoTable(t) {
    var table = el('table', { class: 'info' }, [
      el('thead', null, [el('tr', null, t.columns.map(function (c) { return el('th', { text: c }); }))]),
      el('tbody', null, t.rows.map(function (r) { return el('tr', null, r.map(function (v) { return el('td', { text: fmt(v) }); })); })),
    ]);
    if (t.collapsed) return el('details', { class: 'info' }, [el('summary', { text: t.title + ' (' + t.rows.length + ' rows)' }), el('div', { class: 'table-wrap' }, [table])]);
    return el('div', { class: 'info' }, [el('h4', { text: t.title }), el('div', { class: 'table-wrap' }, [table])]);
  }
  function render(m) {
    charts.forEach(function (c) { c.chart.dispose(); });
    charts.clear();
    currentDirs.clear();
    document.title = m.title;
    var first = m.dirs[0];
    var nav = el('nav', null, (first ? first.sections.map(function (s) { return el('a', { href: '#' + first.id + '-' + s.id, text: s.title.split(':')[0] }); }).concat([el('a', { href: '#trials-' + first.id, text: 'Trials' })]) : []));
    var live = window.HWNAS_LIVE ? el('span', { class: 'live', id: 'live', text: 'live · updated ' + new Date(m.generatedAt).toLocaleTimeString() }) : null;
    var header = el('header', { class: 'top' }, [el('h1', { text: m.title }), nav, live, el('span', { class: 'meta', text: 'hwnas ' + m.hwnasVersion + ' · ' + m.generatedAt })]);
    var dirs = el('div', { class: 'dirs' + (m.dirs.length > 1 ? ' many' : '') });
    dirs.style.gridTemplateColumns = 'repeat(' + m.dirs.length + ', minmax(' + (m.dirs.length > 1 ? 560 : 320) + 'px, 1fr))';
    var warnings = [];
    m.dirs.forEach(function (d) { (d.warnings || []).forEach(function (w) { warnings.push(m.dirs.length > 1 ? d.title + ': ' + w : w); }); });
    var banner = warnings.length ? el('div', { class: 'timing-warning', role: 'alert' }, [el('strong', { text: 'Warning: these latencies may be noise.' })]
      .concat(warnings.map(function (w) { return el('p', { text: w }); }))) : null;
    var main = el('main', null, banner ? [banner, dirs] : [dirs]);
    document.body.replaceChildren(header, main);
    m.dirs.forEach(function (d) {
      currentDirs.set(d.id, d);
      var col = el('div', { class: 'dir', id: d.id, 'data-kind': d.kind }, [
        el('h2', { text: d.title }), el('div', { class: 'path', text: d.path }),
        el('ul', { class: 'summary' }, d.summary.map(function (s) { return el('li', { text: s }); })),
      ]);
      dirs.appendChild(col);
      d.sections.forEach(function (s) {
        var charts = el('div', { class: 'charts' });
        var sec = el('section', { id: d.id + '-' + s.id, 'data-section': s.id }, [el('h3', { text: s.title })]
          .concat(s.notes.map(function (n) { return el('p', { class: 'note', text: n }); })).concat([charts]).concat(s.tables.map(infoTable)));
        col.appendChild(sec);
        s.charts.forEach(function (c) { drawChart(charts, c, d.id); });
      });
      col.appendChild(tableSection(d));
      renderTable(d.id);
    });
    var todo = pending;
    pending = [];
    todo.forEach(function (f) { f(); });
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.chart.resize(); }); });

  /* What tests and people can call from the console. */
  window.hwnas = {
    get model() { return model; },
    charts: charts,
    exportCsv: function (dirId) { return exportCsv(currentDirs.get(dirId)); },
    visibleRows: function (dirId) { return visibleRows(currentDirs.get(dirId)); },
    archName: function (dirId, v) { return archName(currentDirs.get(dirId), v); },
    updates: 0,
  };
  render(model);

  if (window.HWNAS_LIVE) {
    var source = new EventSource(window.HWNAS_LIVE);
    source.addEventListener('model', function (e) {
      var y = window.scrollY;
      model = JSON.parse(e.data);
      render(model);
      window.scrollTo(0, y);
      window.hwnas.updates += 1;
    });
    source.addEventListener('error', function () { var l = document.getElementById('live'); if (l) { l.classList.add('stale'); l.textContent = 'live · disconnected, retrying'; } });
  }
})();
`;
