// app-wallet.js — the 共济钱包 screen (medical-insurance wallet, R7.3; docs/regions.md,
// docs/api.md): the caller's wallet — balance, money received and sent, every movement; an
// employee transfers from their own account into a relative's wallet (no binding needed), naming
// the relative by person number and ID number; a resident pays their own resident premium from
// their wallet. Each is confirmed first. The API pays a premium from a wallet only for the
// wallet's owner, so helping a relative with a premium is a transfer to them, then their own
// payment; the page says so. The fund model is not known ahead: a NOT_WALLET_REGION refusal
// makes the page say the region does not offer it.
import { t, tOr } from './i18n.js';
import { h, table, yuan, field, when } from './dom.js';
import { RELATIONS } from './app-family.js';
import { moneyForm, amountCheck, amountText } from './money-form.js';

const relation = (r) => t(`relation.${r}`);
const kindName = (k) => tOr(`wallet.kind.${k}`, k);

function walletCard(w) {
  const list = (rows, headers, empty) => (rows.length ? table(headers, rows) : h('p', { class: 'empty' }, empty));
  return h('section', { class: 'card', 'aria-labelledby': 'wallet-title' },
    h('h2', { id: 'wallet-title' }, t('wallet.title')), h('p', {}, t('wallet.intro')),
    h('dl', { class: 'balances' }, h('dt', {}, t('wallet.balance')), h('dd', { id: 'wallet-balance' }, yuan(w.balance_yuan))),
    h('h3', {}, t('wallet.in')),
    list(w.transfers_in.map((x) => [when(x.at), x.from, relation(x.relation), yuan(x.amount_yuan)]),
      [t('statement.at'), t('wallet.from'), t('wallet.in.relation'), t('records.amount')], t('wallet.in.none')),
    h('h3', {}, t('wallet.out')),
    list(w.transfers_out.map((x) => [when(x.at), x.to, relation(x.relation), yuan(x.amount_yuan)]),
      [t('statement.at'), t('wallet.to'), t('wallet.out.relation'), t('records.amount')], t('wallet.out.none')),
    w.statement.length ? h('details', { class: 'wallet-history' }, h('summary', {}, t('wallet.history', { n: w.statement.length })),
      table([t('statement.at'), t('pool.what'), t('records.amount')], w.statement.map((l) => [when(l.at), kindName(l.kind), yuan(l.amount_yuan)]))) : null);
}

// Track a NOT_WALLET_REGION refusal about the caller's own region (its detail says whose), so the page says so instead of offering the forms again.
const noting = (ctx) => (e) => {
  if (e.code === 'NOT_WALLET_REGION' && e.detail === "the donor's region") ctx.notOffered.wallet = true;
  throw e;
};

// The relative is named by person number and ID number, as on the regional wallet apps: the API
// answers the same NOT_FOUND for a wrong ID number and for a person who does not exist.
function transferForm(ctx) {
  const to = h('input', { name: 'recipient', autocomplete: 'off' });
  const certno = h('input', { name: 'recipient_certno', autocomplete: 'off', maxlength: 18 });
  const rel = h('select', { name: 'relation' }, RELATIONS.map((r) => h('option', { value: r }, relation(r))));
  const amount = h('input', { name: 'amount_yuan', inputmode: 'decimal', autocomplete: 'off' });
  const missing = () => (!to.value.trim() ? { field: to, text: t('wallet.needrecipient') }
    : !certno.value.trim() ? { field: certno, text: t('wallet.needcertno') } : null);
  return moneyForm(ctx, {
    id: 'wallet-transfer', title: t('wallet.transfer.title'), intro: t('wallet.transfer.intro'), context: 'wallet', first: to,
    fields: [field(t('wallet.recipient'), to, t('invite.member.hint')), field(t('invite.certno'), certno, t('wallet.certno.hint')),
      field(t('invite.relation'), rel, t('invite.relation.hint')),
      field(t('wallet.amount'), amount, t('pool.amount.hint', { total: ctx.me.accounts.account_total_yuan }))],
    check: () => missing() || amountCheck(amount),
    summary: () => [t('wallet.confirm.move', { amount: amountText(amount.value), who: to.value.trim() }),
      t('invite.rule.relation', { relation: relation(rel.value) }), t('wallet.confirm.theirs'), t('pool.confirm.reserve')],
    send: (key) => ctx.api.post('/api/v1/wallet/transfers', { recipient: to.value.trim(), recipient_certno: certno.value.trim(),
      relation: rel.value, amount_yuan: amountText(amount.value) }, key).catch(noting(ctx)),
    done: (out) => t('wallet.transfer.done', { amount: out.amount_yuan, who: out.to }),
  });
}

function premiumForm(ctx) {
  const year = h('input', { name: 'year', value: String(ctx.year + 1), inputmode: 'numeric', maxlength: 4 });
  return moneyForm(ctx, {
    id: 'wallet-premium', title: t('wallet.premium.title'), intro: t('wallet.premium.intro'), context: 'premium', first: year,
    fields: field(t('premium.year'), year, t('wallet.premium.year.hint')),
    check: () => (/^\d{4}$/.test(year.value.trim()) ? null : { field: year, text: t('wallet.premium.badyear') }),
    summary: () => [t('wallet.premium.confirm', { year: year.value.trim() }), t('wallet.premium.short')],
    send: (key) => ctx.api.post('/api/v1/wallet/premiums', { year: Number(year.value.trim()) }, key).catch(noting(ctx)),
    done: (out) => t('wallet.premium.done', { year: out.year, amount: out.amount_yuan }),
  });
}

export async function walletView(ctx) {
  ctx.notOffered = ctx.notOffered || {};
  const w = await ctx.api.get('/api/v1/wallet');
  const employee = ctx.me.insutype === '310';
  if (ctx.notOffered.wallet) return h('div', { class: 'stack' }, h('p', { class: 'card notice info not-offered', role: 'status' }, t('wallet.notoffered')), walletCard(w));
  return h('div', { class: 'stack' }, walletCard(w), employee ? transferForm(ctx) : premiumForm(ctx),
    h('p', { class: 'hint card' }, t(employee ? 'wallet.premium.forrelative' : 'wallet.transfer.employeeonly')));
}
