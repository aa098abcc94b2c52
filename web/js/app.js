// chokepoint web UI: sign-in, hash routing (#/search, #/screen, #/alerts,
// #/alerts/12, #/entities/ID, #/suppressions, #/lists, #/audit), pages.
// No build step, no external resources: plain ES modules served by
// `chokepoint serve` under /ui/ (docs/ui.md).

import { api, getToken, setToken, clearToken, setUnauthorizedHandler } from './api.js';
import { h, clear, errorBox } from './dom.js';
import * as search from './search.js';
import * as screen from './screen.js';
import * as alerts from './alerts.js';
import * as admin from './admin.js';

const $ = (id) => document.getElementById(id);
const ctx = { me: null };

const routes = [
  [/^\/search$/, 'search', 'Search', search.render],
  [/^\/screen$/, 'screen', 'Screen a message', screen.render],
  [/^\/alerts$/, 'alerts', 'Alerts', alerts.renderQueue],
  [/^\/alerts\/(\d+)$/, 'alerts', 'Alert', alerts.renderDetail],
  [/^\/entities\/(.+)$/, 'search', 'List entity', admin.renderEntity],
  [/^\/suppressions$/, 'suppressions', 'Good-guy list', admin.renderSuppressions],
  [/^\/lists$/, 'lists', 'Lists', admin.renderLists],
  [/^\/audit$/, 'audit', 'Audit log', admin.renderAudit],
];

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/search';
  const [path, qs] = raw.split('?');
  return { path, query: new URLSearchParams(qs ?? '') };
}

function showLogin(message) {
  ctx.me = null;
  $('nav').hidden = true;
  $('who').hidden = true;
  clear($('page'));
  $('login').hidden = false;
  const e = $('login-error');
  e.hidden = !message;
  e.textContent = message ?? '';
  document.title = 'Sign in - chokepoint';
  $('token').focus();
}

let renderSeq = 0;
async function route() {
  if (!ctx.me) return;
  const { path, query } = parseHash();
  const page = $('page');
  for (const [re, nav, title, fn] of routes) {
    const m = path.match(re);
    if (!m) continue;
    for (const a of document.querySelectorAll('#nav a')) {
      if (a.dataset.page === nav) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${title} - chokepoint`;
    const seq = ++renderSeq;
    const root = h('div', { class: 'page', 'data-page': nav });
    clear(page).appendChild(root);
    try {
      await fn(root, { match: m, query, ctx, isCurrent: () => seq === renderSeq });
    } catch (err) {
      if (seq === renderSeq) root.appendChild(errorBox(err));
    }
    return;
  }
  clear(page).appendChild(h('div', { class: 'card' }, h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/search' }, 'Go to search'))));
}

async function signIn(token) {
  const me = await api('GET', '/v1/me', { token });
  setToken(token);
  ctx.me = me;
  $('login').hidden = true;
  $('nav').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = `${me.user} (${me.role})`;
  await route();
}

function init() {
  setUnauthorizedHandler((msg) => {
    clearToken();
    showLogin(`Signed out: ${msg}`);
  });
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const tok = $('token').value.trim();
    const btn = ev.submitter ?? $('login-form').querySelector('button');
    btn.disabled = true;
    try {
      await signIn(tok);
      $('token').value = '';
    } catch (err) {
      showLogin(err.status === 401 ? 'Unknown token.' : err.message);
    } finally {
      btn.disabled = false;
    }
  });
  $('logout').addEventListener('click', () => {
    clearToken();
    showLogin('Signed out.');
  });
  window.addEventListener('hashchange', () => {
    route();
    $('main').focus({ preventScroll: true });
  });
  const tok = getToken();
  if (tok) signIn(tok).catch(() => { clearToken(); showLogin('Please sign in again.'); });
  else showLogin();
}

init();
