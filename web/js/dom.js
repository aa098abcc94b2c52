// Tiny DOM helpers. Text from the server always goes in as text nodes
// (never innerHTML), so list data and message contents cannot inject markup.

// h('a', {href: '#/x', class: 'btn'}, 'text', child, [more]) -> element.
// Attributes: on<Event> functions become listeners; true/false toggle boolean
// attributes; null/undefined are skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A table with a caption, header cells and rows of cells (strings or nodes).
export function table(caption, headers, rows, cls) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: cls ?? null },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => (r instanceof Node ? r : h('tr', {}, r.map((c) => h('td', {}, c))))))));
}

// Decision / status badge: PASS, REVIEW, BLOCK, open, closed ...
export function badge(text, kind) {
  return h('span', { class: `badge badge-${String(kind ?? text).toLowerCase()}` }, text ?? '-');
}

export function score(x) {
  if (typeof x !== 'number') return '-';
  return x.toFixed(3);
}

// A score as a number and a small bar (purely decorative; the number is what
// screen readers get).
export function scoreBar(x) {
  const pct = Math.max(0, Math.min(100, Math.round((x ?? 0) * 100)));
  return h('span', { class: 'score' },
    h('span', { class: 'score-num' }, score(x)),
    h('meter', { min: '0', max: '1', value: String(x ?? 0), 'aria-hidden': 'true', title: `${pct}%` }));
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, err?.status ? `Error ${err.status}: ${err.message}` : String(err?.message ?? err));
}

export function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter((p) => p).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '-')]));
}

export function mono(text) {
  return h('code', { class: 'mono' }, text ?? '-');
}
