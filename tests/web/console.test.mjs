// console.test.mjs — the web console in Chromium against a real gongjid (docs/console.md):
// the donor signs in, creates his network, invites his 30-year-old sister (pending; a wrong ID
// number refused first in plain words) and his
// 10-year-old son (active at once); the sister accepts in a second browser context (frozen by a
// reviewer first, the invitation shows the reason and no accept button); a signed
// 2207 settles her bill; both see the record and its explanation; the donor sees the chart,
// pays the son's premium, prints the statement, and unbinds with the next-day time stated;
// staff file and approve an offline application that then shows in the donor's view; nobody
// opens another family's settlement; static files refuse path traversal; a reviewer freezes
// the sister's binding (the donor sees it frozen with the reason), unfreezes it, and recovers
// part of her settlement's mutual aid (both see it in their records). Screenshots in
// GJ_ARTIFACTS, phone-sized and desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signInPerson, settle, shot } from './server.mjs';

const DONOR = 'P0000000001', SISTER = 'P0000000008', SON = 'P0000000009', FATHER = 'P0000000007';
const NAMES = { [DONOR]: '张伟', [SISTER]: '张丽', [SON]: '张小宝', [FATHER]: '张国' };
const who = (p) => `${NAMES[p]}（${p}）`;   // family members are shown by name and number
let srv, donor, sister, setl;

before(async () => {
  srv = await startServer();
  donor = await (await srv.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  sister = await (await srv.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
  for (const p of [donor, sister]) p.setDefaultTimeout(8000);
});
after(async () => {
  if (donor) await shot(donor, 'zz-donor-last').catch(() => {});
  if (sister) await shot(sister, 'zz-sister-last').catch(() => {});
  await srv?.stop();
});

// reviewerViolations(): a reviewer signed in on the 违规处理 screen, in a browser context of its own.
async function reviewerViolations() {
  const ctx = await srv.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const staff = await ctx.newPage();
  staff.setDefaultTimeout(8000);
  await staff.goto(`${srv.base}/staff/`);
  await staff.getByLabel('操作员编号').fill('OPR');
  await staff.getByLabel('密码').fill('correct horse battery');
  await staff.getByRole('button', { name: '登录' }).click();
  await staff.getByRole('link', { name: '违规处理' }).click();
  return { ctx, staff };
}

test('static files: pages, content types, cache headers, no path traversal', async () => {
  const get = (p) => fetch(`${srv.base}${p}`);
  let r = await get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  r = await get('/assets/app.js');
  assert.match(r.headers.get('content-type'), /^text\/javascript/);
  assert.match(r.headers.get('cache-control'), /max-age=3600/);
  assert.equal((await get('/staff/')).status, 200);
  for (const p of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/assets/%2e%2e/%2e%2e/CMakeLists.txt',
    '/assets/.hidden', '/assets/', '/src/http/static.c', '/staff/../../etc/passwd'])
    assert.equal((await get(p)).status, 404, p);   // fetch keeps %2e%2e as sent
  const raw = await new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const u = new URL(srv.base);
      const s = connect(Number(u.port), u.hostname, () => s.write('GET /assets/../../CMakeLists.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let out = ''; s.on('data', (d) => { out += d; }); s.on('end', () => resolve(out));
    });
  });
  assert.match(raw, /^HTTP\/1\.1 404/);   // a literal "/../" on the wire
});

