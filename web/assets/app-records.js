// app-records.js — the insured person's records: settlements as patient and uses of their
// money as donor, filtered by year, region and visit type, each with its explanation; a chart
// of mutual-aid money per member per month; mutual aid recovered by the agency (R9.2); a
// settlement page; the printable yearly statement.
import { ApiError, describe } from './api.js';
import { t, tOr, lang } from './i18n.js';
import { h, yuan, table, notice } from './dom.js';
import { barChart, monthly } from './chart.js';
import { sumYuan } from './money-form.js';

const MED_TYPES = ['11', '14', '21', '41'];
const medType = (c) => (MED_TYPES.includes(c) ? t(`medtype.${c}`) : c);
const kindName = (k) => tOr(`kind.${k}`, k);

function query(f, as) {
  const q = new URLSearchParams({ as });
  for (const k of ['year', 'region', 'med_type']) if (f[k]) q.set(k, f[k]);
  return `/api/v1/records?${q}`;
}

// ownAccountYuan(setlinfo): what the patient's own account paid — the bill less the fund, the
// mutual aid and the cash, exact in fen. Not acct_pay − acct_mulaid_pay: whether acct_pay
// includes the mutual aid is the region's choice (settlement.mulaid_in_acct_pay, docs/policies.md).
const negative = (yuan) => (String(yuan).startsWith('-') ? String(yuan).slice(1) : `-${yuan}`);
const ownAccountYuan = (s) => sumYuan([s.medfee_sumamt, negative(s.fund_pay_sumamt), negative(s.acct_mulaid_pay),
  negative(s.psn_cash_pay)]);

// explanation(ctx, setl_id): the settlement's amounts in words and every rule applied.
export async function explanation(ctx, setlId) {
  const x = await ctx.api.get(`/api/v1/settlements/${encodeURIComponent(setlId)}/explain`);
  const s = x.setlinfo;
  const cash = Number(s.psn_cash_pay) > 0;
  return h('div', { class: 'explain', 'data-setl': setlId },
    h('h3', {}, t('explain.title', { id: setlId, where: x.fixmedins_name })),
    h('p', { class: 'summary' }, t('explain.summary', { total: s.medfee_sumamt, fund: s.fund_pay_sumamt,
      aid: s.acct_mulaid_pay, own: ownAccountYuan(s), cash: s.psn_cash_pay })),
    cash ? h('p', { class: 'why-cash' }, t('explain.whycash', { cash: s.psn_cash_pay })) : null,
    h('ol', { class: 'rules' }, x.explain.map((e) => h('li', {}, h('span', { class: 'rule' }, e.rule), ' ', lang() === 'en' ? e.en : e.zh))));
}

function explainButton(ctx, setlId, slot) {
  return h('button', { type: 'button', class: 'link explain-btn', 'aria-controls': slot.id, onclick: async () => {
    try { slot.replaceChildren(await explanation(ctx, setlId)); slot.hidden = false; slot.focus(); } catch (e) { notice(describe(e), 'error'); }
  } }, t('records.explain'));
}

function filters(ctx, f) {
  const year = h('select', { name: 'year' }, h('option', { value: '' }, t('any')),
    [0, 1, 2, 3].map((d) => { const y = String(ctx.year - d); return h('option', { value: y, selected: f.year === y }, y); }));
  const region = h('input', { name: 'region', value: f.region || '', maxlength: 6, inputmode: 'numeric', size: 8 });
  const med = h('select', { name: 'med_type' }, h('option', { value: '' }, t('any')),
    MED_TYPES.map((c) => h('option', { value: c, selected: f.med_type === c }, medType(c))));
  const form = h('form', { class: 'filters', 'aria-label': t('records.filters') },
    h('label', {}, t('records.year'), ' ', year), h('label', {}, t('records.region'), ' ', region),
    h('label', {}, t('records.medtype'), ' ', med), h('button', { type: 'submit' }, t('records.apply')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.filters = { year: year.value, region: region.value.trim(), med_type: med.value };
    ctx.refresh();
  });
  return form;
}

