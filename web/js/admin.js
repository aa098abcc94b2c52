// List status (GET /v1/lists, POST /v1/lists/reload for admins), the
// good-guy list (GET /v1/suppressions), the audit log (GET /v1/audit) and a
// list entity (GET /v1/entities/{id}).

import { api } from './api.js';
import { h, table, badge, errorBox, dl, mono } from './dom.js';
import { entityLink } from './hits.js';

export async function renderLists(root, { ctx, isCurrent }) {
  const res = await api('GET', '/v1/lists');
  if (!isCurrent()) return;
  const msg = h('p', { role: 'status', 'aria-live': 'polite' });
  const reload = ctx.me.role === 'admin'
    ? h('button', {
      type: 'button',
      onclick: async (ev) => {
        ev.target.disabled = true;
        msg.textContent = 'Reloading...';
        try {
          await api('POST', '/v1/lists/reload');
          await renderLists(root, { ctx, isCurrent });
        } catch (err) {
          msg.replaceChildren(errorBox(err));
          ev.target.disabled = false;
        }
      },
    }, 'Reload lists and policy')
    : null;
  root.replaceChildren(h('div', { class: 'card' },
    h('h1', {}, 'Lists'),
    dl([['Directory', mono(res.dir)], ['Loaded at', `${res.loaded_at} (${res.age_seconds} s ago)`], ['Policy', res.policy]]),
    reload, msg,
    table(`${(res.lists ?? []).length} lists loaded`, ['List', 'Publisher', 'Version (data date)', 'Entities', 'Names', 'Problems', 'SHA-256 of the source file'],
      (res.lists ?? []).map((l) => h('tr', { 'data-list': l.id },
        h('td', {}, h('strong', {}, l.id), h('div', { class: 'small' }, l.name ?? '')),
        h('td', {}, l.publisher ?? '-'),
        h('td', { class: 'nowrap' }, l.version ?? '-'),
        h('td', { class: 'num' }, String(l.entities)),
        h('td', { class: 'num' }, String(l.names)),
        h('td', { class: 'num' }, String(l.problems)),
        h('td', {}, h('code', { class: 'hash' }, l.sha256 ?? '-')))), 'lists')));
}

export async function renderSuppressions(root, { query, isCurrent }) {
  const active = query.get('active') === '1';
  const cb = h('input', { type: 'checkbox', id: 'sup-active', checked: active });
  cb.addEventListener('change', () => { location.hash = cb.checked ? '#/suppressions?active=1' : '#/suppressions'; });
  const res = await api('GET', '/v1/suppressions', { query: { active: active ? '1' : '' } });
  if (!isCurrent()) return;
  const list = res.suppressions ?? [];
  root.replaceChildren(h('div', { class: 'card' },
    h('h1', {}, 'Good-guy list'),
    h('p', {}, 'A confirmed false positive suppresses the same (party, list entity) pair until the list entry changes or the suppression expires (docs/cases.md).'),
    h('div', { class: 'row' }, h('div', { class: 'check' }, cb, h('label', { for: 'sup-active' }, 'Active only'))),
    list.length
      ? table(`${list.length} suppression${list.length === 1 ? '' : 's'}`, ['#', 'Party', 'List entity', 'State', 'Hits', 'Alert', 'Proposed / confirmed', 'Created', 'Expires / ended'],
        list.map((s) => [
          String(s.id),
          [s.party, h('div', { class: 'small muted' }, `key: ${s.party_key}`)],
          [entityLink(s.entity_id), h('div', { class: 'small muted' }, `version ${s.list_version}`)],
          s.active ? badge('active', 'closed') : badge(s.end_reason ? 'ended' : 'expired', 'escalated'),
          String(s.hits),
          s.alert_id ? h('a', { href: `#/alerts/${s.alert_id}` }, `#${s.alert_id}`) : '-',
          `${s.proposed_by} / ${s.confirmed_by}`,
          s.created_at,
          s.ended_at ? `ended ${s.ended_at}: ${s.end_reason ?? ''}` : s.expires_at,
        ]), 'suppressions')
      : h('p', { class: 'muted' }, 'No suppressions.')));
}

export async function renderAudit(root, { isCurrent }) {
  const res = await api('GET', '/v1/audit', { query: { limit: 200 } });
  if (!isCurrent()) return;
  const list = res.audit ?? [];
  root.replaceChildren(h('div', { class: 'card' },
    h('h1', {}, 'Audit log'),
    h('p', {}, 'The newest 200 records of the hash chain. Check the whole chain with ', h('code', {}, 'chokepoint audit verify'), '.'),
    table(null, ['#', 'At', 'Actor', 'Action', 'Object', 'Detail', 'Hash'],
      list.map((x) => [String(x.seq), x.at, x.actor, x.action, x.object, h('code', { class: 'detail' }, JSON.stringify(x.detail)), h('code', { class: 'hash', title: x.hash }, `${String(x.hash).slice(0, 12)}…`)]), 'audit')));
}

export async function renderEntity(root, { match, isCurrent }) {
  const id = decodeURIComponent(match[1]);
  const e = await api('GET', `/v1/entities/${encodeURIComponent(id)}`);
  if (!isCurrent()) return;
  root.replaceChildren(h('div', { class: 'card' },
    h('h1', {}, (e.names ?? []).find((n) => n.kind === 'primary')?.name ?? e.id),
    dl([['Entity', mono(e.id)], ['Type', e.schema], ['List', `${e.list} version ${e.list_version}`], ['List file SHA-256', mono(e.list_sha256)],
      ['Programs', (e.programs ?? []).join(', ') || '-'], ['Content hash', mono(e.hash)]]),
    table('Names', ['Name', 'Kind', 'Language'], (e.names ?? []).map((n) => [n.name, n.kind, n.lang ?? '-'])),
    (e.facts ?? []).length ? table('Facts', ['Type', 'Value', 'Detail'], e.facts.map((f) => [f.type, f.value, f.detail ?? ''])) : null,
    (e.relations ?? []).length ? table('Relations', ['Type', 'Entity', 'Detail'], e.relations.map((r) => [r.type, entityLink(r.target), r.detail ?? ''])) : null));
}
