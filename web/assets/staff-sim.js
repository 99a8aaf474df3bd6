// staff-sim.js — the staff console's 政策模拟 screen (auditors, administrators): the last
// what-if simulation report (GET /api/v1/staff/simulation/last, docs/simulation.md) — the
// headline figures under each policy and their differences with A, what was compared (policy
// sources, verification, version ids per region), the population, the year and the git
// revision — and its chart (…/last.svg, shown as an image: fetched with the token, so no
// script in it can run). Without a report: how to produce one.
import { t } from './i18n.js';
import { h, table } from './dom.js';

const HEADLINE = ['mutual_aid_yuan', 'bills_with_mutual_aid', 'families_using_mutual_aid', 'networks', 'bindings',
  'invitations_refused', 'members_at_limit', 'donors_at_reserve_floor', 'premiums_paid_for_relatives', 'premiums_yuan',
  'cash_yuan', 'fund_yuan', 'medfee_yuan'];

const isYuan = (k) => k.endsWith('_yuan');
const money = (v) => (String(v).startsWith('-') ? `-¥${String(v).slice(1)}` : `¥${v}`);
const show = (k, v) => (v === undefined || v === null ? '—' : isYuan(k) ? money(v) : String(v));
const signed = (k, v) => `${Number(v) > 0 ? '+' : ''}${show(k, v)}`;   // differences: +¥100.00

function headline(r) {
  const labels = r.policies.map((p) => p.label), diffs = r.differences || [];
  return table([t('sim.figure'), ...labels, ...diffs.map((d) => d.label)],
    HEADLINE.map((k) => [t(`sim.m.${k}`), ...r.policies.map((p) => show(k, p.results.totals[k])),
      ...diffs.map((d) => h('span', { class: `diff diff-${d.label} sim-${k}` }, signed(k, d.results.totals[k])))]));
}

function policies(r) {
  return table([t('sim.label'), t('sim.source'), t('sim.verify'), t('sim.versions')],
    r.policies.map((p) => [p.label, h('code', {}, p.source), p.verify,
      h('ul', { class: 'plain' }, Object.entries(p.version_ids || {}).map(([region, ids]) => h('li', {}, `${region}: `, h('code', {}, ids.join(', ')))))]));
}

function facts(r) {
  const pop = r.population || {};
  return h('dl', { class: 'facts sim-facts' }, [
    ['sim.year', r.year], ['sim.revision', h('code', { id: 'sim-revision' }, r.git_revision)],
    ['sim.population', t('sim.population.line', { persons: pop.persons, families: pop.families, events: pop.events })],
    ['sim.regions', (pop.regions || []).join('、')], ['sim.popsource', h('code', {}, pop.source || '—')],
  ].flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]),
  pop.parameters ? [h('dt', {}, t('sim.parameters')), h('dd', {}, h('details', {}, h('summary', {}, t('sim.parameters.show')),
    h('pre', {}, JSON.stringify(pop.parameters, null, 2))))] : null);
}

async function chart(api) {
  const svg = await api.getText('/api/v1/staff/simulation/last.svg');
  const src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  return h('img', { src, class: 'sim-chart', alt: t('sim.chart.alt') });
}

export async function simulation(api) {
  let r;
  try { r = await api.get('/api/v1/staff/simulation/last'); } catch (e) {
    if (e.code !== 'NO_SIMULATION_REPORT') throw e;
    return h('section', { class: 'card' }, h('h2', {}, t('sim.title')), h('p', { class: 'empty' }, t('sim.none')),
      h('pre', {}, 'gongji simulate --population … --policy policies --policy new.json \\\n    --json-out <sim_report_dir>/last.json --svg <sim_report_dir>/last.svg'));
  }
  let picture;
  try { picture = await chart(api); } catch { picture = h('p', { class: 'empty' }, t('sim.chart.none')); }
  return h('div', { class: 'stack' },
    h('section', { class: 'card', 'aria-labelledby': 'sim-title' }, h('h2', { id: 'sim-title' }, t('sim.title')),
      h('p', { class: 'hint' }, t('sim.intro')), headline(r)),
    h('section', { class: 'card' }, h('h2', {}, t('sim.chart')), picture),
    h('section', { class: 'card' }, h('h2', {}, t('sim.compared')), policies(r), facts(r)));
}
