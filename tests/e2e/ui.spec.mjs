// Browser end-to-end test of the chokepoint web UI (docs/ui.md), run by
// tests/cli/ui_e2e.sh against a `chokepoint serve` it started.
//
// Debian's chromium, driven by playwright-core (never a downloaded browser):
//  1. an analyst signs in with her token, searches a name, screens a SWIFT
//     MT103 whose creditor is "AEROCARIBBEAN AIRLINES" (OFAC SDN ent_num 36,
//     data/lists/us-ofac-sdn/sdn.csv.gz: 36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA";
//     REVIEW under data/policy/default.policy), sees the decision REVIEW and
//     field 59 marked in the message text, opens the alert and proposes
//     false_positive; her own confirmation is refused (four-eyes);
//  2. a checker (another token) signs in and confirms: the alert is closed
//     and shows up in the closed queue.
// Waits are on selectors and texts only (no fixed sleeps). Any console error
// (a CSP violation, a JS exception) fails the test. On failure a screenshot
// goes to $E2E_OUT/ui-e2e-failure.png.
//
// Env: BASE_URL, ANALYST_TOKEN, CHECKER_TOKEN, E2E_OUT (dir for screenshots),
// CHROMIUM (default /usr/bin/chromium). Prints the alert id it closed as
// "closed alert N" on success; exit 0 ok, 1 failure.

import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.BASE_URL;
const ANALYST = process.env.ANALYST_TOKEN;
const CHECKER = process.env.CHECKER_TOKEN;
const OUT = process.env.E2E_OUT ?? '.';
const TIMEOUT = 30_000;

if (!BASE || !ANALYST || !CHECKER) {
  console.error('ui.spec: set BASE_URL, ANALYST_TOKEN and CHECKER_TOKEN');
  process.exit(2);
}

const MT103 = [
  '{1:F01DEUTDEFFAXXX0000000000}{2:I103COBADEFFXXXXN}{4:',
  ':20:E2E-UI-0001',
  ':23B:CRED',
  ':32A:240611EUR1200,00',
  ':50K:/DE89370400440532013000',
  'HANS MULLER',
  'KOENIGSALLEE 60',
  '40212 DUESSELDORF',
  ':57A:COBADEFF',
  ':59:/DE44500105175407324931',
  'AEROCARIBBEAN AIRLINES',
  'FRANKFURT AM MAIN',
  ':70:TRAVEL SERVICES 2024-06',
  ':71A:SHA',
  '-}',
].join('\r\n');

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

const step = (s) => console.log(`-- ${s}`);

