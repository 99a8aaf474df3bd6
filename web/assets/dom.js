// dom.js — tiny helpers shared by both consoles: build elements, format money and dates,
// show a message in the page's live region (read out by screen readers).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const yuan = (v) => (v === null || v === undefined ? '—' : `¥${v}`);

// when("2025-10-10 10:00:00"): date and time that wrap only between the two (narrow tables).
export const when = (at) => String(at).split(' ').flatMap((part, i) => [i ? ' ' : null, h('span', { class: 'nb' }, part)]);

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// notice(text, kind): kind "ok" | "error" | "info"; the region has aria-live="polite".
export function notice(text, kind = 'info') {
  const region = document.getElementById('notice');
  clear(region);
  if (!text) return;
  region.append(h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null }, text));
}

// field(label, input, hint): a labelled form row; the label is tied to the input by id.
let fieldSeq = 0;
export function field(label, input, hint) {
  if (!input.id) input.id = `f${++fieldSeq}`;
  const hintEl = hint ? h('small', { id: `${input.id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl);
}

export function table(headers, rows) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}
