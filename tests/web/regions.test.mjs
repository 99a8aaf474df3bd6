// regions.test.mjs — the 家庭共济池 and 共济钱包 screens in Chromium against a real gongjid
// (docs/console.md): in Fujian the network's creator opens the family pool from the keyboard,
// his wife (on a phone) sees it, contributes and sees her share and the total; a 3-decimal
// amount and one above what may move are refused in plain words and change nothing (checked
// through the API); a member is told only the creator closes, the creator closes and the money
// goes back; someone of another family sees neither the pool nor its figures. In Guangxi a
// father sends money to his son's wallet (asked for the son's ID number, a wrong one refused in
// plain words with nothing moved, an amount above his balance refused; the first answer lost on
// the way back, the confirmation repeated: paid once), the son sees it and pays his own 2026
// premium from it; a Fujian person is told the wallet is not offered in his region, in Chinese
// and in English. Screenshots in GJ_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signInPerson, shot } from './server.mjs';

const FJD = 'PF00000001', FJW = 'PF00000003', FJO = 'PF00000004', GXD = 'PG00000001', GXC = 'PG00000002';
const POOL = `/api/v1/pools/${FJD}`;
let srv;
const pages = {};

before(async () => { srv = await startServer(); });
after(async () => {
  for (const [name, p] of Object.entries(pages)) await shot(p, `zz-${name}-last`).catch(() => {});
  await srv?.stop();
});

// open(name, psn, phone): a signed-in page of its own browser context.
async function open(name, psn, phone = false) {
  const ctx = await srv.browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true }
    : { viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  await signInPerson(srv, page, psn);
  pages[name] = page;
  return page;
}

// api(page, method, path): the API with the page's own token → { status, body }.
const api = (page, method, path) => page.evaluate(async ([m, p]) => {
  const r = await fetch(p, { method: m, headers: { Authorization: `Bearer ${sessionStorage.getItem('gj-person-token')}` } });
  return { status: r.status, body: await r.json() };
}, [method, path]);

const text = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ');
const notice = (page) => page.locator('#notice .notice.ok');

test('family pool: the creator opens it from the keyboard, his wife contributes and sees her share and the total', async () => {
  const fjd = await open('pool-creator', FJD);
  await fjd.getByRole('link', { name: '家庭共济池' }).click();
  await fjd.getByRole('heading', { name: /我的家庭共济池/ }).waitFor();
  assert.match(await text(fjd.locator(`[data-pool="${FJD}"]`)), /还没有存钱/);
  await fjd.getByLabel('存入金额（元）').fill('500');
  await fjd.getByLabel('存入金额（元）').press('Enter');   // the form submits from the keyboard
  const confirm = fjd.getByRole('region', { name: '请确认' });
  assert.match(await text(confirm), /从您的个人账户划出 500\.00 元，存入“我的家庭共济池”。/);
  await fjd.keyboard.press('Enter');                       // the confirm button has the focus
  await notice(fjd).getByText('已存入 500.00 元。资金池现有 500.00 元，其中您的份额 500.00 元。').waitFor();
  assert.equal(await fjd.locator('.pool-total').innerText(), '¥500.00');
  await shot(fjd, 'pool-creator');

  const fjw = await open('pool-member-phone', FJW, true);
  await fjw.getByRole('link', { name: '家庭共济池' }).click();
  const card = fjw.locator(`[data-pool="${FJD}"]`);
  await card.getByRole('heading', { name: /傅军（PF00000001） 建立的家庭共济池/ }).waitFor();
  assert.equal(await card.locator('.pool-total').innerText(), '¥500.00');
  assert.equal(await card.locator(`[data-share="${FJD}"]`).innerText(), '¥500.00');
  await card.getByLabel('存入金额（元）').fill('300.00');
  await card.getByRole('button', { name: '下一步：确认' }).click();
  assert.match(await text(card.getByRole('region', { name: '请确认' })), /划出 300\.00 元，存入“傅军（PF00000001） 建立的家庭共济池”。/);
  await shot(fjw, 'pool-confirm-phone');
  await card.getByRole('button', { name: '确认', exact: true }).click();
  await notice(fjw).getByText('已存入 300.00 元。资金池现有 800.00 元，其中您的份额 300.00 元。').waitFor();
  const after = fjw.locator(`[data-pool="${FJD}"]`);
  assert.equal(await after.locator('.pool-total').innerText(), '¥800.00');
  assert.equal(await after.locator('.pool-myshare').innerText(), '¥300.00');
  assert.equal(await after.locator(`[data-share="${FJW}"]`).innerText(), '¥300.00');
  await after.getByText('资金池明细（2 笔）').click();
  assert.match(await text(after.locator('.pool-history')), /存入 傅妻（PF00000003） ¥300\.00/);
  await shot(fjw, 'pool-member-phone');
  const pool = await api(fjw, 'GET', POOL);
  assert.equal(pool.body.balance_yuan, '800.00');
});

