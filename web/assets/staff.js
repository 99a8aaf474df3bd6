// staff.js — the agency staff console: sign-in by operator id and password (the role comes
// with the token), then the screens that role may use: look a person up, offline applications
// (clerks file, reviewers approve or reject with a reason), reconciliation per institution and
// day with totals, the last policy simulation (staff-sim.js), and a live view of settlements
// per second and refusals from /metrics.
import { client, describe } from './api.js';
import { t, applyStatic, installSwitch, onChange } from './i18n.js';
import './dict-staff.js';
import { h, clear, notice, field, yuan, table } from './dom.js';
import { parseMetrics, rate } from './metrics.js';
import { simulation } from './staff-sim.js';

const api = client('gj-staff-token');
const main = document.getElementById('main');
const ROLE_KEY = 'gj-staff-role';
const SCREENS = [
  ['lookup', ['clerk', 'reviewer', 'auditor', 'admin']],
  ['applications', ['clerk', 'reviewer']],
  ['recon', ['auditor', 'admin']],
  ['simulation', ['auditor', 'admin']],
  ['live', ['clerk', 'reviewer', 'auditor', 'admin']],
];
const role = () => sessionStorage.getItem(ROLE_KEY);
let liveTimer = null;

async function act(fn, okText) {
  try { await fn(); notice(okText, 'ok'); await route(); } catch (e) { notice(describe(e), 'error'); }
}

function signIn() {
  const id = h('input', { name: 'operator_id', autocomplete: 'username', required: true });
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card narrow' }, h('h2', {}, t('s.signin')), h('p', {}, t('s.signin.intro')),
    field(t('s.operator'), id), field(t('s.password'), pw), h('button', { type: 'submit' }, t('s.signin.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const out = await api.post('/api/v1/staff/login', { operator_id: id.value.trim(), password: pw.value });
      api.setToken(out.token);
      sessionStorage.setItem(ROLE_KEY, out.role);
      notice('');
      location.hash = '#/lookup';
      await route();
    } catch (e) { notice(describe(e), 'error'); }
  });
  return form;
}

function lookup() {
  const psn = h('input', { name: 'psn_no', required: true });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card' }, h('h2', {}, t('s.lookup')), field(t('s.psn'), psn), h('button', { type: 'submit' }, t('s.find')), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const p = await api.get(`/api/v1/staff/persons/${encodeURIComponent(psn.value.trim())}`);
      out.replaceChildren(h('dl', { class: 'facts person-found' },
        [['s.name', p.name], ['s.psn', p.psn_no], ['s.cert', p.certno_masked], ['s.birth', `${p.brdy} (${p.age})`],
          ['s.insutype', p.insutype], ['s.region', p.insuplc_admdvs], ['s.status', p.status],
          ...['current', 'prior', 'card'].filter((k) => p.accounts[k]).map((k) => [`layer.${k}`, yuan(p.accounts[k].balance_yuan)]),
          ['layer.total', yuan(p.accounts.account_total_yuan)]]
          .flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)])));
    } catch (e) { out.replaceChildren(h('p', { class: 'notice error' }, describe(e))); }
  });
  return form;
}

function fileApplication() {
  const donor = h('input', { name: 'donor' }), member = h('input', { name: 'member' });
  const relation = h('select', { name: 'relation' }, ['spouse', 'parent', 'child', 'sibling'].map((r) => h('option', { value: r }, t(`relation.${r}`))));
  const proof = h('input', { name: 'proof' });
  const form = h('form', { class: 'card' }, h('h2', {}, t('s.file')), h('p', { class: 'hint' }, t('s.file.intro')),
    field(t('s.donor'), donor), field(t('s.member'), member), field(t('s.relation'), relation), field(t('s.proof'), proof, t('s.proof.hint')),
    h('button', { type: 'submit' }, t('s.file.submit')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(() => api.post('/api/v1/staff/applications', { donor: donor.value.trim(), member: member.value.trim(),
      relation: relation.value, modes: 'payment,contribution', proof: proof.value.trim() }), t('s.file.done'));
  });
  return form;
}

function reviewControls(a) {
  const reason = h('textarea', { rows: 2, name: 'reason' });
  return h('div', { class: 'review' }, field(t('s.reason'), reason, t('s.reason.hint')),
    h('button', { type: 'button', class: 'approve', onclick: () => act(() => api.post(`/api/v1/staff/applications/${a.app_id}/review`,
      { approve: true, reason: reason.value.trim() || t('s.approved.default') }), t('s.approved', { id: a.app_id })) }, t('s.approve')),
    h('button', { type: 'button', class: 'danger reject', onclick: () => {
      if (!reason.value.trim()) { notice(t('s.reason.needed'), 'error'); reason.focus(); return; }
      act(() => api.post(`/api/v1/staff/applications/${a.app_id}/review`, { approve: false, reason: reason.value.trim() }), t('s.rejected', { id: a.app_id }));
    } }, t('s.reject')));
}