test('donor signs in, creates the network, invites an adult (pending) and a child (active)', async () => {
  await signInPerson(srv, donor, DONOR);
  await shot(donor, '01-donor-signed-in');
  await donor.getByLabel('我已阅读并同意以上承诺书').check();
  await donor.getByRole('button', { name: '建立共济网' }).click();
  await donor.getByText('家庭共济网已建立').waitFor();

  // a wrong ID number: told in plain words that no such person was found, nothing sent on
  await donor.getByLabel('亲属的人员编号').fill(SISTER);
  await donor.getByLabel('亲属的证件号码（身份证号）').fill(srv.fixture.certs[SON]);
  await donor.getByLabel('对方是我的').selectOption('sibling');
  await donor.getByRole('button', { name: '下一步：查看适用规则' }).click();
  await donor.getByRole('button', { name: '确认邀请' }).click();
  await donor.getByText('没有找到这个人员编号和证件号码对应的参保人，请向亲属核对后再试。').waitFor();
  await donor.getByLabel('亲属的证件号码（身份证号）').fill(srv.fixture.certs[SISTER]);
  await donor.getByLabel('每年消费限额（元）').fill('500');
  await donor.getByRole('button', { name: '下一步：查看适用规则' }).click();
  const rule = donor.getByRole('region', { name: '确认前请阅读：适用的规则' });
  await rule.getByText('未满 16 周岁：确认后立即生效').waitFor();
  await rule.getByText('每年最多为对方支付 500 元').waitFor();
  await shot(donor, '02-invite-rule-shown');
  await donor.getByRole('button', { name: '确认邀请' }).click();
  await donor.getByText(`邀请已发给 ${SISTER}，对方登录并确认后生效`).waitFor();

  await donor.getByLabel('亲属的人员编号').fill(SON);
  await donor.getByLabel('亲属的证件号码（身份证号）').fill(srv.fixture.certs[SON]);
  await donor.getByLabel('对方是我的').selectOption('child');
  await donor.getByRole('button', { name: '下一步：查看适用规则' }).click();
  await donor.getByRole('button', { name: '确认邀请' }).click();
  await donor.getByText(`${SON} 未满 16 周岁，共济关系已立即生效`).waitFor();
  assert.equal(await donor.locator(`article[data-binding] .badge.pending`).count(), 1);
  assert.equal(await donor.locator(`article[data-binding] .badge.active`).count(), 1);
  assert.equal(await donor.locator('svg.family-graph line.edge.pending').count(), 1);
  assert.equal(await donor.locator('svg.family-graph line.edge.active').count(), 1);
  await donor.locator('svg.family-graph text.who', { hasText: NAMES[SON] }).waitFor();   // active: named
  assert.equal(await donor.locator(`svg.family-graph text.who[data-psn="${SISTER}"]`).textContent(), SISTER);   // pending: not yet
  await shot(donor, '03-family-picture');
});

test('the relative accepts in a second browser context (phone-sized)', async () => {
  await signInPerson(srv, sister, SISTER);
  await sister.getByText(`${who(DONOR)} 邀请您加入家庭共济`).waitFor();
  await shot(sister, '04-sister-invitation-phone');
  // frozen by a reviewer meanwhile: no accept button, the reason shown (R9.2); unfrozen, it is back
  const invitation = sister.locator('article', { hasText: `${who(DONOR)} 为我出资` });
  const bid = await invitation.getAttribute('data-binding');
  const { ctx, staff } = await reviewerViolations();
  const fz = staff.locator('form[aria-labelledby="freeze-title"]');
  await fz.getByLabel('冻结对象').selectOption('binding');
  await fz.getByLabel('共济关系编号或人员编号').fill(bid);
  await fz.getByLabel('原因').fill('核实亲属关系中');
  await fz.getByRole('button', { name: '冻结', exact: true }).click();
  await fz.getByText(`已冻结共济关系 ${bid}：解冻前不再发生共济支付`).waitFor();
  await sister.reload();
  await invitation.getByText('冻结原因：核实亲属关系中').waitFor();
  assert.equal(await invitation.getByRole('button', { name: '接受邀请' }).count(), 0);
  await fz.getByLabel('原因').fill('已核实');
  await fz.getByRole('button', { name: '解冻' }).click();
  await fz.getByText(`已解冻共济关系 ${bid}，共济支付恢复`).waitFor();
  await ctx.close();
  await sister.reload();
  await sister.getByRole('button', { name: '接受邀请' }).click();
  await sister.getByText('您已接受邀请，共济关系已生效').waitFor();
  await sister.locator('article', { hasText: `${who(DONOR)} 为我出资` }).locator('.badge.active').waitFor();
  await sister.locator('svg.family-graph text.who', { hasText: `我 · ${NAMES[SISTER]}` }).waitFor();
});

