// money-form.js — forms that move money (the family pool and the wallet pages): the amount
// checked in the browser as the API checks it (yuan, at most 2 decimals), a confirmation step
// stating in words what will happen before anything is sent, and a refusal shown as a plain
// Chinese (or English) sentence chosen by the error's stable code (dict-regions.js), the code
// and rule in small print under it.
import { ApiError, newIdempotencyKey } from './api.js';
import { t, known } from './i18n.js';
import { h, notice } from './dom.js';

// amountText(text): "300" → "300.00", "12.5" → "12.50"; null unless a positive amount in yuan
// with at most 2 decimals (the API's rule, docs/api.md); no floating point touches it.
export function amountText(text) {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(String(text).trim());
  if (!m) return null;
  const yuan = `${m[1].replace(/^0+(?=\d)/, '')}.${(m[2] || '').padEnd(2, '0')}`;
  return /^0\.00$/.test(yuan) ? null : yuan;
}

// fenText(n): integer fen → "1234.56" ("-0.50" below zero).
const fenText = (n) => `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;

// fenOf("-12.30") → -1230: the API's amounts always carry 2 decimals.
const fenOf = (s) => { const [i, d] = String(s).replace('-', '').split('.'); return (String(s).startsWith('-') ? -1 : 1) * (Number(i) * 100 + Number(d || 0)); };

// sumYuan(["500.00", "300.50"]) → "800.50", exact (integer fen).
export const sumYuan = (list) => fenText(list.reduce((a, s) => a + fenOf(s), 0));

// The most that may move and the reserve, from an ABOVE_RESERVE_ONLY refusal's detail.
function reserveFacts(e) {
  const m = /at most (\d+) fen.*reserve (\d+) fen/.exec(e.detail || '');
  return m ? { max: fenText(Number(m[1])), reserve: fenText(Number(m[2])) } : null;
}

// refusalText(e, context): the sentence for a refusal — the page's own wording for the code
// (err.CONTEXT.CODE), else the common one (err.CODE), else the server's message_zh/message_en.
export function refusalText(e, context) {
  if (!(e instanceof ApiError)) return t('err.network');
  const facts = e.code === 'ABOVE_RESERVE_ONLY' ? reserveFacts(e) : null;
  const key = [`err.${context}.${e.code}`, `err.${e.code}`].find(known);
  const text = key ? t(key) : e.message;
  return facts ? `${text}${t('err.reserve.facts', facts)}` : text;
}

// refusal(e, context): the refusal as an alert paragraph, code and rule in small print.
export function refusal(e, context) {
  const small = e instanceof ApiError && e.code ? [e.code, e.rule].filter(Boolean).join(' · ') : null;
  return h('div', { class: 'notice error refusal', role: 'alert' }, h('p', {}, refusalText(e, context)),
    small ? h('small', { class: 'hint' }, t('err.code', { code: small })) : null);
}

// moneyForm(ctx, spec): a form; submitting checks it (spec.check → an error text or null),
// then shows spec.summary() (list items) with 确认/返回修改; confirming sends spec.send(key), shows
// spec.done(answer) after the page is drawn again, or the refusal under the form (nothing changed).
// `key` is the request's Idempotency-Key: kept when no answer came back (a lost connection — the
// money may have moved), so confirming the same form again is a retry that moves it once; new
// after any answer.
// spec: { id, title, intro, fields, submit, check, summary, send, done, context, first, danger }.
export function moneyForm(ctx, spec) {
  const slot = h('div', { class: 'form-result', 'aria-live': 'polite' });
  const confirmBox = h('div', { class: 'confirm', hidden: true, role: 'region', 'aria-label': t('money.confirm.title') });
  const focusFirst = () => (spec.first || form.querySelector('button.next')).focus();
  const back = () => { confirmBox.hidden = true; focusFirst(); };
  const form = h('form', { class: 'card', id: spec.id, 'aria-labelledby': `${spec.id}-title`, novalidate: true },
    h('h2', { id: `${spec.id}-title` }, spec.title), spec.intro ? h('p', {}, spec.intro) : null, spec.fields,
    h('button', { type: 'submit', class: spec.danger ? 'next danger' : 'next' }, spec.submit || t('money.next')), confirmBox, slot);
  let key = null;
  async function send(button) {
    button.disabled = true;
    key = key || newIdempotencyKey();
    try {
      const out = await spec.send(key);
      key = null;
      await ctx.refresh();
      notice(spec.done(out), 'ok');
    } catch (e) {
      if (e instanceof ApiError) key = null;   // answered: the next confirmation is a new request
      button.disabled = false;
      confirmBox.hidden = true;
      slot.replaceChildren(refusal(e, spec.context));
      focusFirst();
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    slot.replaceChildren();
    const problem = spec.check ? spec.check() : null;
    if (problem) { slot.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, problem.text)); problem.field.focus(); return; }
    const yes = h('button', { type: 'button', class: spec.danger ? 'danger confirm-yes' : 'confirm-yes', onclick: () => send(yes) }, t('money.confirm'));
    confirmBox.replaceChildren(h('h3', {}, t('money.confirm.title')), h('ul', {}, spec.summary().map((x) => h('li', {}, x))),
      yes, h('button', { type: 'button', class: 'secondary', onclick: back }, t('money.back')));
    confirmBox.hidden = false;
    yes.focus();
  });
  return form;
}

// amountCheck(input): the check of an amount field for moneyForm (the API's wording for BAD_AMOUNT).
export function amountCheck(input) {
  if (!input.value.trim()) return { field: input, text: t('money.amount.needed') };
  return amountText(input.value) ? null : { field: input, text: t('err.BAD_AMOUNT') };
}
