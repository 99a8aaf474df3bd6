// server.mjs — the browser tests' harness: a fresh database (prepare.sh), a real gongjid on a
// free loopback port in demo mode with a fixed clock and prepare.sh's simulation report, Chromium through playwright-core,
// sign-in helpers that read the demo one-time code from the server log, signed national
// requests (x-tif-* as tests/http/lib.sh signs them), and screenshots into GJ_ARTIFACTS.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(`${process.env.GJ_NODE_MODULES}/`)('playwright-core');
export const NOW = '2025-10-10 10:00:00';   // inside the national collection window

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'gj-web-'));
  const env = { ...process.env, GONGJI_NOW: NOW, GONGJI_DB: join(dir, 'test.db'), GONGJI_NO_PROGRESS: '1',
    GJ_SOURCE_DIR: process.env.GJ_SOURCE_DIR || join(HERE, '../..') };
  const fixture = JSON.parse(execFileSync(join(HERE, 'prepare.sh'), [process.env.GJ_GONGJI, dir], { env }).toString());
  const proc = spawn(process.env.GJ_GONGJID, ['--db', env.GONGJI_DB, '--listen', '127.0.0.1:0', '--demo',
    '--sim_report_dir', join(dir, 'sim')], { env });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = log.match(/"detail":"(http:\/\/127\.0\.0\.1:\d+)"/);
      if (m) { clearInterval(timer); resolve(m[1]); }
    }, 50);
    proc.on('exit', (code) => { clearInterval(timer); reject(new Error(`gongjid exited ${code}: ${log}`)); });
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  return {
    base, fixture, browser,
    code: (vid) => (log.match(new RegExp(`verification_id=${vid} code=(\\d+)`)) || [])[1],
    log: () => log,
    async stop() {
      await browser.close();
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// signInPerson(srv, page, psn): through the page's sign-in form, reading the code from the log.
export async function signInPerson(srv, page, psn) {
  await page.goto(`${srv.base}/`);
  await page.getByLabel('人员编号').fill(psn);
  await page.getByLabel('身份证号').fill(srv.fixture.certs[psn]);
  const verified = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/verify'));
  await page.getByRole('button', { name: '获取验证码' }).click();
  const vid = (await (await verified).json()).verification_id;
  await page.getByLabel('验证码').fill(srv.code(vid));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { name: '我的个人账户余额' }).waitFor();
}

// settle(srv, psn, certno, serial): a signed 2207 outpatient settlement of 300 yuan, 50 fully self-paid.
export async function settle(srv, psn, certno, serial) {
  const ts = String(Math.floor(new Date(NOW.replace(' ', 'T')).getTime() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const { paasid, secret } = srv.fixture;
  const sig = createHash('sha256').update(`${ts}${secret}${nonce}${ts}`).digest('hex');
  const body = { infno: '2207', msgid: `H4301000000120251010100000${String(serial).padStart(4, '0')}`,
    mdtrtarea_admvs: '430100', insuplc_admdvs: '430100', recer_sys_code: 'FSI_LOCAL', infver: 'V1.0', opter_type: '1',
    opter: 'OP001', opter_name: '收费员', inf_time: NOW, fixmedins_code: 'H43010000001', fixmedins_name: '长沙好药房', sign_no: '',
    input: { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: certno, med_type: '11', medfee_sumamt: 300,
      psn_setlway: '01', mdtrt_id: '', chrg_bchno: '0000', insutype: '390', acct_used_flag: '1', fulamt_ownpay_amt: 50 } } };
  const res = await fetch(`${srv.base}/fsi/api/callService`, { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'x-tif-paasid': paasid, 'x-tif-timestamp': ts, 'x-tif-nonce': nonce, 'x-tif-signature': sig } });
  const out = await res.json();
  if (out.infcode !== 0) throw new Error(`2207 refused: ${JSON.stringify(out)}`);
  return out.output.setlinfo.setl_id;
}

export async function shot(page, name) {
  // two animation frames: what the test just waited for is painted (a phone-sized full-page
  // shot taken at once showed blank boxes)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: join(process.env.GJ_ARTIFACTS, `${name}.png`), fullPage: true });
}