test('a settlement for the relative shows with its explanation for both', async () => {
  setl = await settle(srv, SISTER, srv.fixture.certs[SISTER], 1);
  await sister.goto(`${srv.base}/#/records`);
  await sister.getByRole('heading', { name: '我的就医结算' }).waitFor();
  await sister.getByRole('button', { name: '查看说明' }).first().click();
  const ex = sister.locator(`.explain[data-setl="${setl}"]`);
  await ex.getByText('本人账户 0.00 元，家庭共济 125.00 元，现金 50.00 元').waitFor();
  await ex.getByText('为什么有 50.00 元现金').waitFor();
  await ex.getByText('全自费部分不得使用家庭共济资金').waitFor();
  await shot(sister, '05-sister-explanation-phone');

  await donor.goto(`${srv.base}/#/records`);
  await donor.getByRole('heading', { name: '家人使用了我的账户' }).waitFor();
  const row = donor.locator('tr', { hasText: SISTER });
  await row.getByText('¥125.00').waitFor();
  await row.getByRole('button', { name: '查看说明' }).click();
  await donor.locator(`.explain[data-setl="${setl}"]`).getByText(/由共济关系 B\d+ 支付 125.00 元/).waitFor();
  const bars = donor.locator('svg.bar-chart rect.bar');
  assert.equal(await bars.count(), 1);
  assert.match(await bars.first().locator('title').textContent(), new RegExp(`${SISTER} 2025-10: ¥125.00`));
  await shot(donor, '06-donor-records-chart');
});

test('filters narrow the records', async () => {
  await sister.getByLabel('就医类型').selectOption('41');
  await sister.getByRole('button', { name: '筛选', exact: true }).click();
  await sister.getByText('没有符合条件的结算。').waitFor();
});

test('violations: a reviewer freezes the sister\'s binding, the donor sees it frozen with the reason, then it is unfrozen', async () => {
  await donor.goto(`${srv.base}/#/family`);
  await donor.reload();
  const sisCard = () => donor.locator('article', { hasText: `我为兄弟姐妹 ${who(SISTER)} 出资` });
  const bid = await sisCard().getAttribute('data-binding');
  const { ctx, staff } = await reviewerViolations();
  const fz = staff.locator('form[aria-labelledby="freeze-title"]');
  await fz.getByText('解冻之前不再发生任何家庭共济支付').waitFor();
  await fz.getByText('本人能在自己的页面上看到冻结状态和您填写的原因').waitFor();
  await fz.getByLabel('冻结对象').selectOption('binding');
  await fz.getByLabel('共济关系编号或人员编号').fill(bid);
  await fz.getByRole('button', { name: '冻结', exact: true }).click();
  await fz.getByText('请填写原因，本人会看到').waitFor();   // a freeze needs a reason
  const why = '疑似冒名就医，请本人到医保窗口说明情况';
  await fz.getByLabel('原因').fill(why);
  await fz.getByRole('button', { name: '冻结', exact: true }).click();
  await fz.getByText(`已冻结共济关系 ${bid}：解冻前不再发生共济支付`).waitFor();
  await fz.locator('[data-field="kind"]', { hasText: '共济关系' }).waitFor();
  await shot(staff, '13-staff-freeze');
  await fz.getByRole('button', { name: '冻结', exact: true }).click();
  await fz.getByText('已处于冻结状态').waitFor();   // ALREADY_FROZEN in plain words

  await donor.reload();
  await sisCard().locator('.badge.frozen', { hasText: '已冻结' }).waitFor();
  await sisCard().getByText(`冻结原因：${why}`).waitFor();
  await sisCard().getByText('解冻前不会用出资人的账户支付').waitFor();
  assert.equal(await donor.locator(`svg.family-graph line.edge.frozen[data-binding="${bid}"]`).count(), 1);
  await shot(donor, '14-donor-sees-frozen');

  await fz.getByLabel('原因').fill('已核实为本人就医');
  await fz.getByRole('button', { name: '解冻' }).click();
  await fz.getByText(`已解冻共济关系 ${bid}，共济支付恢复`).waitFor();
  await donor.reload();
  await sisCard().locator('.badge').first().waitFor();
  assert.equal(await sisCard().locator('.badge.frozen').count(), 0);
  assert.equal(await donor.locator('svg.family-graph line.edge.frozen').count(), 0);
  await ctx.close();
});

