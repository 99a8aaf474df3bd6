// i18n.js — Chinese by default, English on request: t(key, vars) looks a phrase up in the
// dictionaries (dict-app.js, dict-staff.js register theirs), applyStatic() fills every
// [data-i18n] element, the switch button re-renders the page through the onChange hook.
const dict = {};
const listeners = [];

export function register(entries) { Object.assign(dict, entries); }
export const known = (key) => Object.hasOwn(dict, key);
// tOr(key, fallback): the phrase, or the fallback where the dictionaries have none (an unknown code).
export const tOr = (key, fallback) => (known(key) ? t(key) : fallback);
export function lang() { return localStorage.getItem('gj-lang') === 'en' ? 'en' : 'zh'; }

export function t(key, vars = {}) {
  const entry = dict[key];
  let text = entry ? entry[lang() === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, v);
  return text;
}

export function applyStatic(root = document) {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

export function onChange(fn) { listeners.push(fn); }

// installSwitch(button): the button names the other language and switches to it.
export function installSwitch(button) {
  const label = () => { button.textContent = lang() === 'en' ? '中文' : 'English'; };
  button.addEventListener('click', () => {
    localStorage.setItem('gj-lang', lang() === 'en' ? 'zh' : 'en');
    label();
    applyStatic();
    listeners.forEach((fn) => fn());
  });
  label();
}

// Words both consoles use.
register({
  'app.title': ['家庭共济', 'Family mutual aid'],
  'staff.title': ['家庭共济 · 经办端', 'Family mutual aid · agency staff'],
  'signout': ['退出', 'Sign out'],
  'loading': ['正在加载…', 'Loading…'],
  'yes': ['是', 'yes'],
  'no': ['否', 'no'],
  'status.active': ['已生效', 'active'],
  'status.pending': ['待对方确认', 'waiting for acceptance'],
  'status.ended': ['已解除', 'ended'],
  'status.rejected': ['已拒绝', 'declined'],
  'status.submitted': ['待审核', 'waiting for review'],
  'status.approved': ['已通过', 'approved'],
  'mode.payment': ['就医购药', 'medical bills'],
  'mode.contribution': ['代缴保费', 'premiums'],
  'layer.current': ['当年账户', 'this year'],
  'layer.prior': ['历年账户', 'earlier years'],
  'layer.card': ['卡内余额', 'on the card'],
  'layer.total': ['合计', 'total'],
  'medtype.11': ['普通门诊', 'outpatient'],
  'medtype.14': ['门诊慢特病', 'chronic outpatient'],
  'medtype.21': ['住院', 'inpatient'],
  'medtype.41': ['药店购药', 'pharmacy'],
  'any': ['全部', 'all'],
  'relation.spouse': ['配偶', 'spouse'],
  'relation.parent': ['父母', 'parent'],
  'relation.child': ['子女', 'child'],
  'relation.sibling': ['兄弟姐妹', 'sibling'],
  'relation.grandparent_paternal': ['祖父母', 'paternal grandparent'],
  'relation.grandparent_maternal': ['外祖父母', 'maternal grandparent'],
  'relation.grandchild_paternal': ['孙子女', 'paternal grandchild'],
  'relation.grandchild_maternal': ['外孙子女', 'maternal grandchild'],
  'skip': ['跳到正文', 'Skip to the content'],
});
