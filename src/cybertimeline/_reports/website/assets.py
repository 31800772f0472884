"""The site's stylesheet and script: written beside the pages, nothing fetched from elsewhere.

The script shows, for the day the date control holds, the value of the last change point
on or before it of each row (`cybertimeline._reports.changepoints`); it knows no rule of
the library. Text from the data is set as text (``textContent``), never as HTML.
"""

from __future__ import annotations

__all__ = ["SCRIPT", "STYLE"]

STYLE = """\
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  line-height: 1.45; color: #1b1b1b; background: #ffffff; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; }
header.site { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center;
  border-bottom: 1px solid #ccc; padding: .6rem 0; }
header.site a.home { font-weight: 700; color: #1b1b1b; text-decoration: none; }
a { color: #0b57a4; }
a:focus, input:focus, button:focus, select:focus { outline: 3px solid #f5a623;
  outline-offset: 1px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f3f3; }
.table-wrap { overflow-x: auto; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem;
  background: #e8e8e8; white-space: nowrap; }
.s-party, .o-yes, .st-supports { background: #cfe8cf; }
.s-ratified { background: #d8ecf7; }
.s-signatory { background: #fbeccb; }
.s-withdrawn, .o-no, .st-opposes { background: #f6d2d2; }
.s-none { background: #ffffff; border: 1px solid #888; }
.s-unknown { background: #ffffff; border: 1px dashed #888; color: #444; }
.s-not_yet_open { background: #ffffff; border: 1px dotted #888; color: #444; }
.o-abstain { background: #ececec; }
.control { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center;
  background: #f7f7f7; padding: .6rem; border-radius: .3rem; margin: .6rem 0; }
.control input[type=date] { font-size: 1rem; padding: .2rem; }
.control button { font-size: 1rem; }
dl.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
  gap: .3rem 1rem; }
dl.counts dt { font-size: .9rem; color: #444; }
dl.counts dd { margin: 0 0 .4rem; font-size: 1.4rem; font-weight: 600; }
sup.cite a { text-decoration: none; }
ol.sources li { margin-bottom: .4rem; overflow-wrap: anywhere; }
blockquote { margin: .2rem 0 .2rem 1rem; color: #333; }
ul.results li { margin: .2rem 0; }
.note { color: #444; }
td.since { white-space: nowrap; }
@media (max-width: 40rem) {
  body { padding: 0 .5rem 2rem; }
  th, td { padding: .25rem .3rem; font-size: .92rem; }
}
"""