test('the donor pays the son\'s premium, changes a limit, prints the statement, switches to English', async () => {
  await donor.goto(`${srv.base}/#/family`);
  const son = donor.locator('article', { hasText: `我为子女 ${who(SON)} 出资` });
  await son.locator('summary', { hasText: '为对方缴纳居民医保' }).click();
  await son.getByLabel('参保年度').fill('2026');
  await son.getByRole('button', { name: '缴纳保费' }).click();
  await donor.getByText(`已为 ${SON} 缴纳 2026 年度保费 400.00 元`).waitFor();
  const sis = donor.locator('article', { hasText: `我为兄弟姐妹 ${who(SISTER)} 出资` });
  await sis.locator('summary', { hasText: '修改用途和限额' }).click();
  await sis.getByLabel('每年消费限额（元）').fill('800');
  await sis.getByRole('button', { name: '保存修改' }).click();
  await donor.getByText('修改已保存').waitFor();
  await donor.locator('article', { hasText: SISTER }).getByText('¥800.00').waitFor();

  await donor.goto(`${srv.base}/#/statement`);
  await donor.getByRole('heading', { name: '2025 年个人账户对账单' }).waitFor();
  await donor.getByText('年末（当前）余额：4475.00 元').waitFor();
  await donor.emulateMedia({ media: 'print' });
  assert.equal(await donor.getByRole('button', { name: '打印对账单' }).isVisible(), false);
  await shot(donor, '07-statement-print');
  await donor.emulateMedia({ media: 'screen' });
  await donor.getByRole('button', { name: 'English' }).click();
  await donor.getByRole('heading', { name: 'Personal account statement 2025' }).waitFor();
  await donor.getByRole('button', { name: '中文' }).click();
});

test('unbinding states the next-day effect', async () => {
  await donor.goto(`${srv.base}/#/family`);
  const sis = donor.locator('article', { hasText: `我为兄弟姐妹 ${who(SISTER)} 出资` });
  await sis.getByRole('button', { name: '解除共济关系' }).click();
  await sis.getByText('次日 0 点停止共济').waitFor();
  await sis.getByRole('button', { name: '确认解除' }).click();
  await donor.getByText('已解除。自 2025-10-11 00:00:00 起不再共济支付').waitFor();
  await shot(donor, '08-unbound');
});

test('staff: clerk files, reviewer approves, the donor sees the binding; live view and reconciliation', async () => {
  const ctx = await srv.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const staff = await ctx.newPage();
  staff.setDefaultTimeout(8000);
  const login = async (id) => {
    await staff.goto(`${srv.base}/staff/`);
    await staff.getByLabel('操作员编号').fill(id);
    await staff.getByLabel('密码').fill('correct horse battery');
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.getByRole('heading', { name: '查询参保人' }).waitFor();
  };
  await login('OPC');
  assert.equal(await staff.getByRole('link', { name: '政策模拟' }).count(), 0);   // auditors' and administrators' screen
  await staff.getByLabel('人员编号').fill(FATHER);
  await staff.getByRole('button', { name: '查询' }).click();
  await staff.locator('.person-found').getByText('张国').waitFor();
  await staff.getByRole('link', { name: '线下申请' }).click();
  await staff.getByLabel('出资人人员编号').fill(DONOR);
  await staff.getByLabel('受助人人员编号').fill(FATHER);
  await staff.getByLabel('受助人是出资人的').selectOption('parent');
  await staff.getByLabel('已核验材料').fill('household_register:HR123');
  await staff.getByRole('button', { name: '提交申请' }).click();
  await staff.getByText('申请已提交，等待审核').waitFor();
  await staff.getByRole('button', { name: '退出' }).click();

  await login('OPR');
  await staff.getByRole('link', { name: '线下申请' }).click();
  const app = staff.locator('article[data-app]', { hasText: FATHER });
  await app.getByRole('button', { name: '拒绝' }).click();
  await staff.getByText('拒绝前请填写原因').waitFor();   // a rejection needs a reason
  await shot(staff, '09-staff-review');
  await app.getByLabel('审核意见').fill('户口簿已核验');
  await app.getByRole('button', { name: '通过' }).click();
  await staff.getByText(/申请 A\d+ 已通过/).waitFor();
  await staff.getByRole('link', { name: '实时监控' }).click();
  await staff.locator('#settle-total').getByText('1', { exact: true }).waitFor();
  await staff.locator('#refusals').getByText('NOT_FOUND').waitFor();
  await shot(staff, '10-staff-live');
  await staff.getByRole('button', { name: '退出' }).click();

  await login('OPA');
  await staff.getByRole('link', { name: '对账' }).click();
  await staff.getByLabel('定点机构编码').fill('H43010000001');
  await staff.getByLabel('开始日期').fill('2025-10-10');
  await staff.getByLabel('结束日期').fill('2025-10-10');
  await staff.getByRole('button', { name: '查询' }).click();
  await staff.locator('.total-fixmedins_setl_cnt').getByText('2').waitFor();   // the other family's and the sister's
  await shot(staff, '11-staff-recon');
  assert.equal(await staff.getByRole('link', { name: '线下申请' }).count(), 0);   // not an auditor's screen

  await staff.getByRole('link', { name: '政策模拟' }).click();   // the report prepare.sh wrote (tests/sim/tiny_report.sh)
  await staff.getByRole('heading', { name: '最近一次政策模拟' }).waitFor();
  const aid = staff.locator('tr', { hasText: '共济支付金额' });
  assert.deepEqual(await aid.locator('td').allTextContents(), ['共济支付金额', '¥100.00', '¥200.00', '+¥100.00']);
  await staff.locator('#sim-revision').waitFor();
  await staff.getByText('hunan-no-siblings.json', { exact: false }).first().waitFor();   // policy A's file
  await staff.waitForFunction(() => document.querySelector('img.sim-chart')?.naturalWidth > 0);
  await shot(staff, '11b-staff-simulation');
  await ctx.close();

  await donor.goto(`${srv.base}/#/family`);
  await donor.reload();   // the same URL: load the screen again
  await donor.locator('article', { hasText: `我为父母 ${who(FATHER)} 出资` }).locator('.badge.active').waitFor();
});

