// app-family.js — the insured person's family screen: balances by layer, the network as a
// picture, creating the network with the commitment, inviting (the applicable rule shown
// before confirming), accepting or declining, changing modes and limits, paying a premium,
// unbinding with the time it takes effect; a binding or account frozen by the agency with the
// reason given (R9.2).
import { describe } from './api.js';
import { t } from './i18n.js';
import { h, notice, field, yuan } from './dom.js';
import { familyGraph, allBindings, names, personLabel } from './family-graph.js';

export const RELATIONS = ['spouse', 'parent', 'child', 'sibling', 'grandparent_paternal', 'grandparent_maternal',
  'grandchild_paternal', 'grandchild_maternal'];

// frozenNote(x, key): what a freeze by the agency means, with the reason staff gave (R9.2).
function frozenNote(x, key) {
  if (!x || !x.frozen) return null;
  return h('div', { class: 'notice error frozen-note', role: 'note' }, h('p', {}, h('strong', {}, t(key))),
    h('p', { class: 'frozen-reason' }, t('family.frozen.reason', { reason: x.frozen_reason || '—' })));
}

function balances(me) {
  const a = me.accounts;
  return h('section', { class: 'card', 'aria-labelledby': 'bal-title' },
    h('h2', { id: 'bal-title' }, t('family.balances')),
    h('dl', { class: 'balances' }, ['current', 'prior', 'card'].filter((k) => a[k]).flatMap((k) => [
      h('dt', {}, t(`layer.${k}`)), h('dd', {}, yuan(a[k].balance_yuan), a[k].frozen ? ` (${t('family.frozen')})` : '')]),
    h('dt', { class: 'total' }, t('layer.total')), h('dd', { class: 'total', id: 'total-balance' }, yuan(a.account_total_yuan))),
    frozenNote(['current', 'prior'].map((k) => a[k]).find((l) => l && l.frozen), 'family.account.frozen'),
    h('p', { class: 'hint' }, t('family.balances.hint')));
}

// run(ctx, promise, okText): a change through the API, a notice, then the screen again.
// run(ctx, action, okText, refusals): send, redraw, say what happened; `refusals` gives this
// form's own sentence for an error code (else the server's message with rule and detail).
async function run(ctx, action, okText, refusals = {}) {
  try {
    const out = await action();
    await ctx.refresh();
    notice(typeof okText === 'function' ? okText(out) : okText, 'ok');
  } catch (e) { notice(refusals[e.code] || describe(e), 'error'); }
}

function modeBoxes(selected = ['payment', 'contribution']) {
  const boxes = ['payment', 'contribution'].map((m) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: m, checked: selected.includes(m) }), ` ${t(`mode.${m}`)}`));
  const fs = h('fieldset', {}, h('legend', {}, t('invite.modes')), boxes, h('small', { class: 'hint' }, t('invite.modes.hint')));
  fs.value = () => boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
  return fs;
}

const amount = (input) => (input.value.trim() === '' ? null : input.value.trim());

function createNetwork(ctx) {
  const agree = h('input', { type: 'checkbox', id: 'commitment' });
  return h('section', { class: 'card', 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, t('create.title')),
    h('p', {}, t('create.intro')),
    h('blockquote', { class: 'commitment' }, t('create.commitment')),
    h('label', { class: 'check' }, agree, ` ${t('create.agree')}`),
    h('button', { type: 'button', id: 'create-network', onclick: () => {
      if (!agree.checked) { notice(t('create.mustagree'), 'error'); agree.focus(); return; }
      run(ctx, () => ctx.api.post('/api/v1/network', { commitment: true }), t('create.done'));
    } }, t('create.submit')));
}