async function applications() {
  const status = sessionStorage.getItem('gj-app-status') || 'submitted';
  const list = await api.get(`/api/v1/staff/applications?status=${status}`);
  const pick = h('select', { id: 'app-status', onchange: (ev) => { sessionStorage.setItem('gj-app-status', ev.target.value); route(); } },
    ['submitted', 'approved', 'rejected'].map((s) => h('option', { value: s, selected: s === status }, t(`status.${s}`))));
  return h('div', { class: 'stack' }, role() === 'clerk' ? fileApplication() : null,
    h('section', { class: 'card' }, h('h2', {}, t('s.applications')), h('div', { class: 'row' }, h('label', { for: 'app-status' }, t('s.status')), pick),
      list.applications.length ? list.applications.map((a) => h('article', { class: 'binding', 'data-app': a.app_id },
        h('h3', {}, `${a.app_id} · ${a.donor} → ${a.member} (${t(`relation.${a.request.relation}`)})`),
        h('p', {}, t('s.app.line', { proof: a.request.proof, by: a.submitted_by, at: a.submitted_at })),
        a.reason ? h('p', {}, t('s.reason'), ': ', a.reason) : null,
        a.binding_id ? h('p', {}, t('s.binding', { id: a.binding_id })) : null,
        a.status === 'submitted' && role() === 'reviewer' ? reviewControls(a) : null))
        : h('p', { class: 'empty' }, t('s.none'))));
}

function recon() {
  const today = new Date().toISOString().slice(0, 10);
  const code = h('input', { name: 'code', value: sessionStorage.getItem('gj-recon-code') || '' });
  const from = h('input', { name: 'from', type: 'date', value: today }), to = h('input', { name: 'to', type: 'date', value: today });
  const out = h('div', { 'aria-live': 'polite' });
  const cols = ['fixmedins_setl_cnt', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'acct_mulaid_pay', 'psn_cash_pay'];
  const form = h('form', { class: 'card' }, h('h2', {}, t('s.recon')), h('p', { class: 'hint' }, t('s.recon.intro')),
    h('div', { class: 'filters' }, field(t('s.institution'), code), field(t('s.from'), from), field(t('s.to'), to)),
    h('button', { type: 'submit' }, t('s.show')), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem('gj-recon-code', code.value.trim());
    try {
      const r = await api.get(`/api/v1/staff/recon/${encodeURIComponent(code.value.trim())}/totals?from=${from.value}&to=${to.value}`);
      out.replaceChildren(table([t('s.date'), ...cols.map((c) => t(`s.col.${c}`))],
        [...r.days.map((d) => [d.date, ...cols.map((c) => d[c])]), [h('strong', {}, t('layer.total')), ...cols.map((c) => h('strong', { class: `total-${c}` }, r.total[c]))]]));
    } catch (e) { out.replaceChildren(h('p', { class: 'notice error' }, describe(e))); }
  });
  return form;
}

function live() {
  const speed = h('span', { class: 'tile', id: 'settle-rate' }, '0.0');
  const total = h('span', { class: 'tile', id: 'settle-total' }, '0');
  const refusals = h('div', { id: 'refusals' });
  let prev = null, prevAt = 0;
  async function sample() {
    try {
      const text = await (await fetch('/metrics')).text();
      const cur = parseMetrics(text), now = performance.now();
      speed.textContent = rate(prev, cur, (now - prevAt) / 1000).toFixed(1);
      total.textContent = String(cur.settled);
      const rows = Object.entries(cur.refusals).sort((a, b) => b[1] - a[1]);
      refusals.replaceChildren(rows.length ? table([t('s.code'), t('s.count')], rows) : h('p', { class: 'empty' }, t('s.none')));
      prev = cur; prevAt = now;
    } catch (e) { notice(describe(e), 'error'); }
  }
  sample();
  liveTimer = setInterval(sample, 2000);
  return h('section', { class: 'card' }, h('h2', {}, t('s.live')), h('p', { class: 'hint' }, t('s.live.intro')),
    h('div', { class: 'tiles' }, h('div', {}, h('div', {}, t('s.rate')), speed), h('div', {}, h('div', {}, t('s.settled')), total)),
    h('h3', {}, t('s.refusals')), refusals);
}

const VIEWS = { lookup, applications, recon, simulation: () => simulation(api), live };

function nav(allowed, current) {
  return h('nav', { 'aria-label': t('nav.label') }, h('ul', {}, allowed.map((k) =>
    h('li', {}, h('a', { href: `#/${k}`, 'aria-current': k === current ? 'page' : null }, t(`s.nav.${k}`))))),
  h('span', { class: 'who-am-i' }, t(`s.role.${role()}`)),
  h('button', { type: 'button', class: 'link', onclick: () => { api.setToken(null); sessionStorage.removeItem(ROLE_KEY); location.hash = ''; route(); } }, t('signout')));
}

async function route() {
  clearInterval(liveTimer);
  clear(main);
  const bar = clear(document.getElementById('navbar'));
  if (!api.signedIn()) { main.append(signIn()); return; }
  const allowed = SCREENS.filter(([, roles]) => roles.includes(role())).map(([k]) => k);
  const want = location.hash.split('/')[1];
  const current = allowed.includes(want) ? want : allowed[0];
  bar.append(nav(allowed, current));
  try { main.append(await VIEWS[current]()); } catch (e) {
    if (e.status === 401) { api.setToken(null); notice(describe(e), 'error'); main.append(signIn()); return; }
    main.append(h('p', { class: 'notice error', role: 'alert' }, describe(e)));
  }
}

applyStatic();
installSwitch(document.getElementById('lang'));
onChange(route);
window.addEventListener('hashchange', () => { notice(''); route(); });
route();
