// chart.js — a grouped bar chart in SVG: mutual-aid money per member per month, one colour
// per member with a legend; the same numbers are also given as a table for screen readers.
const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#2a6fdb', '#e07a1f', '#2e9d5b', '#b03a8c', '#6b5bd6', '#8a6d1e'];
const H = 220, LEFT = 56, BOTTOM = 30, TOP = 16, GROUP_W = 80;

function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

// monthly(uses): {months: ['2025-10', …], members: [...], value(member, month)} in yuan.
export function monthly(uses) {
  const sums = new Map();
  for (const u of uses) {
    const key = `${u.member}|${u.setl_time.slice(0, 7)}`;
    sums.set(key, (sums.get(key) || 0) + Math.round(Number(u.from_donor_yuan) * 100));
  }
  const months = [...new Set(uses.map((u) => u.setl_time.slice(0, 7)))].sort();
  const members = [...new Set(uses.map((u) => u.member))].sort();
  return { months, members, value: (m, mo) => (sums.get(`${m}|${mo}`) || 0) / 100 };
}

export function barChart(data, title) {
  const { months, members, value } = data;
  const max = Math.max(1, ...months.flatMap((mo) => members.map((m) => value(m, mo))));
  const width = LEFT + Math.max(1, months.length) * GROUP_W + 20;
  const svg = s('svg', { viewBox: `0 0 ${width} ${H + 28}`, class: 'bar-chart', role: 'img', 'aria-label': title,
    style: `max-width: ${Math.max(width, 360)}px` });
  svg.append(s('title', {}, title));
  const plotH = H - BOTTOM - TOP;
  for (let i = 0; i <= 4; i++) {
    const y = TOP + plotH - (plotH * i) / 4;
    svg.append(s('line', { x1: LEFT, x2: width - 10, y1: y, y2: y, class: 'grid' }));
    svg.append(s('text', { x: LEFT - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, `¥${Math.round((max * i) / 4)}`));
  }
  const barW = Math.min(28, (GROUP_W - 16) / Math.max(1, members.length));
  months.forEach((mo, gi) => {
    const gx = LEFT + gi * GROUP_W + 8;
    members.forEach((m, mi) => {
      const v = value(m, mo), bh = (plotH * v) / max;
      const bar = s('rect', { x: gx + mi * barW, y: TOP + plotH - bh, width: barW - 2, height: bh,
        fill: COLORS[mi % COLORS.length], class: 'bar' });
      bar.append(s('title', {}, `${m} ${mo}: ¥${v.toFixed(2)}`));
      svg.append(bar);
    });
    svg.append(s('text', { x: gx + (members.length * barW) / 2, y: H - 10, class: 'axis', 'text-anchor': 'middle' }, mo));
  });
  members.forEach((m, mi) => {
    const x = LEFT + mi * 130;
    svg.append(s('rect', { x, y: H + 8, width: 12, height: 12, fill: COLORS[mi % COLORS.length] }));
    svg.append(s('text', { x: x + 16, y: H + 18, class: 'axis' }, m));
  });
  return svg;
}
