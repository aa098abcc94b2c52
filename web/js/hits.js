// Shared rendering of one screening result (POST /v1/screen item, or the
// "result" kept with an alert): decision, hits table with reasons.

import { h, table, badge, score } from './dom.js';

export function entityLink(id) {
  if (!id) return '-';
  return h('a', { href: `#/entities/${encodeURIComponent(id)}` }, id);
}

// Hits table; onShow(i) (optional) adds a "show" button per located hit that
// scrolls to its mark in the message text.
export function hitsTable(hits, { onShow, located, highlightRow } = {}) {
  if (!hits?.length) return h('p', { class: 'muted' }, 'No hits.');
  const rows = hits.map((x, i) => h('tr', { class: highlightRow?.(x) ? 'row-focus' : null, 'data-kind': x.kind },
    h('td', {}, badge(x.action)),
    h('td', {}, x.kind),
    h('td', {}, h('code', {}, x.field ?? '-'),
      onShow && located?.has(i)
        ? [' ', h('button', { type: 'button', class: 'link small', onclick: () => onShow(i), 'aria-label': `Show ${x.field} in the message` }, 'show')]
        : null),
    h('td', {}, x.value ?? '-'),
    h('td', {}, x.entity_id ? [entityLink(x.entity_id), x.entity_name ? h('div', { class: 'small' }, x.entity_name) : null] : (x.list ?? '-')),
    h('td', { class: 'num' }, score(x.score)),
    h('td', { class: 'reason' }, x.reason ?? '', x.rule ? h('div', { class: 'small muted' }, `rule ${x.rule}`) : null)));
  return table(`${hits.length} hit${hits.length === 1 ? '' : 's'}`, ['Action', 'Kind', 'Field', 'Value', 'List entity', 'Score', 'Reason'], rows, 'hits');
}

export function resultHeader(r) {
  return h('div', { class: 'result-head' },
    h('span', { class: 'decision' }, 'Decision ', badge(r.decision)),
    r.effective_decision && r.effective_decision !== r.decision
      ? h('span', { class: 'decision' }, 'after good-guy list ', badge(r.effective_decision))
      : null,
    h('span', {}, 'score ', h('strong', {}, score(r.score))),
    h('span', {}, `${r.type ?? r.format ?? ''}`),
    r.message_id ? h('span', {}, 'message ', h('code', {}, r.message_id)) : null);
}

export function versions(r) {
  const lists = (r.lists ?? []).map((l) => `${l.id} ${l.version ?? '?'}`).join(', ');
  return h('p', { class: 'small muted' },
    `Lists: ${lists || '-'}. Policy: ${r.policy ?? '-'}.`, r.refdata ? ` Reference data: ${r.refdata}.` : '');
}