test('nobody opens another family\'s settlement', async () => {
  for (const page of [donor, sister]) {
    await page.goto(`${srv.base}/#/settlement/${srv.fixture.other_setl_id}`);
    await page.getByText('找不到这笔结算，或它不属于您和您的家庭').waitFor();
  }
  await shot(sister, '12-other-family-refused-phone');
  await donor.goto(`${srv.base}/#/settlement/${setl}`);
  await donor.getByText('家庭共济 125.00 元').waitFor();   // his own family's opens
});

test('violations: a recovery from the sister\'s settlement shows in both records', async () => {
  const { ctx, staff } = await reviewerViolations();
  const rc = staff.locator('form[aria-labelledby="recover-title"]');
  await rc.getByLabel('结算编号').fill(setl);
  await rc.getByLabel('出资人人员编号').fill(DONOR);
  await rc.getByLabel('追回金额（元）').fill('200.00');   // he paid 125.00 there
  await rc.getByLabel('原因').fill('药品被转卖');
  await rc.getByRole('button', { name: '追回' }).click();
  await rc.getByText('追回金额超过该共济人在该笔结算中支付的未追回金额').waitFor();
  await rc.getByLabel('追回金额（元）').fill('50.00');
  await rc.getByRole('button', { name: '追回' }).click();
  await rc.getByText(`已追回 50.00 元退回出资人 ${DONOR} 的账户，由 ${SISTER} 承担`).waitFor();
  await rc.locator('[data-field="recoverable_left_yuan"]', { hasText: '¥75.00' }).waitFor();
  await shot(staff, '15-staff-recovery');
  await ctx.close();

  await donor.goto(`${srv.base}/#/records`);
  const rec = donor.locator('.recoveries');
  await rec.getByRole('heading', { name: '追回的共济资金' }).waitFor();
  const row = rec.locator('tr', { hasText: setl });
  await row.getByText('¥50.00').waitFor();
  await row.getByText('退回我的账户').waitFor();
  await row.getByText('药品被转卖').waitFor();
  await shot(donor, '16-donor-records-recovery');
  await sister.goto(`${srv.base}/#/records`);
  await sister.reload();   // drop the visit-type filter set earlier
  const srow = sister.locator('.recoveries tr', { hasText: setl });
  await srow.getByText('由我承担').waitFor();
  await srow.getByText(DONOR).waitFor();   // the other party: the donor it went back to
  await shot(sister, '17-sister-records-recovery-phone');
});
