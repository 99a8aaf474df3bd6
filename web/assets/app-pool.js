// app-pool.js — the 家庭共济池 screen (family pool, R7.2; docs/regions.md, docs/api.md): the
// pools of the networks the person belongs to (their own, and those where a relative funds
// them), each with the total, every member's share and the history; contributing from one's
// own account and, for the network's creator, closing the pool, each confirmed first. The API
// does not say ahead which fund model a region runs, so the page says where the pool exists and,
// once a contribution is refused with NOT_POOL_REGION, that the person's region does not offer it.
import { ApiError } from './api.js';
import { t, tOr } from './i18n.js';
import { h, table, yuan, field, when } from './dom.js';
import { allBindings, names, personLabel } from './family-graph.js';
import { moneyForm, amountCheck, amountText, sumYuan } from './money-form.js';

// load(ctx, creator): { creator, pool } — pool null before the first contribution, undefined
// when the API answers 404 (no such network, or not the caller's family).
async function load(ctx, creator) {
  try {
    return { creator, pool: await ctx.api.get(`/api/v1/pools/${encodeURIComponent(creator)}`) };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'POOL_CLOSED') return { creator, pool: null };
    if (e instanceof ApiError && (e.status === 404 || e.code === 'NO_NETWORK')) return { creator, pool: undefined };
    throw e;
  }
}

const layerName = (l) => t(`layer.${l}`);
const kindName = (k) => tOr(`pool.kind.${k}`, k);

// Every contributor's share: the total and where it came from (this year's or earlier layers).
function sharesTable(pool, known) {
  const by = new Map();
  for (const s of pool.shares) by.set(s.contributor, [...(by.get(s.contributor) || []), s]);
  const rows = [...by].map(([psn, list]) => [personLabel(known, psn),
    h('span', { 'data-share': psn }, yuan(sumYuan(list.map((s) => s.balance_yuan)))),
    list.map((s) => `${layerName(s.layer)} ${yuan(s.balance_yuan)}`).join('，')]);
  return rows.length ? table([t('pool.contributor'), t('pool.share'), t('pool.share.from')], rows)
    : h('p', { class: 'empty' }, t('pool.noshares'));
}

function history(pool, known) {
  if (!pool.statement.length) return null;
  return h('details', { class: 'pool-history' }, h('summary', {}, t('pool.history', { n: pool.statement.length })),
    table([t('statement.at'), t('pool.what'), t('pool.contributor'), t('records.amount')],
      pool.statement.map((l) => [when(l.at), h('span', { class: 'nb' }, kindName(l.kind)), personLabel(known, l.contributor), yuan(l.amount_yuan)])));
}

// "我的家庭共济池", or "张伟（P…） 建立的家庭共济池".
const poolTitle = (ctx, creator, known) => (creator === ctx.me.psn_no ? t('pool.mine') : t('pool.of', { owner: personLabel(known, creator) }));

function contributeForm(ctx, creator, known) {
  const amount = h('input', { name: 'amount_yuan', inputmode: 'decimal', autocomplete: 'off' });
  return moneyForm(ctx, {
    id: `contribute-${creator}`, title: t('pool.contribute.title'), context: 'pool',
    intro: t('pool.contribute.intro'), first: amount,
    fields: field(t('pool.amount'), amount, t('pool.amount.hint', { total: ctx.me.accounts.account_total_yuan })),
    check: () => amountCheck(amount),
    summary: () => [t('pool.confirm.move', { amount: amountText(amount.value), pool: poolTitle(ctx, creator, known) }), t('pool.confirm.use'), t('pool.confirm.reserve')],
    send: (key) => ctx.api.post(`/api/v1/pools/${encodeURIComponent(creator)}/contributions`, { amount_yuan: amountText(amount.value) }, key)
      .catch((e) => { if (e.code === 'NOT_POOL_REGION') ctx.notOffered.pool = true; throw e; }),
    done: (out) => t('pool.contribute.done', { amount: amountText(amount.value), total: out.balance_yuan,
      share: sumYuan(out.shares.filter((s) => s.contributor === ctx.me.psn_no).map((s) => s.balance_yuan)) }),
  });
}

