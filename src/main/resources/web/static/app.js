// brun review app: CSRF header for every htmx and fetch POST, confirmations, dashboard charts, and the review keyboard.
(function () {
  'use strict';
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  document.addEventListener('htmx:configRequest', (e) => { e.detail.headers['X-CSRF-Token'] = csrf(); });
  document.addEventListener('htmx:responseError', (e) => toast(e.detail.xhr.responseText || 'request failed', true));

  function toast(text, isError) {
    const t = document.getElementById('toast');
    if (!t) return;
    t.textContent = text.length > 300 ? text.slice(0, 300) + '…' : text;
    t.className = isError ? 'show error' : 'show';
    clearTimeout(t._timer);
    t._timer = setTimeout(() => { t.className = ''; }, 4000);
  }

  function post(url, fields) {
    const body = new URLSearchParams(fields || {});
    return fetch(url, {
      method: 'POST', body, credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf(), 'X-Brun-Fetch': '1' }
    }).then(async (r) => {
      const text = await r.text();
      if (!r.ok) { toast(text || ('HTTP ' + r.status), true); throw new Error(text); }
      return text;
    });
  }

  document.addEventListener('submit', (e) => {
    const msg = e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) e.preventDefault();
  });

  document.addEventListener('DOMContentLoaded', () => {
    const phase = document.getElementById('phase');
    if (phase) phase.addEventListener('change', () => {
      const o = phase.selectedOptions[0];
      document.getElementById('model').value = o.dataset.model;
      document.getElementById('temperature').value = o.dataset.temperature;
    });
    const review = document.getElementById('review');
    if (review) setUpReview(review);
    document.querySelectorAll('canvas[data-chart]').forEach(drawChart);
  });

  // Writes each bar's value at its end, so the numbers read without hovering.
  const valueLabels = {
    id: 'brunValues',
    afterDatasetsDraw(chart, args, options) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = '600 11px system-ui, sans-serif';
      ctx.fillStyle = '#1f2430';
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const text = options.texts[i];
        if (!text) return;
        if (options.horizontal) {
          ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
          ctx.fillText(text, bar.x + 5, bar.y);
        } else {
          // a wide number over the first or last column would be cut by the canvas edge: slide it inwards
          const half = ctx.measureText(text).width / 2 + 1;
          ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
          ctx.fillText(text, Math.min(Math.max(bar.x, half), chart.width - half), bar.y - 3);
        }
      });
      ctx.restore();
    }
  };

  function drawChart(canvas) {
    if (!window.Chart) return;  // the fallback text inside the canvas stays the chart
    const d = JSON.parse(canvas.dataset.chart);
    const grid = { color: '#eceff3' };
    const ticks = { color: '#5b6473', font: { size: 11 }, autoSkip: false, maxRotation: 0 };
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: d.labels, datasets: [{ data: d.values, backgroundColor: '#4f6bdcd9', borderRadius: 2,
        barPercentage: 0.8, categoryPercentage: 0.9, maxBarThickness: d.horizontal ? 18 : 48 }] },
      options: {
        indexAxis: d.horizontal ? 'y' : 'x',
        responsive: true, maintainAspectRatio: false, animation: false,
        layout: { padding: d.horizontal ? { right: 56 } : { top: 18 } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => d.texts[c.dataIndex] } },
          brunValues: { texts: d.texts, horizontal: d.horizontal }
        },
        scales: d.horizontal
          ? { x: { display: false, beginAtZero: true }, y: { grid: { display: false }, ticks: { ...ticks, font: { size: 12 } } } }
          : { x: { grid: { display: false }, ticks }, y: { display: false, beginAtZero: true, grid } }
      },
      plugins: [valueLabels]
    });
  }

  function setUpReview(review) {
    const id = review.dataset.id;
    const base = '/review/' + encodeURIComponent(id);
    const turns = Array.from(document.querySelectorAll('.turn'));
    let selected = 0;
    const reload = () => window.location.reload();
    const goNext = () => { window.location.href = document.getElementById('next').href; };

    const remembered = 'brun-turn-' + id;
    function select(i) {
      if (!turns.length) return;
      selected = Math.max(0, Math.min(turns.length - 1, i));
      sessionStorage.setItem(remembered, String(selected));
      turns.forEach((t, k) => t.classList.toggle('selected', k === selected));
      turns[selected].scrollIntoView({ block: 'nearest' });
    }
    turns.forEach((t, k) => t.addEventListener('click', () => select(k)));
    // After an action reloads the page, the same turn stays selected.
    select(parseInt(sessionStorage.getItem(remembered) || '0', 10));

    function show(form, focus) {
      form.hidden = false;
      const field = form.querySelector(focus);
      field.focus();
      if (field.select) field.select();
    }
    function hideAll() {
      document.querySelectorAll('#reason-box, #note-box, .edit-form').forEach((f) => { f.hidden = true; });
      document.querySelectorAll('.turn .bubble').forEach((b) => { b.hidden = false; });
    }
    function editSelected() {
      const turn = turns[selected];
      if (!turn) return;
      hideAll();
      turn.querySelector('.bubble').hidden = true;
      show(turn.querySelector('.edit-form'), 'textarea');
    }

    const reasonBox = document.getElementById('reason-box');
    reasonBox.addEventListener('submit', (e) => {
      e.preventDefault();
      const reason = document.getElementById('reason').value.trim();
      if (!reason) { toast('a rejection needs a reason', true); return; }
      post(base + '/status', { status: 'rejected', reason }).then(reload);
    });
    const noteBox = document.getElementById('note-box');
    noteBox.addEventListener('submit', (e) => {
      e.preventDefault();
      post(base + '/note', { note: document.getElementById('note').value }).then(reload);
    });
    document.querySelectorAll('.edit-form').forEach((form) => {
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        post(base + '/turns/' + form.dataset.index, { content: form.querySelector('textarea').value }).then(reload);
      });
    });
    document.querySelectorAll('form .cancel').forEach((b) => b.addEventListener('click', hideAll));
    document.querySelectorAll('textarea').forEach((ta) => ta.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); ta.form.requestSubmit(); }
    }));

    const actions = {
      // A decision moves on: the step link carries this conversation's id, so under a filter it leaves
      // (status=pending) the one now at this position is taken instead of being skipped.
      a: () => post(base + '/status', { status: 'approved' }).then(goNext),
      r: () => { hideAll(); show(reasonBox, 'input'); },
      // A seed is always approved; the seed is set only if not already, then the reviewer goes on.
      s: () => post(base + '/status', { status: 'approved' })
        .then(() => (document.getElementById('seed-badge') ? null : post(base + '/seed')))
        .then(goNext),
      n: () => { hideAll(); show(noteBox, 'textarea'); },
      e: editSelected,
      j: () => { window.location.href = document.getElementById('next').href; },
      k: () => { window.location.href = document.getElementById('prev').href; },
      ArrowDown: () => select(selected + 1),
      ArrowUp: () => select(selected - 1)
    };
    document.querySelectorAll('[data-key]').forEach((b) => b.addEventListener('click', () => actions[b.dataset.key]()));

    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { hideAll(); return; }
      const tag = (e.target.tagName || '').toLowerCase();
      if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.ctrlKey || e.metaKey || e.altKey) return;
      const action = actions[e.key];
      if (action) { e.preventDefault(); action(); }
    });
  }
})();