function inviteForm(ctx) {
  const member = h('input', { name: 'member', required: true });
  const certno = h('input', { name: 'member_certno', required: true, autocomplete: 'off', maxlength: 18 });
  const relation = h('select', { name: 'relation' }, RELATIONS.map((r) => h('option', { value: r }, t(`relation.${r}`))));
  const modes = modeBoxes();
  const limit = h('input', { name: 'limit_yuan', inputmode: 'decimal' });
  const temporary = h('input', { type: 'checkbox', name: 'temporary' });
  const confirmBox = h('div', { class: 'confirm', hidden: true, role: 'region', 'aria-label': t('invite.rule.title') });
  const body = () => ({ member: member.value.trim(), member_certno: certno.value.trim(), relation: relation.value, modes: modes.value(),
    temporary: temporary.checked, limit_yuan: amount(limit) });
  const form = h('form', { class: 'card', 'aria-labelledby': 'invite-title' },
    h('h2', { id: 'invite-title' }, t('invite.title')), h('p', {}, t('invite.intro')),
    field(t('invite.member'), member, t('invite.member.hint')), field(t('invite.certno'), certno, t('invite.certno.hint')),
    field(t('invite.relation'), relation, t('invite.relation.hint')),
    modes, field(t('invite.limit'), limit, t('invite.limit.hint')),
    h('label', { class: 'check' }, temporary, ` ${t('invite.temporary')}`),
    h('button', { type: 'submit', id: 'invite-next' }, t('invite.next')), confirmBox);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!member.value.trim()) { notice(t('invite.needmember'), 'error'); member.focus(); return; }
    if (!certno.value.trim()) { notice(t('invite.needcertno'), 'error'); certno.focus(); return; }
    const b = body();
    confirmBox.replaceChildren(h('h3', {}, t('invite.rule.title')),
      h('ul', {}, h('li', {}, t('invite.rule.age')), h('li', {}, t('invite.rule.relation', { relation: t(`relation.${b.relation}`) })),
        h('li', {}, t('invite.rule.modes', { modes: b.modes.map((m) => t(`mode.${m}`)).join('、') || '—' })),
        b.limit_yuan ? h('li', {}, t('invite.rule.limit', { limit: b.limit_yuan })) : null,
        b.temporary ? h('li', {}, t('invite.rule.temporary')) : null),
      h('button', { type: 'button', id: 'invite-confirm', onclick: () => run(ctx, () => ctx.api.post('/api/v1/bindings', b),
        (out) => t(out.status === 'active' ? 'invite.done.active' : 'invite.done.pending', { member: out.member }),
        { NOT_FOUND: t('invite.notfound') }) }, t('invite.confirm')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { confirmBox.hidden = true; member.focus(); } }, t('invite.back')));
    confirmBox.hidden = false;
    confirmBox.querySelector('#invite-confirm').focus();
  });
  return form;
}

function changeForm(ctx, b) {
  const modes = modeBoxes(b.modes);
  const limit = h('input', { value: b.limit_yuan || '', inputmode: 'decimal' });
  const authorized = h('input', { value: b.authorized_yuan || '', inputmode: 'decimal' });
  return h('details', {}, h('summary', {}, t('binding.change')),
    modes, field(t('invite.limit'), limit, t('invite.limit.hint')), field(t('binding.authorized'), authorized, t('binding.authorized.hint')),
    h('button', { type: 'button', class: 'save-change', onclick: () => run(ctx, () => ctx.api.patch(`/api/v1/bindings/${b.binding_id}`,
      { modes: modes.value(), limit_yuan: amount(limit), authorized_yuan: amount(authorized) }), t('binding.changed')) }, t('binding.save')));
}

function premiumForm(ctx, b) {
  const year = h('input', { value: String(ctx.year + 1), inputmode: 'numeric', maxlength: 4 });
  return h('details', {}, h('summary', {}, t('premium.title')), h('p', { class: 'hint' }, t('premium.intro')),
    field(t('premium.year'), year),
    h('button', { type: 'button', class: 'pay-premium', onclick: () => run(ctx,
      () => ctx.api.post('/api/v1/premiums', { member: b.member, year: Number(year.value) }),
      (out) => t('premium.done', { amount: out.amount_yuan, member: out.member, year: out.year })) }, t('premium.pay')));
}

function unbindButton(ctx, b) {
  const box = h('div', { class: 'confirm', hidden: true }, h('p', {}, t('unbind.explain')),
    h('button', { type: 'button', class: 'danger unbind-confirm', onclick: () => run(ctx,
      () => ctx.api.post(`/api/v1/bindings/${b.binding_id}/unbind`), (out) => t('unbind.done', { when: out.unbind_effective })) }, t('unbind.confirm')));
  return [h('button', { type: 'button', class: 'secondary unbind', onclick: () => { box.hidden = false; box.querySelector('button').focus(); } }, t('unbind.title')), box];
}