function closeForm(ctx, creator) {
  return moneyForm(ctx, {
    id: `close-${creator}`, title: t('pool.close.title'), context: 'poolclose', danger: true,
    intro: t('pool.close.intro'), fields: null, submit: t('pool.close.next'),
    summary: () => [t('pool.close.back'), t('pool.close.after')],
    send: (key) => ctx.api.post(`/api/v1/pools/${encodeURIComponent(creator)}/close`, {}, key),
    done: () => t('pool.close.done'),
  });
}

// An open pool's total, the caller's share and everyone's shares.
function figures(ctx, pool, known) {
  return [h('dl', { class: 'balances' }, h('dt', {}, t('pool.total')), h('dd', { class: 'pool-total' }, yuan(pool.balance_yuan)),
    h('dt', {}, t('pool.myshare')), h('dd', { class: 'pool-myshare' },
      yuan(sumYuan(pool.shares.filter((s) => s.contributor === ctx.me.psn_no).map((s) => s.balance_yuan))))),
  h('h3', {}, t('pool.shares')), sharesTable(pool, known)];
}

function actions(ctx, creator, pool, known) {
  if (ctx.notOffered.pool) return h('p', { class: 'notice info not-offered' }, t('pool.notoffered'));
  const mine = creator === ctx.me.psn_no, open = pool && pool.status === 'open';
  return [
    ctx.me.insutype === '310' ? contributeForm(ctx, creator, known) : h('p', { class: 'hint' }, t('pool.notemployee')),
    open && mine ? closeForm(ctx, creator) : null,
    open && !mine ? h('p', { class: 'hint card' }, t('pool.close.creatoronly')) : null,
  ];
}

function poolCard(ctx, { creator, pool }, known) {
  const status = pool ? pool.status : 'none';
  return h('section', { class: 'stack pool', 'data-pool': creator, 'aria-labelledby': `pool-${creator}` },
    h('div', { class: 'card' },
      h('h2', { id: `pool-${creator}` }, poolTitle(ctx, creator, known),
        ' ', h('span', { class: `badge pool-${status}` }, t(`pool.status.${status}`))),
      status === 'open' ? figures(ctx, pool, known) : null,
      status === 'closed' ? h('p', { class: 'pool-closed-note' }, t('pool.closed.hint', { when: pool.closed_at })) : null,
      status === 'none' ? h('p', { class: 'empty' }, t('pool.none')) : history(pool, known)),
    actions(ctx, creator, pool, known));
}

function intro() {
  return h('section', { class: 'card', 'aria-labelledby': 'pool-intro' }, h('h2', { id: 'pool-intro' }, t('pool.title')),
    h('p', {}, t('pool.intro')), h('p', { class: 'hint' }, t('pool.where')));
}

// poolView(ctx, creator): every pool of the caller's family, or the one of `creator` (#/pool/{creator}).
export async function poolView(ctx, creator) {
  ctx.notOffered = ctx.notOffered || {};
  const net = await ctx.api.get('/api/v1/network');
  const known = names(allBindings(net));
  const funders = net.as_member.filter((b) => b.status === 'active').map((b) => b.donor);
  const creators = creator ? [creator] : [...new Set([ctx.me.psn_no, ...funders])];
  const found = (await Promise.all(creators.map((c) => load(ctx, c)))).filter((p) => p.pool !== undefined);
  if (!found.length)
    return h('div', { class: 'stack' }, intro(), h('p', { class: 'card notice info no-pool', role: 'status' },
      creator ? t('pool.notfound') : t('pool.nonetwork'), ' ',
      creator ? h('a', { href: '#/pool' }, t('pool.goown')) : h('a', { href: '#/family' }, t('pool.gofamily'))));
  return h('div', { class: 'stack' }, intro(), found.map((p) => poolCard(ctx, p, known)));
}
