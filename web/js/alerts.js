// Alert queue (GET /v1/alerts?status=) and alert detail (GET /v1/alerts/{id})
// with the disposition form (POST /v1/alerts/{id}/disposition). Four-eyes
// rules (docs/cases.md) are enforced by the server; the page explains the
// state and shows the server's refusal when there is one.

import { api } from './api.js';
import { h, table, badge, score, errorBox, dl, mono } from './dom.js';
import { hitsTable, resultHeader, entityLink } from './hits.js';

const STATUSES = [['', 'all'], ['open', 'open'], ['pending_confirmation', 'pending confirmation'], ['escalated', 'escalated'], ['closed', 'closed']];
const PAGE = 50;

export async function renderQueue(root, { query, isCurrent }) {
  const status = query.get('status') ?? 'open';
  const sel = h('select', { id: 'q-status', name: 'status' }, STATUSES.map(([v, l]) => h('option', { value: v, selected: v === status }, l)));
  sel.addEventListener('change', () => { location.hash = `#/alerts?status=${encodeURIComponent(sel.value)}`; });
  const body = h('tbody', {});
  const more = h('button', { type: 'button', hidden: true }, 'Load older alerts');
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  root.replaceChildren(h('div', { class: 'card' },
    h('h1', {}, 'Alerts'),
    h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: 'q-status' }, 'Status'), sel)),
    count,
    h('div', { class: 'table-wrap' }, h('table', { class: 'queue' },
      h('caption', { class: 'sr-only' }, 'Alert queue, newest first'),
      h('thead', {}, h('tr', {}, ['Alert', 'Created', 'Message', 'Party', 'List entity', 'Rule', 'Decision', 'Score', 'Status'].map((x) => h('th', { scope: 'col' }, x)))),
      body)),
    more));
  let shown = 0;
  let before;
  const load = async () => {
    more.disabled = true;
    const res = await api('GET', '/v1/alerts', { query: { status, limit: PAGE, before } });
    if (!isCurrent()) return;
    const list = res.alerts ?? [];
    for (const a of list) {
      body.appendChild(h('tr', { 'data-alert': a.id, 'data-status': a.status },
        h('td', {}, h('a', { href: `#/alerts/${a.id}` }, `#${a.id}`)),
        h('td', { class: 'nowrap' }, a.created_at),
        h('td', {}, a.message_id ?? '-'),
        h('td', {}, a.party ?? '-'),
        h('td', {}, a.entity_id ? [entityLink(a.entity_id), h('div', { class: 'small' }, a.entity_name ?? '')] : nonPartyLabel(a)),
        h('td', { class: 'rule' }, ruleCell(a)),
        h('td', {}, badge(a.decision)),
        h('td', { class: 'num' }, score(a.score)),
        h('td', {}, badge(a.status.replace('_', ' '), a.status))));
    }
    shown += list.length;
    if (list.length) before = list[list.length - 1].id;
    count.textContent = shown ? `${shown} alert${shown === 1 ? '' : 's'} shown, newest first.` : 'No alerts.';
    more.hidden = list.length < PAGE;
    more.disabled = false;
  };
  more.addEventListener('click', () => load().catch((e) => more.replaceWith(errorBox(e))));
  await load();
}

// "(rule alert)", "(goods alert)" ...; alerts stored before the rule columns
// (schema version 1) have no hit_kind: "(goods, route or rule)".
function nonPartyLabel(a) {
  return a.hit_kind && a.hit_kind !== 'party' ? `(${a.hit_kind} alert)` : '(goods, route or rule)';
}

// The rule name(s) and, small, the deciding hit's kind, field and own score.
function ruleCell(a) {
  if (!a.rule) return '-';
  const where = [a.hit_kind, a.hit_field ? `field ${a.hit_field}` : null].filter((x) => x).join(', ');
  return [h('code', {}, a.rule),
    h('div', { class: 'small muted' }, `${where}${typeof a.rule_score === 'number' ? ` · rule score ${score(a.rule_score)}` : ''}`)];
}

const DECISIONS = [
  ['false_positive', 'False positive', 'the party is not the listed entity'],
  ['true_match', 'True match', 'the party is the listed entity'],
  ['escalate', 'Escalate', 'needs a senior decision; nothing is closed'],
];

