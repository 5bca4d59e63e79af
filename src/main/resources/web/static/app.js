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
    const all = document.getElementById('select-all');
    if (all) all.addEventListener('change', () => document.querySelectorAll('.row-select').forEach((b) => { b.checked = all.checked; }));
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

  // The review walk. Every decision is one POST; the next conversation's page has been fetched ahead and is
  // swapped in without a reload (the URL names it, so reload and back work). Keys queue up in order, so a fast
  // reviewer's second key applies to the conversation the first one moved to, never to a stale one.
  const pages = new Map();          // url -> Promise of the page's HTML, fetched ahead
  let queue = Promise.resolve();
  let current = null;               // state of the conversation on screen
  let reasonOpen = false;           // 'r' pressed: a digit now picks a preset reason
  const UNDO = 'brun-undo';
  const PANEL = 'brun-context-panel';

  function fetchPage(url) {
    if (!pages.has(url)) {
      const p = fetch(url, { credentials: 'same-origin', headers: { 'X-Brun-Fetch': '1' } })
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status))));
      p.catch(() => pages.delete(url));
      pages.set(url, p);
    }
    return pages.get(url);
  }

  function undoStack() {
    try { return JSON.parse(sessionStorage.getItem(UNDO) || '[]'); } catch (e) { return []; }
  }
  function saveUndo(stack) { sessionStorage.setItem(UNDO, JSON.stringify(stack.slice(-50))); }

  function setUpReview(review) {
    bind(review);
    window.addEventListener('popstate', () => {
      if (document.getElementById('review')) enqueue(() => show(window.location.pathname + window.location.search, false, true));
    });
    document.addEventListener('keydown', onKey);
  }

  function enqueue(work) {
    queue = queue.then(work).catch((e) => { if (e && e.message) toast(e.message, true); });
    return queue;
  }

  /** Replaces the conversation on screen by the page at url (fetched ahead when possible). */
  async function show(url, push, fresh) {
    if (fresh) pages.delete(url);
    const html = await fetchPage(url);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const next = doc.getElementById('review');
    if (!next) { window.location.href = url; return; }   // end of the walk: the page says so
    const adopted = document.importNode(next, true);
    current.el.replaceWith(adopted);
    document.title = doc.title;
    if (push) history.pushState({ review: true }, '', url);
    window.scrollTo(0, 0);
    bind(adopted);
  }

  function refreshPosition(review) {
    const q = review.dataset.query;
    fetch('/review/where?' + (q ? q + '&' : '') + 'id=' + encodeURIComponent(review.dataset.id),
      { credentials: 'same-origin', headers: { 'X-Brun-Fetch': '1' } })
      .then((r) => (r.ok ? r.json() : null))
      .then((w) => {
        if (!w || current.el !== review) return;
        review.querySelector('#position').textContent = String(w.pos + 1);
        review.querySelector('#total').textContent = String(w.total);
      }).catch(() => {});
  }

  function bind(review) {
    reasonOpen = false;
    const id = review.dataset.id;
    const turns = Array.from(review.querySelectorAll('.turn'));
    current = { el: review, id, base: '/review/' + encodeURIComponent(id), turns, selected: 0 };
    const remembered = 'brun-turn-' + id;
    turns.forEach((t, k) => t.addEventListener('click', () => select(k)));
    // After an edit or a note re-renders the page, the same turn stays selected.
    select(parseInt(sessionStorage.getItem(remembered) || '0', 10), true);

    review.querySelectorAll('.flag-link').forEach((a) => a.addEventListener('click', (e) => {
      e.preventDefault();
      const k = turns.findIndex((t) => t.dataset.index === a.dataset.turn);
      if (k >= 0) { select(k, true); turns[k].scrollIntoView({ block: 'center' }); }
    }));

    const panel = review.querySelector('#context-panel');
    if (panel) {
      panel.open = localStorage.getItem(PANEL) !== 'closed';
      panel.addEventListener('toggle', () => localStorage.setItem(PANEL, panel.open ? 'open' : 'closed'));
    }

    const reasonBox = review.querySelector('#reason-box');
    const reasonInput = review.querySelector('#reason');
    reasonBox.addEventListener('submit', (e) => {
      e.preventDefault();
      const reason = reasonInput.value.trim();
      if (!reason) { toast('a rejection needs a reason', true); return; }
      enqueue(() => reject(reason));
    });
    reasonInput.addEventListener('keydown', (e) => {
      if (reasonInput.value === '' && /^[1-9]$/.test(e.key) && preset(e.key)) {
        e.preventDefault();
        const text = preset(e.key);
        enqueue(() => reject(text));
      }
    });
    review.querySelectorAll('#presets li').forEach((li) => li.addEventListener('click', () => {
      const text = li.dataset.text;
      enqueue(() => reject(text));
    }));
    review.querySelector('#note-box').addEventListener('submit', (e) => {
      e.preventDefault();
      const note = review.querySelector('#note').value;
      enqueue(() => post(current.base + '/note', { note }).then(() => show(review.dataset.url, false, true)));
    });
    review.querySelectorAll('.edit-form').forEach((form) => {
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const content = form.querySelector('textarea').value;
        enqueue(() => post(current.base + '/turns/' + form.dataset.index, { content })
          .then(() => show(review.dataset.url, false, true)));
      });
    });
    review.querySelectorAll('form .cancel').forEach((b) => b.addEventListener('click', hideAll));
    review.querySelectorAll('textarea').forEach((ta) => ta.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); ta.form.requestSubmit(); }
    }));
    review.querySelectorAll('[data-key]').forEach((b) => b.addEventListener('click', () => run(b.dataset.key)));

    // Fetch both neighbours ahead: j, k and every decision that moves on then swap without waiting.
    // Only they are kept, so a long session does not pile up pages.
    for (const url of Array.from(pages.keys()))
      if (url !== review.dataset.nextUrl && url !== review.dataset.prevUrl) pages.delete(url);
    if (review.dataset.nextUrl) fetchPage(review.dataset.nextUrl);
    if (review.dataset.prevUrl) fetchPage(review.dataset.prevUrl);
    refreshPosition(review);
  }

  function preset(digit) {
    const li = current.el.querySelector('#presets li[data-digit="' + digit + '"]');
    return li ? li.dataset.text : null;
  }

  function select(i, quiet) {
    const turns = current.turns;
    if (!turns.length) return;
    current.selected = Math.max(0, Math.min(turns.length - 1, i));
    sessionStorage.setItem('brun-turn-' + current.id, String(current.selected));
    turns.forEach((t, k) => t.classList.toggle('selected', k === current.selected));
    if (!quiet) turns[current.selected].scrollIntoView({ block: 'nearest' });
  }

  function showForm(form, focus) {
    form.hidden = false;
    const field = form.querySelector(focus);
    field.focus();
    if (field.select) field.select();
  }
  function hideAll() {
    reasonOpen = false;
    if (!current) return;
    current.el.querySelectorAll('#reason-box, #note-box, .edit-form').forEach((f) => { f.hidden = true; });
    current.el.querySelectorAll('.turn .bubble').forEach((b) => { b.hidden = false; });
  }

  /** Posts a decision about the conversation on screen, remembers it for undo, then moves on or re-renders. */
  async function decide(fields, moveOn) {
    const review = current.el;
    const answer = JSON.parse(await post(current.base + '/decision', fields));
    const stack = undoStack();
    stack.push({ id: review.dataset.id, url: review.dataset.url, before: answer.before });
    saveUndo(stack);
    pages.delete(review.dataset.url);
    if (answer.message) toast(answer.message);
    if (!moveOn) return show(review.dataset.url, false, true);
    if (review.dataset.nextUrl) return show(review.dataset.nextUrl, true);
    toast('That was the last conversation of this list.');
    return show(review.dataset.url, false, true);
  }

  function reject(reason) {
    hideAll();
    return decide({ status: 'rejected', reason }, true);
  }

  async function undo() {
    const stack = undoStack();
    const last = stack.pop();
    if (!last) { toast('Nothing to undo.'); return; }
    const b = last.before;
    const fields = { status: b.status, seed: String(b.seed) };
    if (b.reason) fields.reason = b.reason;
    await post('/review/' + encodeURIComponent(last.id) + '/decision', fields);
    saveUndo(stack);
    toast('Undone: back to ' + b.status + (b.seed ? ' (seed)' : '') + '.');
    await show(last.url, true, true);
  }

  function go(which) {
    const url = current.el.dataset[which + 'Url'];
    if (!url) { toast(which === 'next' ? 'This is the last conversation of this list.' : 'This is the first conversation of this list.'); return null; }
    return show(url, true);
  }

  const actions = {
    a: () => decide({ status: 'approved', seed: current.el.dataset.seed }, true),
    // A seed is always approved: one key marks it, approves it and goes on.
    s: () => decide({ status: 'approved', seed: 'true' }, true),
    p: () => decide({ status: 'pending' }, false),
    u: undo,
    r: () => { hideAll(); reasonOpen = true; showForm(current.el.querySelector('#reason-box'), 'input'); },
    n: () => { hideAll(); showForm(current.el.querySelector('#note-box'), 'textarea'); },
    e: () => {
      const turn = current.turns[current.selected];
      if (!turn) return;
      hideAll();
      turn.querySelector('.bubble').hidden = true;
      showForm(turn.querySelector('.edit-form'), 'textarea');
    },
    i: () => { const p = current.el.querySelector('#context-panel'); if (p) p.open = !p.open; },
    j: () => go('next'),
    k: () => go('prev'),
    ArrowDown: () => select(current.selected + 1),
    ArrowUp: () => select(current.selected - 1)
  };

  function run(key) {
    // Opening a form happens at once (the next keystrokes go into it); everything else waits its turn.
    if (key === 'r' || key === 'n' || key === 'e') { enqueue(actions[key]); reasonOpen = key === 'r'; return; }
    enqueue(actions[key]);
  }

  function onKey(e) {
    if (e.key === 'Escape') { hideAll(); return; }
    const tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.ctrlKey || e.metaKey || e.altKey) return;
    // r then a digit before the reason box has taken the focus: the digit still picks the preset.
    if (reasonOpen && /^[1-9]$/.test(e.key)) {
      e.preventDefault();
      const digit = e.key;
      enqueue(() => { const text = preset(digit); return text ? reject(text) : null; });
      return;
    }
    if (actions[e.key]) { e.preventDefault(); run(e.key); }
  }
})();