function bindingCard(ctx, b, known) {
  const me = ctx.me.psn_no, iAmDonor = b.donor === me, iAmMember = b.member === me;
  const who = (psn) => personLabel(known, psn);
  const other = who(iAmDonor ? b.member : b.donor);
  const actions = [];
  if (iAmMember && b.status === 'pending') {   // a frozen invitation cannot be accepted (R9.2); declining it can
    actions.push(b.frozen ? null : h('p', {}, t('accept.explain', { donor: who(b.donor) })),
      b.frozen ? null : h('button', { type: 'button', class: 'accept', onclick: () => run(ctx, () => ctx.api.post(`/api/v1/bindings/${b.binding_id}/accept`), t('accept.done')) }, t('accept.button')),
      h('button', { type: 'button', class: 'secondary', onclick: () => run(ctx, () => ctx.api.post(`/api/v1/bindings/${b.binding_id}/reject`), t('reject.done')) }, t('reject.button')));
  }
  if (iAmDonor && b.status !== 'ended' && b.status !== 'rejected') actions.push(changeForm(ctx, b));
  if (iAmDonor && b.status === 'active') actions.push(premiumForm(ctx, b));
  if ((iAmDonor || iAmMember) && (b.status === 'active' || b.status === 'pending')) actions.push(...unbindButton(ctx, b));
  return h('article', { class: `binding ${b.status}`, 'data-binding': b.binding_id, 'aria-label': `${t('binding.with')} ${other}` },
    h('h3', {}, iAmDonor ? t('binding.ifund', { who: other, relation: t(`relation.${b.relation}`) })
      : iAmMember ? t('binding.fundsme', { who: other, relation: t(`relation.${b.relation}`) })
        : t('binding.others', { donor: who(b.donor), member: who(b.member) }),
    ' ', h('span', { class: `badge ${b.status}` }, t(`status.${b.status}`)), b.temporary ? h('span', { class: 'badge temp' }, t('graph.temporary')) : null,
    b.frozen ? h('span', { class: 'badge frozen' }, t('family.frozen')) : null),
    frozenNote(b, 'binding.frozen'),
    h('dl', { class: 'facts' },
      h('dt', {}, t('invite.modes')), h('dd', {}, b.modes.map((m) => t(`mode.${m}`)).join('、')),
      h('dt', {}, t('invite.limit')), h('dd', {}, b.limit_yuan ? yuan(b.limit_yuan) : t('binding.nolimit')),
      h('dt', {}, t('binding.authorized')), h('dd', {}, b.authorized_yuan ? yuan(b.authorized_yuan) : t('binding.nolimit')),
      h('dt', {}, t('binding.from')), h('dd', {}, b.active_from || '—'),
      b.active_until ? [h('dt', {}, t('binding.until')), h('dd', { class: 'until' }, b.active_until)] : null),
    actions);
}

export async function familyView(ctx) {
  const net = await ctx.api.get('/api/v1/network');
  const bindings = allBindings(net), known = names(bindings);
  const employee = ctx.me.insutype === '310';
  return h('div', { class: 'stack' }, balances(ctx.me),
    h('section', { class: 'card', 'aria-labelledby': 'net-title' }, h('h2', { id: 'net-title' }, t('family.title')),
      h('p', {}, t('family.intro')),
      bindings.length ? familyGraph(ctx.me.psn_no, net) : h('p', { class: 'empty' }, t('family.empty')),
      h('p', { class: 'legend' }, h('span', { class: 'key active' }, t('status.active')), h('span', { class: 'key pending' }, t('status.pending')),
        h('span', { class: 'key ended' }, t('status.ended')),
        bindings.some((b) => b.frozen) ? h('span', { class: 'key frozen' }, t('family.frozen')) : null),
      bindings.map((b) => bindingCard(ctx, b, known))),
    employee && net.as_donor.length === 0 ? createNetwork(ctx) : null,
    employee ? inviteForm(ctx) : h('p', { class: 'hint card' }, t('family.notemployee')));
}
