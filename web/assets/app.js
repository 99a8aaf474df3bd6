// app.js — the insured person's console: sign-in through the identity verifier (one-time
// code), then a hash router over the family network, records, statement, family pool and
// wallet screens.
import { client, describe } from './api.js';
import { t, applyStatic, installSwitch, onChange } from './i18n.js';
import './dict-app.js';
import './dict-regions.js';
import { h, clear, notice, field } from './dom.js';
import { familyView } from './app-family.js';
import { recordsView, statementView, settlementView } from './app-records.js';
import { poolView } from './app-pool.js';
import { walletView } from './app-wallet.js';

const api = client('gj-person-token');
const main = document.getElementById('main');
const ctx = { api, me: null, refresh: () => route() };

const views = { family: familyView, records: recordsView, statement: statementView, settlement: settlementView,
  pool: poolView, wallet: walletView };

function signInView() {
  const psn = h('input', { name: 'psn_no', autocomplete: 'username', required: true, inputmode: 'latin' });
  const cert = h('input', { name: 'certno', autocomplete: 'off', required: true, maxlength: 18 });
  const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
  let verification = null;
  const codeStep = h('div', { hidden: true }, field(t('signin.code'), code, t('signin.code.hint')),
    h('p', { class: 'hint', id: 'delivery' }),
    h('button', { type: 'submit', id: 'signin-submit' }, t('signin.submit')));
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'signin-title' },
    h('h2', { id: 'signin-title' }, t('signin.title')),
    h('p', {}, t('signin.intro')),
    field(t('signin.psn'), psn, t('signin.psn.hint')),
    field(t('signin.cert'), cert, t('signin.cert.hint')),
    h('button', { type: 'button', id: 'get-code', onclick: async () => {
      try {
        verification = await api.post('/api/v1/auth/verify', { psn_no: psn.value.trim(), certno: cert.value.trim() });
        codeStep.hidden = false;
        document.getElementById('delivery').textContent = verification.delivery || '';
        notice(t('signin.sent'), 'ok');
        code.focus();
      } catch (e) { notice(describe(e), 'error'); }
    } }, t('signin.getcode')),
    codeStep);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!verification) return;
    try {
      const tok = await api.post('/api/v1/auth/token', { verification_id: verification.verification_id, code: code.value.trim() });
      api.setToken(tok.token);
      notice('');
      if (!location.hash || location.hash === '#/') location.hash = '#/family';
      await route();
    } catch (e) { notice(describe(e), 'error'); }
  });
  return form;
}

function nav() {
  const links = [['family', 'nav.family'], ['records', 'nav.records'], ['statement', 'nav.statement'],
    ['pool', 'nav.pool'], ['wallet', 'nav.wallet']];
  const current = (location.hash.split('/')[1] || 'family');
  return h('nav', { 'aria-label': t('nav.label') }, h('ul', {}, links.map(([k, key]) =>
    h('li', {}, h('a', { href: `#/${k}`, 'aria-current': current === k ? 'page' : null }, t(key))))),
  h('span', { class: 'who-am-i' }, t('nav.signedin', { name: ctx.me.name, psn: ctx.me.psn_no })),
  h('button', { type: 'button', class: 'link', onclick: () => { api.setToken(null); ctx.me = null; ctx.year = null; ctx.notOffered = {}; location.hash = ''; route(); } }, t('signout')));
}

// route(): draw the screen the hash names. Calls can overlap (sign-in sets the hash and routes,
// the hashchange routes again): only the latest draws, so the menu is never shown twice.
let routeSeq = 0;
async function route() {
  const seq = ++routeSeq, stale = () => seq !== routeSeq;
  clear(main);
  const bar = clear(document.getElementById('navbar'));
  if (!api.signedIn()) { main.append(signInView()); return; }
  try {
    ctx.me = await api.get('/api/v1/me');
    // the server's year (its clock, not the browser's): the statement without ?year= is this year's
    if (!ctx.year) ctx.year = (await api.get('/api/v1/statement')).year;
  } catch (e) {
    if (stale()) return;
    api.setToken(null);
    notice(describe(e), 'error');
    main.append(signInView());
    return;
  }
  if (stale()) return;
  clear(bar).append(nav());
  const [, name = 'family', arg] = location.hash.split('/');
  const view = views[name] || familyView;
  main.append(h('p', { class: 'hint' }, t('loading')));
  let content;
  try {
    content = await view(ctx, arg ? decodeURIComponent(arg) : undefined);
  } catch (e) {
    content = h('p', { class: 'notice error', role: 'alert' }, describe(e));
  }
  if (stale()) return;
  clear(main).append(content);
  const heading = main.querySelector('h2');
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

applyStatic();
installSwitch(document.getElementById('lang'));
onChange(route);
window.addEventListener('hashchange', () => { notice(''); route(); });
route();
