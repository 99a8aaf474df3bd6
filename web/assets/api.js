// api.js — the only way the consoles talk to gongjid: the documented REST API (docs/api.md).
// The bearer token lives in sessionStorage under a key per console, so closing the tab signs out.
import { lang } from './i18n.js';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super((lang() === 'en' ? e.message_en : e.message_zh) || `HTTP ${status}`);
    this.status = status;
    this.code = e.code;
    this.rule = e.rule;
    this.detail = e.detail;
  }
}

export function client(storageKey) {
  const token = () => sessionStorage.getItem(storageKey);
  async function call(method, path, body, raw = false, idempotencyKey = null) {
    const headers = {};
    if (token()) headers.Authorization = `Bearer ${token()}`;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!res.ok) throw new ApiError(res.status, json);
    return raw ? text : json;
  }
  return {
    get: (p) => call('GET', p),
    getText: (p) => call('GET', p, undefined, true),   // a non-JSON answer (an SVG chart)
    post: (p, b = {}, idempotencyKey = null) => call('POST', p, b, false, idempotencyKey),
    patch: (p, b) => call('PATCH', p, b),
    setToken: (t) => (t ? sessionStorage.setItem(storageKey, t) : sessionStorage.removeItem(storageKey)),
    signedIn: () => Boolean(token()),
  };
}

// newIdempotencyKey(): 32 random hex digits for an Idempotency-Key header (docs/api.md
// "Retries"); crypto.getRandomValues works on plain http too, unlike crypto.randomUUID.
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// describe(err): a refusal as one sentence with its rule and detail, for notice().
export function describe(err) {
  if (!(err instanceof ApiError)) return String(err.message || err);
  const rule = err.rule ? ` (${err.rule})` : '';
  const detail = err.detail ? ` — ${err.detail}` : '';
  return `${err.message}${rule}${detail}`;
}