test('family pool: a 3-decimal amount and one above what may move are refused in words, nothing changes', async () => {
  const fjw = pages['pool-member-phone'];
  const [poolBefore, meBefore] = [await api(fjw, 'GET', POOL), await api(fjw, 'GET', '/api/v1/me')];
  const card = fjw.locator(`[data-pool="${FJD}"]`);
  const amount = card.getByLabel('存入金额（元）');
  await amount.fill('100.001');
  await card.getByRole('button', { name: '下一步：确认' }).click();
  await card.getByRole('alert').getByText(/金额写法不对：请填写以“元”为单位的数字，最多两位小数/).waitFor();
  assert.equal(await card.getByRole('region', { name: '请确认' }).count(), 0, 'no confirmation for a bad amount');
  assert.equal(await amount.evaluate((el) => el === document.activeElement), true, 'the amount has the focus again');
  await amount.fill('5000');   // she has 2,700 yuan left, 2,000 of which must stay
  await card.getByRole('button', { name: '下一步：确认' }).click();
  await card.getByRole('button', { name: '确认', exact: true }).click();
  const refusal = card.locator('.refusal');
  await refusal.waitFor();
  assert.match(await text(refusal), /金额超过了可以划入的部分.*这次最多可以转出 700\.00 元（账户须保留 2000\.00 元）。/);
  assert.match(await text(refusal), /ABOVE_RESERVE_ONLY/);
  await shot(fjw, 'pool-refused');
  const [poolAfter, meAfter] = [await api(fjw, 'GET', POOL), await api(fjw, 'GET', '/api/v1/me')];
  assert.deepEqual(poolAfter.body, poolBefore.body, 'the pool is unchanged');
  assert.equal(meAfter.body.accounts.account_total_yuan, meBefore.body.accounts.account_total_yuan);
  assert.equal(meAfter.body.accounts.account_total_yuan, '2700.00');
});

test('family pool: only the creator closes it; the money goes back where it came from', async () => {
  const fjw = pages['pool-member-phone'];
  const card = fjw.locator(`[data-pool="${FJD}"]`);
  assert.match(await text(card), /只有建立家庭共济网的人可以注销资金池/);
  assert.equal(await card.getByRole('button', { name: /注销资金池/ }).count(), 0);
  const refused = await api(fjw, 'POST', `${POOL}/close`);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.detail, 'only the creator of the family network can close its pool');

  const fjd = pages['pool-creator'];
  await fjd.reload();
  await fjd.getByRole('button', { name: '注销资金池…' }).click();
  const confirm = fjd.getByRole('region', { name: '请确认' });
  assert.match(await text(confirm), /按来源全部退回每个出资人的个人账户/);
  await confirm.getByRole('button', { name: '确认', exact: true }).click();
  await notice(fjd).getByText('资金池已注销，剩余的钱已退回各人的个人账户。').waitFor();
  const card2 = fjd.locator(`[data-pool="${FJD}"]`);
  assert.match(await text(card2), /已注销.*资金池已于 2025-10-10 10:00:00 注销/);
  assert.equal(await card2.locator('.pool-total').count(), 0, 'a closed pool shows no figures');
  await shot(fjd, 'pool-closed');
  assert.equal((await api(fjw, 'GET', '/api/v1/me')).body.accounts.account_total_yuan, '3000.00');
  assert.equal((await api(fjd, 'GET', '/api/v1/me')).body.accounts.account_total_yuan, '2500.00');
});

