// metrics.js — read gongjid's /metrics (Prometheus text) for the staff live view: the count of
// settlements accepted (national-interface 2207 and 2102 calls answered ok) and refusals by code.
const SETTLE_INFNOS = new Set(['2207', '2102']);

function labels(text) {
  const out = {};
  for (const m of text.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

export function parseMetrics(text) {
  let settled = 0;
  const refusals = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^(gongji_nhsa_calls_total|gongji_refusals_total)\{([^}]*)\}\s+(\d+)/);
    if (!m) continue;
    const l = labels(m[2]), n = Number(m[3]);
    if (m[1] === 'gongji_nhsa_calls_total' && SETTLE_INFNOS.has(l.infno) && l.result === 'ok') settled += n;
    if (m[1] === 'gongji_refusals_total') refusals[l.code] = n;
  }
  return { settled, refusals };
}

// rate(prev, cur, seconds): settlements per second between two samples.
export const rate = (prev, cur, seconds) => (prev && seconds > 0 ? Math.max(0, cur.settled - prev.settled) / seconds : 0);