async function signIn(page, token, who) {
  await page.locator('#token').waitFor({ state: 'visible' });
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#who-name', { hasText: who }).waitFor();
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'cp-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
  });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  // An HTTP 4xx answer the page handles (the four-eyes refusal below) is
  // logged by Chromium as a failed resource: not a problem; anything else is.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  try {
    step('sign in as analyst');
    await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
    await signIn(page, ANALYST, 'alice (analyst)');

    step('search');
    await page.locator('#s-name').fill('Aerocaribbean Airlines');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const top = page.locator('li.hit').first();
    await top.waitFor();
    check(/AEROCARIBBEAN AIRLINES/.test(await top.locator('h3').innerText()), 'top search hit is AEROCARIBBEAN AIRLINES');
    await page.locator('li.hit[data-entity="us-ofac-sdn:36"]').waitFor();
    await page.locator('li.hit .explanation li').first().waitFor();
    await page.screenshot({ path: join(OUT, 'ui-search.png'), fullPage: true });

    step('screen an MT103 that must alert');
    await page.locator('#nav a[data-page="screen"]').click();
    await page.locator('#msg').fill(MT103);
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const result = page.locator('#screen-result article.result');
    await result.waitFor();
    check(await result.getAttribute('data-decision') === 'REVIEW', 'decision REVIEW');
    const mark = page.locator('pre.message mark[data-field~="59"]');
    await mark.first().waitFor();
    check((await mark.first().innerText()).includes('AEROCARIBBEAN AIRLINES'), 'field 59 value is marked');
    check(await mark.first().getAttribute('data-action') === 'REVIEW', 'the mark is REVIEW');
    const alertLinks = result.locator('a.alert-link');
    await alertLinks.first().waitFor();
    check(await alertLinks.count() >= 1, 'at least one alert raised');
    await page.screenshot({ path: join(OUT, 'ui-screen.png'), fullPage: true });

    step('open the alert and propose false_positive');
    const alertId = (await alertLinks.first().innerText()).replace('#', '');
    await alertLinks.first().click();
    await page.locator('h1', { hasText: `Alert #${alertId}` }).waitFor();
    await page.locator('h1 .badge', { hasText: 'open' }).waitFor();
    await page.locator('#d-false_positive').check();
    await page.locator('#disp-comment').fill('creditor is a German travel agency, not the Cuban airline (e2e)');
    await page.locator('#disp-submit').click();
    await page.locator('#alert-state', { hasText: 'now pending confirmation' }).waitFor();
    await page.locator('table.history td', { hasText: 'proposal' }).waitFor();

    step('the proposer cannot confirm (four-eyes)');
    await page.locator('#d-false_positive').check();
    await page.locator('#disp-comment').fill('self confirmation must be refused');
    await page.locator('#disp-submit').click();
    await page.locator('#disp-msg', { hasText: 'four-eyes' }).waitFor();
    await page.screenshot({ path: join(OUT, 'ui-alert-pending.png'), fullPage: true });

    step('sign in as checker and confirm');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, CHECKER, 'bob (checker)');
    await page.goto(`${BASE}/#/alerts/${alertId}`);
    await page.locator('h1', { hasText: `Alert #${alertId}` }).waitFor();
    await page.locator('#alert-state', { hasText: 'alice proposed false_positive' }).waitFor();
    check(await page.locator('#d-false_positive').isChecked(), 'the proposed decision is preselected');
    await page.locator('#disp-comment').fill('agreed: different company (e2e)');
    await page.locator('#disp-submit').click();
    await page.locator('#alert-state', { hasText: 'now closed' }).waitFor();
    await page.locator('h1 .badge', { hasText: 'closed' }).waitFor();
    await page.locator('table.history td', { hasText: 'confirmation' }).waitFor();
    await page.screenshot({ path: join(OUT, 'ui-alert-closed.png'), fullPage: true });

    step('the alert is in the closed queue; the good-guy list has it');
    await page.locator('#nav a[data-page="alerts"]').click();
    await page.locator('#q-status').selectOption('closed');
    await page.locator(`table.queue tr[data-alert="${alertId}"][data-status="closed"]`).waitFor();
    step('a goods/route/rule alert shows its rule (CHPL tier 1 goods bought from Hong Kong)');
    // examples/mt103_hk_microcontrollers.fin: rule chpl_transshipment (field 70, weight 0.8) asks REVIEW.
    await page.locator('#nav a[data-page="screen"]').click();
    await page.locator('#msg').fill(readFileSync('examples/mt103_hk_microcontrollers.fin', 'utf8'));
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const ruleResult = page.locator('#screen-result article.result');
    await ruleResult.waitFor();
    const ruleLink = ruleResult.locator('a.alert-link').first();
    await ruleLink.waitFor();
    const ruleAlert = (await ruleLink.innerText()).replace('#', '');
    await ruleLink.click();
    await page.locator('h1', { hasText: `Alert #${ruleAlert}` }).waitFor();
    await page.locator('#alert-rule', { hasText: 'chpl_transshipment' }).waitFor();
    await page.locator('#alert-why li', { hasText: 'chpl_transshipment (score 0.800)' }).waitFor();
    await page.locator('#nav a[data-page="alerts"]').click();
    await page.locator('#q-status').selectOption('open');
    await page.locator(`table.queue tr[data-alert="${ruleAlert}"] td.rule`, { hasText: 'chpl_transshipment' }).waitFor();
    check((await page.locator(`table.queue tr[data-alert="${ruleAlert}"]`).innerText()).includes('(rule alert)'), 'queue names a rule alert');
    await page.screenshot({ path: join(OUT, 'ui-rule-alert.png'), fullPage: true });
    await page.locator('#nav a[data-page="suppressions"]').click();
    await page.locator('table.suppressions td', { hasText: 'AEROCARIBBEAN AIRLINES' }).first().waitFor();
    await page.locator('#nav a[data-page="lists"]').click();
    await page.locator('table.lists tr[data-list="us-ofac-sdn"]').waitFor();
    await page.screenshot({ path: join(OUT, 'ui-lists.png'), fullPage: true });

    check(problems.length === 0, `no console errors (got: ${problems.join(' | ')})`);
    console.log(`closed alert ${alertId}`);
  } catch (err) {
    console.error(`FAIL: ${err.message}`);
    if (problems.length) console.error(problems.join('\n'));
    try {
      await page.screenshot({ path: join(OUT, 'ui-e2e-failure.png'), fullPage: true });
      console.error(`screenshot: ${join(OUT, 'ui-e2e-failure.png')}`);
    } catch (e) {
      console.error(`no screenshot: ${e.message}`);
    }
    process.exitCode = 1;
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
