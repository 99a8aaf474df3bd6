// family-graph.js — the family network as an SVG picture: one box per person, an arrow from
// each donor to each member they fund, labelled with the relation, the modes and the limit;
// solid green when active, dashed orange while waiting for acceptance, grey once ended;
// temporary members are marked. The caller's own box is highlighted. People are shown by
// name where the answer carries one (donor_name / member_name), else by person number.
import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const BOX_W = 150, BOX_H = 52, COL_W = 240, ROW_H = 170, PAD = 24;
const LABEL_AT = 0.7;   // labels sit near the member, so two edges from one donor do not overlap

function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

// Unique bindings from the network answer (as donor, as member, the networks' members).
export function allBindings(net) {
  const seen = new Map();
  for (const b of [...net.as_donor, ...net.as_member, ...net.network_members]) seen.set(b.binding_id, b);
  return [...seen.values()];
}

// Person number → name, from the names the network answer gives (only family members').
export function names(bindings) {
  const known = new Map();
  for (const b of bindings) {
    if (b.donor_name) known.set(b.donor, b.donor_name);
    if (b.member_name) known.set(b.member, b.member_name);
  }
  return known;
}

// "张伟（P0000000008）", or the number alone when the name is not known.
export function personLabel(known, psn) {
  return known.has(psn) ? `${known.get(psn)}（${psn}）` : psn;
}

// Level 0: people who fund others and are funded by nobody here; members one below their donor.
function levels(me, bindings) {
  const level = new Map([[me, 0]]);
  for (const b of bindings) { level.set(b.donor, 0); level.set(b.member, 0); }
  for (let pass = 0; pass < 4; pass++)
    for (const b of bindings) level.set(b.member, Math.max(level.get(b.member), level.get(b.donor) + 1));
  return level;
}

function edgeLabel(b) {
  const modes = b.modes.map((m) => t(`mode.${m}`)).join('·');
  const limit = b.limit_yuan ? ` ${t('graph.limit')}¥${b.limit_yuan}` : '';
  return [`${t(`relation.${b.relation}`)} · ${t(`status.${b.status}`)}${b.temporary ? ` · ${t('graph.temporary')}` : ''}`,
    `${modes}${limit}`];
}

export function familyGraph(me, net) {
  const bindings = allBindings(net);
  const level = levels(me, bindings), known = names(bindings);
  const rows = [];
  for (const [p, l] of level) (rows[l] ||= []).push(p);
  const width = Math.max(...rows.map((r) => (r ? r.length : 0))) * COL_W + PAD * 2;
  const height = (rows.length - 1) * ROW_H + BOX_H + PAD * 2;
  const pos = new Map();
  rows.forEach((r, l) => (r || []).forEach((p, i) => {
    const x = PAD + (width - PAD * 2 - r.length * COL_W) / 2 + i * COL_W + (COL_W - BOX_W) / 2;
    pos.set(p, { x, y: PAD + l * ROW_H });
  }));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'family-graph', role: 'img', style: `max-width: ${width}px`,
    'aria-label': t('graph.aria', { n: bindings.length }) });
  svg.append(s('defs', {}), s('title', {}, t('graph.aria', { n: bindings.length })));
  svg.firstChild.append(...['active', 'pending', 'ended'].map((k) => {
    const m = s('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto' });
    m.append(s('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrow ${k}` }));
    return m;
  }));
  for (const b of bindings) {
    const a = pos.get(b.donor), z = pos.get(b.member);
    const kind = b.status === 'active' ? 'active' : b.status === 'pending' ? 'pending' : 'ended';
    const x1 = a.x + BOX_W / 2, y1 = a.y + BOX_H, x2 = z.x + BOX_W / 2, y2 = z.y;
    svg.append(s('line', { x1, y1, x2, y2, class: `edge ${kind}`, 'marker-end': `url(#arrow-${kind})`, 'data-binding': b.binding_id }));
    const [l1, l2] = edgeLabel(b);
    const mx = x1 + (x2 - x1) * LABEL_AT, my = y1 + (y2 - y1) * LABEL_AT - 14;
    svg.append(s('rect', { x: mx - 78, y: my - 20, width: 156, height: 38, rx: 6, class: 'edge-label-bg' }));
    svg.append(s('text', { x: mx, y: my - 4, class: 'edge-label' }, l1), s('text', { x: mx, y: my + 12, class: 'edge-label small' }, l2));
  }
  for (const [p, { x, y }] of pos) {
    const g = s('g', { class: p === me ? 'person me' : 'person' });
    const name = known.get(p);
    g.append(s('title', {}, personLabel(known, p)), s('rect', { x, y, width: BOX_W, height: BOX_H, rx: 10 }));
    g.append(s('text', { x: x + BOX_W / 2, y: y + 22, class: 'who', 'data-psn': p },
      p === me ? (name ? `${t('graph.me')} · ${name}` : t('graph.me')) : name || p));
    g.append(s('text', { x: x + BOX_W / 2, y: y + 40, class: 'role small' },
      bindings.some((b) => b.donor === p) ? t('graph.donor') : t('graph.member')));
    svg.append(g);
  }
  return svg;
}
