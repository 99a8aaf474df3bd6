// staff-violations.js — the reviewer's 违规处理 screen (R9.1, R9.2; docs/api.md "freezes"):
// freeze or unfreeze a binding or a person's account with a reason, and recover misused mutual
// aid from a settlement back to the donor. Each answer is shown on the page; a refusal is shown
// in the words of the error's message_zh / message_en, its code and detail below in small print.
import { ApiError, describe } from './api.js';
import { t } from './i18n.js';
import { h, field, yuan } from './dom.js';

// result(slot, fn): the answer as a definition list, or the refusal as an error paragraph.
async function result(slot, fn, title) {
  try {
    const out = await fn();
    slot.replaceChildren(h('div', { class: 'notice ok result', role: 'status' }, h('p', {}, h('strong', {}, title(out))),
      h('dl', { class: 'facts' }, Object.entries(out).flatMap(([k, v]) => [h('dt', {}, t(`v.f.${k}`)),
        h('dd', { 'data-field': k }, k.endsWith('_yuan') ? yuan(v) : k === 'kind' ? t(`v.kind.${v}`) : typeof v === 'boolean' ? t(v ? 'v.yes' : 'v.no') : String(v))]))));
  } catch (e) {
    slot.replaceChildren(h('div', { class: 'notice error', role: 'alert' }, h('p', {}, e instanceof ApiError ? e.message : describe(e)),
      e instanceof ApiError && (e.rule || e.detail) ? h('small', { class: 'hint' }, [e.code, e.rule, e.detail].filter(Boolean).join(' · ')) : null));
  }
}

function freezeForm(api) {
  const kind = h('select', { name: 'kind' }, ['binding', 'account'].map((k) => h('option', { value: k }, t(`v.kind.${k}`))));
  const target = h('input', { name: 'target', required: true, autocomplete: 'off' });
  const reason = h('textarea', { name: 'reason', rows: 2, required: true });
  const out = h('div', { 'aria-live': 'polite', class: 'freeze-result' });
  const send = (freeze) => {
    if (!target.value.trim()) { out.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, t('v.target.needed'))); target.focus(); return; }
    if (!reason.value.trim()) { out.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, t('v.reason.needed'))); reason.focus(); return; }
    result(out, () => api.post(`/api/v1/staff/${freeze ? 'freezes' : 'unfreezes'}`,
      { kind: kind.value, target: target.value.trim(), reason: reason.value.trim() }),
    (r) => t(r.frozen ? 'v.frozen.done' : 'v.unfrozen.done', { kind: t(`v.kind.${r.kind}`), target: r.target }));
  };
  return h('form', { class: 'card', 'aria-labelledby': 'freeze-title', onsubmit: (ev) => ev.preventDefault() },
    h('h2', { id: 'freeze-title' }, t('v.freeze.title')),
    h('div', { class: 'explain-box' }, h('p', {}, t('v.freeze.what')), h('ul', {}, h('li', {}, t('v.freeze.binding')),
      h('li', {}, t('v.freeze.account')), h('li', {}, t('v.freeze.sees')), h('li', {}, t('v.freeze.trail')))),
    h('div', { class: 'filters' }, field(t('v.kind'), kind), field(t('v.target'), target, t('v.target.hint'))),
    field(t('v.reason'), reason, t('v.reason.hint')),
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'danger freeze', onclick: () => send(true) }, t('v.freeze')),
      h('button', { type: 'button', class: 'secondary unfreeze', onclick: () => send(false) }, t('v.unfreeze'))), out);
}

function recoverForm(api) {
  const setl = h('input', { name: 'setl_id', required: true, autocomplete: 'off' });
  const donor = h('input', { name: 'donor', required: true, autocomplete: 'off' });
  const amount = h('input', { name: 'amount_yuan', required: true, inputmode: 'decimal' });
  const reason = h('textarea', { name: 'reason', rows: 2, required: true });
  const out = h('div', { 'aria-live': 'polite', class: 'recover-result' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'recover-title' },
    h('h2', { id: 'recover-title' }, t('v.recover.title')), h('p', { class: 'hint' }, t('v.recover.what')),
    h('div', { class: 'filters' }, field(t('v.setl'), setl), field(t('v.donor'), donor), field(t('v.amount'), amount, t('v.amount.hint'))),
    field(t('v.reason'), reason, t('v.recover.reason.hint')),
    h('button', { type: 'submit', class: 'danger' }, t('v.recover')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const missing = [[setl, 'v.setl'], [donor, 'v.donor'], [amount, 'v.amount'], [reason, 'v.reason']].find(([i]) => !i.value.trim());
    if (missing) { out.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, t('v.missing', { what: t(missing[1]) }))); missing[0].focus(); return; }
    result(out, () => api.post(`/api/v1/staff/settlements/${encodeURIComponent(setl.value.trim())}/recoveries`,
      { donor: donor.value.trim(), amount_yuan: amount.value.trim(), reason: reason.value.trim() }),
    (r) => t('v.recovered', { amount: r.amount_yuan, donor: r.donor, member: r.member }));
  });
  return form;
}

export function violations(api) {
  return h('div', { class: 'stack' }, freezeForm(api), recoverForm(api));
}