SCRIPT = r"""'use strict';
/* cybertimeline site: shows each row's value on the chosen day, the value of its last change
   point on or before that day (computed by the library); search over titles and names. */
var CT = (function () {
  var data = {sources: {}, tables: {}, counts: {}, search: []};
  function add(part) {
    Object.keys(part.tables || {}).forEach(function (name) {
      var rows = data.tables[name] || (data.tables[name] = []);
      part.tables[name].forEach(function (row) { rows.push(row); });
    });
    Object.keys(part.counts || {}).forEach(function (n) { data.counts[n] = part.counts[n]; });
    (part.search || []).forEach(function (item) { data.search.push(item); });
  }
  var ABSENT = [null, null, '', []];
  /* The step of the last change point on or before day. A step whose day is null holds from
     the start; before the first step, the row has no value (ABSENT). */
  function stepAt(steps, day) {
    var low = 0, high = steps.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (steps[middle][0] === null || steps[middle][0] <= day) { low = middle + 1; }
      else { high = middle; }
    }
    return low === 0 ? ABSENT : steps[low - 1];
  }
  function text(tag, value, className) {
    var element = document.createElement(tag);
    element.textContent = value;
    if (className) { element.className = className; }
    return element;
  }
  function cites(cell, numbers, root) {
    (numbers || []).forEach(function (n) {
      var sup = document.createElement('sup');
      sup.className = 'cite';
      var a = text('a', '[' + n + ']');
      a.href = root + 'sources/' + (Math.floor((n - 1) / 500) + 1) + '.html#src-' + n;
      a.setAttribute('aria-label', 'source ' + n);
      sup.appendChild(a);
      cell.appendChild(sup);
    });
  }
  function staticCell(row, value, root) {
    var cell = document.createElement('td');
    if (Array.isArray(value)) {
      var a = text('a', value[0]);
      a.href = root + value[1];
      cell.appendChild(a);
    } else { cell.textContent = value; }
    row.appendChild(cell);
  }
  /* A row: [cells, steps, label]; a cell is a text or [text, href]; a step is
     [day, text, badge class, source numbers]. */
  function renderTable(table, rows, day, root) {
    var body = document.createElement('tbody');
    var shown = 0;
    rows.forEach(function (row) {
      var step = stepAt(row[1], day);
      if (step[1] === null) { return; }
      var tr = document.createElement('tr');
      row[0].forEach(function (value) { staticCell(tr, value, root); });
      var cell = document.createElement('td');
      cell.appendChild(text('span', step[1], step[2] ? 'badge ' + step[2] : ''));
      cites(cell, step[3], root);
      tr.appendChild(cell);
      tr.appendChild(text('td', step[0] === null ? '' : step[0], 'since'));
      body.appendChild(tr);
      shown += 1;
    });
    var old = table.querySelector('tbody');
    if (old) { table.replaceChild(body, old); } else { table.appendChild(body); }
    var count = document.getElementById(table.id + '-shown');
    if (count) { count.textContent = String(shown); }
  }
  function renderChanges(list, rows, root) {
    var changes = [];
    rows.forEach(function (row) {
      var label = row[2] || row[0].map(function (c) {
        return Array.isArray(c) ? c[0] : c; }).join(' ');
      for (var i = 0; i < row[1].length; i += 1) {
        if (row[1][i][0] !== null) {
          changes.push([row[1][i][0], label, i ? row[1][i - 1][1] : null, row[1][i]]);
        }
      }
    });
    changes.sort(function (a, b) { return a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0; });
    changes.forEach(function (change) {
      var item = document.createElement('li');
      item.appendChild(text('time', change[0]));
      item.appendChild(document.createTextNode(': ' + change[1] + ': ' +
        (change[2] === null ? 'none' : change[2]) + ' \u2192 ' +
        (change[3][1] === null ? 'none' : change[3][1]) + ' '));
      cites(item, change[3][3], root);
      list.appendChild(item);
    });
  }
  function show(day) {
    var root = document.body.getAttribute('data-root') || '';
    document.querySelectorAll('table[data-table]').forEach(function (table) {
      renderTable(table, data.tables[table.getAttribute('data-table')] || [], day, root);
    });
    document.querySelectorAll('[data-count]').forEach(function (element) {
      var steps = data.counts[element.getAttribute('data-count')];
      if (steps) { element.textContent = String(stepAt(steps, day)[1]); }
    });
    document.querySelectorAll('[data-day]').forEach(function (e) { e.textContent = day; });
  }
  function valid(day) { return /^\d{4}-\d{2}-\d{2}$/.test(day); }
  function startDate() {
    var input = document.getElementById('day');
    if (!input) { return; }
    var fromHash = decodeURIComponent(location.hash.replace(/^#on=/, ''));
    if (valid(fromHash)) { input.value = fromHash; }
    function update() {
      if (!valid(input.value)) { return; }
      show(input.value);
      if (history.replaceState) { history.replaceState(null, '', '#on=' + input.value); }
    }
    input.addEventListener('change', update);
    input.addEventListener('input', update);
    document.querySelectorAll('button[data-jump]').forEach(function (button) {
      button.addEventListener('click', function () {
        input.value = button.getAttribute('data-jump');
        update();
      });
    });
    show(input.value);
    document.querySelectorAll('ol[data-changes]').forEach(function (list) {
      renderChanges(list, data.tables[list.getAttribute('data-changes')] || [],
                    document.body.getAttribute('data-root') || '');
    });
  }
  function startSearch() {
    var input = document.getElementById('q');
    var list = document.getElementById('results');
    if (!input || !list) { return; }
    var root = document.body.getAttribute('data-root') || '';
    var query = new URLSearchParams(location.search).get('q');
    if (query) { input.value = query; }
    function run() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      while (list.firstChild) { list.removeChild(list.firstChild); }
      if (!words.length) { return; }
      var found = data.search.filter(function (item) {
        var hay = (item[0] + ' ' + item[1]).toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      });
      found.slice(0, 200).forEach(function (item) {
        var li = document.createElement('li');
        var a = text('a', item[0]);
        a.href = root + item[2];
        li.appendChild(a);
        li.appendChild(document.createTextNode(' (' + item[1] + ')'));
        list.appendChild(li);
      });
      var count = document.getElementById('found');
      if (count) { count.textContent = found.length + ' found' +
        (found.length > 200 ? ', the first 200 shown' : ''); }
    }
    input.addEventListener('input', run);
    run();
  }
  document.addEventListener('DOMContentLoaded', function () { startDate(); startSearch(); });
  return {add: add, stepAt: stepAt, data: data};
}());
"""
