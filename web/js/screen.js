// Screen page: paste a message (SWIFT MT, ISO 20022 MX, JSON or CSV
// transactions), POST /v1/screen, show the decision, the alerts it raised,
// the hits and the message text with the matched fields marked.

import { api } from './api.js';
import { h, errorBox } from './dom.js';
import { renderMarked } from './highlight.js';
import { hitsTable, resultHeader, versions } from './hits.js';

const FORMATS = [['auto', 'detect'], ['mt', 'SWIFT MT (FIN/RJE)'], ['mx', 'ISO 20022 MX (XML)'], ['json', 'JSON transactions'], ['csv', 'CSV transactions']];

// The last text screened in this tab, so that going to an alert and back keeps it.
const DRAFT = 'chokepoint.screen.draft';

export async function render(root) {
  const ta = h('textarea', { id: 'msg', name: 'message', rows: '14', spellcheck: 'false', required: true, 'aria-describedby': 'msg-hint' });
  ta.value = sessionStorage.getItem(DRAFT) ?? '';
  const fmt = h('select', { id: 'msg-format', name: 'format' }, FORMATS.map(([v, l]) => h('option', { value: v }, l)));
  const btn = h('button', { type: 'submit', class: 'primary' }, 'Screen');
  const form = h('form', { class: 'card', 'aria-labelledby': 'screen-title' },
    h('h1', { id: 'screen-title' }, 'Screen a message'),
    h('div', { class: 'field' }, h('label', { for: 'msg' }, 'Message'), ta,
      h('div', { class: 'hint', id: 'msg-hint' }, 'One message or a file of messages in any supported format. Screening records alerts in the case store.')),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'msg-format' }, 'Format'), fmt),
      h('div', { class: 'actions' }, btn)));
  const out = h('section', { id: 'screen-result', 'aria-label': 'Screening result' });
  root.replaceChildren(form, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = ta.value;
    if (!text.trim()) return;
    sessionStorage.setItem(DRAFT, text);
    btn.disabled = true;
    out.replaceChildren(h('p', { class: 'muted' }, 'Screening...'));
    try {
      const res = await api('POST', '/v1/screen', { body: text, query: { format: fmt.value === 'auto' ? '' : fmt.value } });
      out.replaceChildren(...renderResults(text, res.results ?? []));
      out.querySelector('h2')?.focus();
    } catch (err) {
      out.replaceChildren(errorBox(err));
    } finally {
      btn.disabled = false;
    }
  });
  ta.focus();
}

const LEGEND = () => h('p', { class: 'small muted legend' }, 'Marked: ', h('mark', { class: 'hl hl-block' }, 'BLOCK'), ' ', h('mark', { class: 'hl hl-review' }, 'REVIEW'), ' ', h('mark', { class: 'hl hl-pass' }, 'information (PASS)'), '. Hover a mark for the reason.');

// One card per transaction. With one transaction the marked message is in
// its card; with several (a JSON array, a CSV file, an MT batch) the message
// is shown once, above, with the hits of all of them marked.
function renderResults(text, results) {
  const flat = [];
  results.forEach((r, k) => (r.hits ?? []).forEach((x, i) => flat.push({ x, k, i })));
  const markId = (j) => `hit-${flat[j].k}-${flat[j].i}`;
  const { pre, located } = renderMarked(text, flat.map((f) => f.x), markId);
  const locatedIn = (k) => new Set(flat.map((f, j) => (f.k === k && located.has(j) ? f.i : -1)).filter((i) => i >= 0));
  const cards = results.map((r, k) => renderResult(r, k, locatedIn(k), results.length === 1 ? pre : null));
  if (results.length === 1) return cards;
  return [h('div', { class: 'card' }, h('h2', { tabindex: '-1' }, `${results.length} transactions`), h('h3', {}, 'Message'), LEGEND(), pre), ...cards];
}

function renderResult(r, k, located, pre) {
  if (r.error) return h('div', { class: 'card' }, errorBox({ message: `${r.error.message}${r.error.field ? ` (field ${r.error.field})` : ''}${r.error.offset >= 0 ? ` at byte ${r.error.offset}` : ''}` }));
  const hits = r.hits ?? [];
  const show = (i) => {
    const m = document.querySelector(`mark[data-hits~="hit-${k}-${i}"]`);
    if (!m) return;
    m.scrollIntoView({ block: 'center', behavior: 'smooth' });
    m.classList.add('flash');
    setTimeout(() => m.classList.remove('flash'), 1500);
  };
  return h('article', { class: 'card result', 'data-decision': r.decision },
    h('h2', { tabindex: '-1' }, `Result ${r.message_id ? `for ${r.message_id}` : k + 1}`),
    resultHeader(r),
    r.alerts?.length
      ? h('p', { class: 'alerts-raised' }, `${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'} raised: `,
        r.alerts.map((id, j) => [j ? ', ' : '', h('a', { href: `#/alerts/${id}`, class: 'alert-link' }, `#${id}`)]))
      : h('p', { class: 'muted' }, 'No alert raised.'),
    r.suppressed?.length
      ? h('p', {}, 'Suppressed by the good-guy list: ', r.suppressed.map((s, j) => [j ? '; ' : '', `${s.party} / ${s.entity_id} (suppression ${s.suppression_id})`]))
      : null,
    pre ? [h('h3', {}, 'Message'), LEGEND(), pre] : null,
    h('h3', {}, 'Hits'),
    hitsTable(hits, { onShow: show, located }),
    versions(r));
}
