// Search page: GET /v1/search (name, schema, country, dob, limit) -> ranked
// list entities with the explanation of each score. The form state is kept in
// the URL (#/search?name=...), so a search can be linked and Back works.

import { api } from './api.js';
import { h, badge, scoreBar, errorBox } from './dom.js';
import { entityLink } from './hits.js';

const SCHEMAS = ['any', 'person', 'organization', 'vessel', 'aircraft'];

function field(id, label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('div', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

export async function render(root, { query, isCurrent }) {
  const q = Object.fromEntries(query.entries());
  const form = h('form', { class: 'card search-form', role: 'search', 'aria-label': 'Search the lists' },
    h('h1', {}, 'Search the lists'),
    h('div', { class: 'grid' },
      field('s-name', 'Name', h('input', { id: 's-name', name: 'name', required: true, value: q.name ?? '', autocomplete: 'off', spellcheck: 'false' })),
      field('s-schema', 'Type', h('select', { id: 's-schema', name: 'schema' },
        SCHEMAS.map((s) => h('option', { value: s, selected: (q.schema ?? 'any') === s }, s)))),
      field('s-country', 'Country', h('input', { id: 's-country', name: 'country', value: q.country ?? '', size: '4', maxlength: '40', 'aria-describedby': 's-country-hint' }), 'ISO code or name, e.g. RU'),
      field('s-dob', 'Date of birth', h('input', { id: 's-dob', name: 'dob', value: q.dob ?? '', placeholder: 'YYYY-MM-DD', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', 'aria-describedby': 's-dob-hint' }), 'YYYY, YYYY-MM or YYYY-MM-DD'),
      field('s-limit', 'Results', h('input', { id: 's-limit', name: 'limit', type: 'number', min: '1', max: '100', value: q.limit ?? '10' }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Search')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) if (String(v).trim() && !(k === 'schema' && v === 'any')) p.set(k, String(v).trim());
    const next = `#/search?${p.toString()}`;
    if (location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = next;
  });
  root.replaceChildren(form);
  const out = h('section', { class: 'results', 'aria-label': 'Search results' });
  root.appendChild(out);
  if (!q.name) {
    form.querySelector('#s-name').focus();
    return;
  }
  out.appendChild(h('p', { class: 'muted' }, 'Searching...'));
  let res;
  try {
    res = await api('GET', '/v1/search', { query: { name: q.name, schema: q.schema, country: q.country, dob: q.dob, limit: q.limit } });
  } catch (err) {
    out.replaceChildren(errorBox(err));
    return;
  }
  if (!isCurrent()) return;
  const hits = res.results ?? [];
  out.replaceChildren(h('h2', {}, `${hits.length} result${hits.length === 1 ? '' : 's'} for "${q.name}"`),
    hits.length ? '' : h('p', { class: 'muted' }, `Nothing at or above score ${res.query?.min_score ?? ''}.`),
    h('ol', { class: 'hit-list' }, hits.map((x, i) => h('li', { class: 'card hit', 'data-entity': x.entity_id },
      h('div', { class: 'hit-head' },
        h('span', { class: 'rank', 'aria-label': `rank ${i + 1}` }, `${i + 1}`),
        h('h3', {}, x.name),
        x.match ? badge('match', 'review') : badge('below threshold', 'pass'),
        scoreBar(x.score)),
      h('div', { class: 'hit-meta' },
        entityLink(x.entity_id), ` · ${x.schema}`,
        x.programs?.length ? ` · programs ${x.programs.join(', ')}` : '',
        x.matched_name && x.matched_name !== x.name ? h('div', {}, `matched ${x.matched_name_kind ?? 'name'} "${x.matched_name}"`) : null),
      h('details', { open: i === 0 },
        h('summary', {}, 'Why this score'),
        h('ul', { class: 'explanation' }, (x.explanation ?? []).map((e) => h('li', {}, e))))))));
}