export async function recordsView(ctx) {
  const f = ctx.filters || {};
  const [mine, donor] = await Promise.all([ctx.api.get(query(f, 'member')), ctx.api.get(query(f, 'donor'))]);
  const slot = h('div', { id: 'explain-slot', class: 'card', tabindex: '-1', hidden: true, 'aria-live': 'polite' });
  const money = (r) => [yuan(r.medfee_sumamt), yuan(r.fund_pay_sumamt), yuan(r.own_acct_pay), yuan(r.acct_mulaid_pay), yuan(r.psn_cash_pay)];
  const chartData = monthly(donor.uses);
  return h('div', { class: 'stack' },
    h('section', { class: 'card', 'aria-labelledby': 'rec-title' }, h('h2', { id: 'rec-title' }, t('records.title')),
      h('p', {}, t('records.intro')), filters(ctx, f),
      h('h3', {}, t('records.mine')),
      mine.records.length ? table([t('records.time'), t('records.where'), t('records.medtype'), t('records.total'), t('records.fund'),
        t('records.ownacct'), t('records.aid'), t('records.cash'), ''],
      mine.records.map((r) => [r.setl_time, r.fixmedins_name, medType(r.med_type), ...money(r), explainButton(ctx, r.setl_id, slot)]))
        : h('p', { class: 'empty' }, t('records.none')),
      h('h3', {}, t('records.uses')),
      donor.uses.length ? table([t('records.time'), t('records.member'), t('records.where'), t('records.medtype'), t('records.fromme'), ''],
        donor.uses.map((u) => [u.setl_time, u.member, u.fixmedins_name, medType(u.med_type), yuan(u.from_donor_yuan), explainButton(ctx, u.setl_id, slot)]))
        : h('p', { class: 'empty' }, t('records.nouses')),
      donor.contributions.length ? [h('h3', {}, t('records.contributions')), table([t('records.member'), t('premium.year'), t('records.amount')],
        donor.contributions.map((c) => [c.member, c.year, yuan(c.amount_yuan)]))] : null,
      donor.recoveries && donor.recoveries.length ? h('div', { class: 'recoveries' }, h('h3', {}, t('records.recoveries')),
        h('p', { class: 'hint' }, t('records.recoveries.intro')),
        table([t('records.time'), t('records.setl'), t('records.member'), t('records.amount'), t('records.direction'), t('records.reason')],
          donor.recoveries.map((r) => [r.at, r.setl_id, r.donor === ctx.me.psn_no ? r.member : r.donor, yuan(r.amount_yuan),
            t(r.donor === ctx.me.psn_no ? 'records.recovered.to' : 'records.recovered.owe'), r.reason]))) : null),
    slot,
    h('section', { class: 'card', 'aria-labelledby': 'chart-title' }, h('h2', { id: 'chart-title' }, t('chart.title')),
      h('p', { class: 'hint' }, t('chart.intro')),
      chartData.months.length ? barChart(chartData, t('chart.title')) : h('p', { class: 'empty' }, t('records.nouses'))));
}

export async function settlementView(ctx, setlId) {
  try {
    return h('section', { class: 'card' }, h('h2', {}, t('settlement.title')), await explanation(ctx, setlId));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404)
      return h('section', { class: 'card' }, h('h2', {}, t('settlement.title')), h('p', { class: 'notice error', role: 'alert' }, t('settlement.notyours')));
    throw e;
  }
}

export async function statementView(ctx) {
  const year = ctx.statementYear || String(ctx.year);
  const st = await ctx.api.get(`/api/v1/statement?year=${year}`);
  const pick = h('select', { id: 'statement-year', onchange: (ev) => { ctx.statementYear = ev.target.value; ctx.refresh(); } },
    [0, 1, 2].map((d) => { const y = String(ctx.year - d); return h('option', { value: y, selected: y === year }, y); }));
  return h('section', { class: 'card statement', 'aria-labelledby': 'st-title' },
    h('h2', { id: 'st-title' }, t('statement.title', { year: st.year })),
    h('p', { class: 'print-only' }, t('nav.signedin', { name: ctx.me.name, psn: ctx.me.psn_no })),
    h('div', { class: 'no-print row' }, h('label', { for: 'statement-year' }, t('records.year')), pick,
      h('button', { type: 'button', id: 'print', onclick: () => window.print() }, t('statement.print'))),
    h('p', {}, t('statement.opening', { v: st.opening_yuan })),
    table([t('statement.at'), t('statement.kind'), t('statement.layer'), t('records.amount'), t('statement.balance')],
      st.lines.map((l) => [l.at, kindName(l.kind), t(`layer.${l.layer}`), yuan(l.amount_yuan), yuan(l.balance_yuan)])),
    h('p', { class: 'closing' }, t('statement.closing', { v: st.closing_yuan })));
}