test('family pool: someone of another family sees neither the pool nor its figures', async () => {
  const fjo = await open('pool-other-family', FJO);
  await fjo.getByRole('link', { name: '家庭共济池' }).click();
  await fjo.getByRole('heading', { name: /我的家庭共济池/ }).waitFor();
  assert.doesNotMatch(await text(fjo.locator('main')), /傅军|傅妻|PF00000001/);
  await fjo.goto(`${srv.base}/#/pool/${FJD}`);
  await fjo.locator('.no-pool').getByText('找不到这个资金池，或者您不是这个家庭共济网的成员。').waitFor();
  assert.doesNotMatch(await text(fjo.locator('main')), /傅军|800|500/);
  assert.equal(await fjo.locator('[data-pool]').count(), 0);
  await shot(fjo, 'pool-other-family');
  assert.equal((await api(fjo, 'GET', POOL)).status, 404);
});

test('wallet: a father sends money to his son\'s wallet; the son pays his own premium from it', async () => {
  const gxd = await open('wallet-father', GXD);
  await gxd.getByRole('link', { name: '共济钱包' }).click();
  await gxd.getByRole('heading', { name: '转钱到亲属的共济钱包' }).waitFor();
  await gxd.getByLabel('亲属的人员编号').fill(GXC);
  await gxd.getByLabel('对方是我的').selectOption('child');
  await gxd.getByLabel('转账金额（元）').fill('600');
  await gxd.getByRole('button', { name: '下一步：确认' }).click();   // the ID number is asked for
  await gxd.locator('#wallet-transfer .notice.error').getByText('请填写亲属的身份证号码。').waitFor();
  assert.equal(await gxd.evaluate(() => document.activeElement.name), 'recipient_certno');
  // a wrong ID number: told in plain words that no such person was found, nothing moved
  await gxd.getByLabel('亲属的证件号码（身份证号）').fill(srv.fixture.certs[GXD]);
  await gxd.getByRole('button', { name: '下一步：确认' }).click();
  await gxd.getByRole('button', { name: '确认', exact: true }).click();
  await gxd.locator('.refusal').getByText('没有找到这个人员编号和身份证号码对应的参保人，钱没有转出。请向亲属核对后再试。').waitFor();
  await shot(gxd, 'wallet-wrong-certno');
  assert.equal((await api(gxd, 'GET', '/api/v1/me')).body.accounts.account_total_yuan, '3000.00', 'nothing moved');
  await gxd.getByLabel('亲属的证件号码（身份证号）').fill(srv.fixture.certs[GXC]);
  await gxd.getByLabel('转账金额（元）').fill('3000.01');   // more than his 3,000 yuan
  await gxd.getByRole('button', { name: '下一步：确认' }).click();
  await gxd.getByRole('button', { name: '确认', exact: true }).click();
  await gxd.locator('.refusal').getByText(/金额超过了可以转出的部分/).waitFor();
  assert.equal((await api(gxd, 'GET', '/api/v1/me')).body.accounts.account_total_yuan, '3000.00', 'nothing moved');
  await gxd.getByLabel('转账金额（元）').fill('600');
  await gxd.getByRole('button', { name: '下一步：确认' }).click();
  const confirm = gxd.getByRole('region', { name: '请确认' });
  assert.match(await text(confirm), /转出 600\.00 元，存入 PG00000002 的共济钱包.*不会退回您的账户/);
  await shot(gxd, 'wallet-confirm');
  // The first confirmation reaches gongjid (the money moves) but its answer is lost on the way
  // back; the father confirms the same form again: a retry with the same Idempotency-Key, so
  // the 600 yuan move once (docs/api.md "Retries").
  const keys = [];
  await gxd.route('**/api/v1/wallet/transfers', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length === 1) {
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await confirm.getByRole('button', { name: '确认', exact: true }).click();
  await gxd.locator('.refusal').waitFor();
  await gxd.getByRole('button', { name: '下一步：确认' }).click();
  await confirm.getByRole('button', { name: '确认', exact: true }).click();
  await notice(gxd).getByText('已转出 600.00 元到 PG00000002 的共济钱包。').waitFor();
  await gxd.unroute('**/api/v1/wallet/transfers');
  assert.equal(keys.length, 2, 'sent twice');
  assert.match(keys[0] || '', /^[0-9a-f]{32}$/, 'an Idempotency-Key');
  assert.equal(keys[1], keys[0], 'the retry carries the same key');
  assert.match(await text(gxd.locator('main')), /我转给亲属的钱.*PG00000002 子女 ¥600\.00/);
  assert.equal((await api(gxd, 'GET', '/api/v1/me')).body.accounts.account_total_yuan, '2400.00');
  await shot(gxd, 'wallet-father');

  const gxc = await open('wallet-son-phone', GXC, true);
  await gxc.getByRole('link', { name: '共济钱包' }).click();
  await gxc.getByRole('heading', { name: '我的共济钱包' }).waitFor();
  assert.equal(await gxc.locator('#wallet-balance').innerText(), '¥600.00');
  assert.match(await text(gxc.locator('main')), /PG00000001 子女 ¥600\.00/);
  assert.equal(await gxc.getByLabel('参保年度').inputValue(), '2026');
  await gxc.getByRole('button', { name: '下一步：确认' }).click();
  const pay = gxc.getByRole('region', { name: '请确认' });
  assert.match(await text(pay), /从您的共济钱包缴纳 2026 年度的城乡居民医保保费/);
  await pay.getByRole('button', { name: '确认', exact: true }).click();
  await notice(gxc).getByText('已从共济钱包缴纳 2026 年度保费 400.00 元。').waitFor();
  assert.equal(await gxc.locator('#wallet-balance').innerText(), '¥200.00');
  await shot(gxc, 'wallet-son-phone');
  await gxc.getByRole('button', { name: '下一步：确认' }).click();
  await gxc.getByRole('button', { name: '确认', exact: true }).click();
  await gxc.locator('.refusal').getByText('这一年度的保费已经缴过了，不用再缴。').waitFor();
  assert.equal((await api(gxc, 'GET', '/api/v1/wallet')).body.balance_yuan, '200.00');
});

test('wallet: outside a wallet region the page says the region does not offer it', async () => {
  const fjd = pages['pool-creator'];
  await fjd.getByRole('link', { name: '共济钱包' }).click();
  await fjd.getByLabel('亲属的人员编号').fill('PF00000002');
  await fjd.getByLabel('亲属的证件号码（身份证号）').fill(srv.fixture.certs.PF00000002);
  await fjd.getByLabel('对方是我的').selectOption('child');
  await fjd.getByLabel('转账金额（元）').fill('1');
  await fjd.getByRole('button', { name: '下一步：确认' }).click();
  await fjd.getByRole('button', { name: '确认', exact: true }).click();
  await fjd.locator('.refusal').getByText('您或对方的参保地区没有开通共济钱包，不能转账。').waitFor();
  await fjd.getByRole('link', { name: '家庭共济池' }).click();
  await fjd.getByRole('link', { name: '共济钱包' }).click();
  await fjd.locator('.not-offered').getByText(/您的参保地区没有开通共济钱包/).waitFor();
  assert.equal(await fjd.getByRole('heading', { name: '转钱到亲属的共济钱包' }).count(), 0);
  await shot(fjd, 'wallet-not-offered');
  assert.equal((await api(fjd, 'GET', '/api/v1/me')).body.accounts.account_total_yuan, '2500.00');
  await fjd.getByRole('button', { name: 'English' }).click();   // the pages in English too
  await fjd.locator('.not-offered').getByText(/Your region does not offer the wallet/).waitFor();
  await fjd.getByRole('link', { name: 'Family pool' }).click();
  await fjd.getByRole('heading', { name: /My family pool/ }).waitFor();
  await fjd.getByText(/The pool was closed on 2025-10-10 10:00:00/).waitFor();
  await shot(fjd, 'pool-closed-en');
  await fjd.getByRole('button', { name: '中文' }).click();
});