function stateText(a, me) {
  const proposal = [...(a.dispositions ?? [])].reverse().find((d) => d.step === 'proposal');
  switch (a.status) {
    case 'open': return 'Open: an analyst proposes a decision; a second user with the checker role must confirm it.';
    case 'escalated': return 'Escalated: propose a decision; a second user with the checker role must confirm it.';
    case 'closed': return `Closed as ${a.outcome ?? '?'} on ${a.closed_at ?? '?'}.`;
    case 'pending_confirmation': {
      const who = proposal ? `${proposal.user} proposed ${proposal.decision}` : 'A decision was proposed';
      if (proposal && proposal.user === me.user) return `${who}. Waiting for a different user with the checker role to confirm (four-eyes).`;
      if (me.role !== 'checker' && me.role !== 'admin') return `${who}. A user with the checker role must confirm it.`;
      return `${who}. Confirm with the same decision, or escalate.`;
    }
    default: return a.status;
  }
}

export async function renderDetail(root, { match, ctx, isCurrent }) {
  const id = match[1];
  const a = await api('GET', `/v1/alerts/${id}`);
  if (!isCurrent()) return;
  const r = a.result ?? {};
  const hits = r.hits ?? [];
  const mine = (x) => (a.entity_id ? x.entity_id === a.entity_id && x.value === a.party : x.kind !== 'party' && x.action !== 'PASS' && x.action !== 'info');
  const matched = hits.filter(mine);
  const status = h('p', { id: 'alert-state', class: `state state-${a.status}`, role: 'status' }, stateText(a, ctx.me));
  root.replaceChildren(
    h('div', { class: 'card' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/alerts' }, 'Alerts'), ' / ', `#${a.id}`),
      h('h1', {}, `Alert #${a.id} `, badge(a.status.replace('_', ' '), a.status)),
      status,
      dl([
        ['Party', a.party ?? nonPartyLabel(a)],
        ['List entity', a.entity_id ? [entityLink(a.entity_id), ` ${a.entity_name ?? ''}`] : '-'],
        ['Rule', a.rule ? h('code', { id: 'alert-rule' }, a.rule) : '-'],
        a.hit_kind ? ['Deciding hit', `${a.hit_kind}${a.hit_field ? ` in field ${a.hit_field}` : ''}, rule score ${score(a.rule_score)}`] : null,
        ['Decision', badge(a.decision)],
        [a.entity_id ? 'Score (name)' : 'Score (message)', score(a.score)],
        ['Message', a.message_id ?? '-'],
        ['Created', `${a.created_at} by ${a.created_by}`],
        ['List version', a.list_version ?? '-'],
        ['Entity content hash', mono(a.entity_hash)],
        ['Policy', a.policy ?? '-'],
        ['Lists', (a.lists ?? []).map((l) => `${l.id} ${l.version}`).join(', ')],
        a.outcome ? ['Outcome', `${a.outcome} (closed ${a.closed_at})`] : null,
      ])),
    h('div', { class: 'card' },
      h('h2', {}, 'Why it alerted'),
      whyList(a.rule_hits?.length ? a.rule_hits : matched),
      a.entity_id && a.party ? nameExplanation(a) : null),
    dispositionCard(a, ctx.me, root),
    h('div', { class: 'card' },
      h('h2', {}, 'Disposition history'),
      (a.dispositions ?? []).length
        ? table(null, ['When', 'User', 'Role', 'Step', 'Decision', 'Comment'], a.dispositions.map((d) => [d.created_at, d.user, d.role, d.step, d.decision, d.comment]), 'history')
        : h('p', { class: 'muted', id: 'no-history' }, 'No disposition yet.')),
    h('div', { class: 'card' },
      h('h2', {}, 'Full screening result'),
      resultHeader(r),
      hitsTable(hits, { highlightRow: mine })));
}

// One line per hit the alert stands for: action, field, rule and its own
// score, the reason.
function whyList(hits) {
  if (!hits.length) return h('p', { class: 'muted' }, 'See the hits below.');
  return h('ul', { class: 'explanation', id: 'alert-why' }, hits.map((x) => h('li', {}, badge(x.action), ' ', h('code', {}, x.field ?? ''),
    x.rule ? [' rule ', h('code', {}, x.rule), ` (score ${score(x.score)})`] : '', ` ${x.reason ?? ''}`)));
}

// The name-matching explanation of the party against the alert's entity,
// from GET /v1/search (loaded when the user opens it).
function nameExplanation(a) {
  const box = h('div', {});
  const det = h('details', {}, h('summary', {}, 'Name-matching explanation'), box);
  let done = false;
  det.addEventListener('toggle', async () => {
    if (!det.open || done) return;
    done = true;
    box.replaceChildren(h('p', { class: 'muted' }, 'Loading...'));
    try {
      const res = await api('GET', '/v1/search', { query: { name: a.party, limit: 100, min_score: 0 } });
      const x = (res.results ?? []).find((e) => e.entity_id === a.entity_id);
      box.replaceChildren(x ? h('ul', { class: 'explanation' }, (x.explanation ?? []).map((e) => h('li', {}, e)))
        : h('p', { class: 'muted' }, 'The entity is not among the current search results for this name (it may have matched on an identifier, or the lists changed).'));
    } catch (err) {
      box.replaceChildren(errorBox(err));
    }
  });
  return det;
}

function dispositionCard(a, me, root) {
  if (a.status === 'closed') return h('div', { class: 'card' }, h('h2', {}, 'Disposition'), h('p', {}, `Closed as ${a.outcome ?? '?'}; a closed alert is final.`));
  if (me.role === 'screener') return h('div', { class: 'card' }, h('h2', {}, 'Disposition'), h('p', {}, 'Your role (screener) may not record dispositions.'));
  const pending = a.status === 'pending_confirmation';
  const proposal = [...(a.dispositions ?? [])].reverse().find((d) => d.step === 'proposal');
  const msg = h('p', { id: 'disp-msg', role: 'alert', hidden: true });
  const comment = h('textarea', { id: 'disp-comment', name: 'comment', rows: '3', required: true, maxlength: '4000', 'aria-describedby': 'disp-comment-hint' });
  const radios = DECISIONS.map(([v, l, why]) => h('div', { class: 'radio' },
    h('input', { type: 'radio', id: `d-${v}`, name: 'decision', value: v, required: true, checked: pending && proposal?.decision === v }),
    h('label', { for: `d-${v}` }, h('strong', {}, l), ` - ${why}`)));
  const btn = h('button', { type: 'submit', class: 'primary', id: 'disp-submit' }, pending ? 'Confirm / escalate' : 'Propose');
  const form = h('form', { id: 'disposition', 'aria-labelledby': 'disp-title' },
    h('fieldset', {}, h('legend', {}, pending ? 'Confirm the proposed decision (same decision) or escalate' : 'Decision'), radios),
    h('div', { class: 'field' }, h('label', { for: 'disp-comment' }, 'Comment'), comment,
      h('div', { class: 'hint', id: 'disp-comment-hint' }, 'Why: the evidence you relied on. Recorded in the audit log.')),
    h('div', { class: 'actions' }, btn), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const decision = form.querySelector('input[name=decision]:checked')?.value;
    if (!decision || !comment.value.trim()) return;
    btn.disabled = true;
    msg.hidden = true;
    try {
      const res = await api('POST', `/v1/alerts/${a.id}/disposition`, { body: { decision, comment: comment.value.trim() } });
      // Re-render the page from the fresh alert; keep a short confirmation.
      await renderDetail(root, { match: [null, String(a.id)], ctx: { me }, isCurrent: () => true });
      const st = document.getElementById('alert-state');
      if (st) st.textContent = `Recorded: now ${res.status.replace('_', ' ')}${res.suppression_id ? ` (good-guy suppression ${res.suppression_id} created)` : ''}. ${st.textContent}`;
    } catch (err) {
      msg.className = 'error';
      msg.textContent = `Refused (${err.status}): ${err.message}`;
      msg.hidden = false;
      btn.disabled = false;
    }
  });
  return h('div', { class: 'card' }, h('h2', { id: 'disp-title' }, 'Disposition'), form);
}
