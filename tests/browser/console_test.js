// Drives irmd's console (docs/console.md) in headless Chromium (playwright-core,
// /usr/bin/chromium), as the people who use it would.
//
//   node console_test.js --url http://127.0.0.1:PORT --irm PATH --server HOST:PORT
//        --scenario secretariat|roles --tokens JSON --artefacts DIR
//
// secretariat: signs in, advances KEN cycle 2 from launch to summary issued through the
//   forms (each stage change seen on the page without a reload), sees a refused step's rule
//   in role=alert, checks `irm history` names the principal as every step's actor, the
//   session cookie's flags, a POST without the CSRF token refused, the old cookie dead after
//   /logout; screenshots of My work and the review page.
// roles: KEN's focal point records the checklist with the keyboard alone, sees no forms on
//   NGA and gets 403 for a forged POST (nothing appended); a reviewer sees only its reviews;
//   an observer and an auditor see no forms, the auditor the history and provenance; the
//   390 px phone layout.
// Prints "PASS ..." lines and exits 0, or "FAIL: why" and exits 1.
'use strict';
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const need of ['url', 'irm', 'server', 'scenario', 'tokens', 'artefacts']) {
    if (!out[need]) throw new Error(`--${need} is required`);
  }
  out.tokens = JSON.parse(out.tokens);
  return out;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log('PASS ' + message);
}

function irmJson(opts, token, ...rest) {
  const out = execFileSync(opts.irm, ['--server', opts.server, '--token', token, '--json', ...rest],
                           { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map(l => JSON.parse(l));
}

// Events in the review's stream ("nothing appended" is judged there: irmd's deadline
// recorder may append DeadlinePassed to other streams at any time).
function head(opts, state = 'KEN') {
  return irmJson(opts, opts.tokens.sec, 'read', `review-${state}-2`).length;
}

async function signIn(browser, opts, token, viewport) {
  // bypassCSP: playwright's waitForFunction evaluates strings, which the pages' CSP forbids.
  const context = await browser.newContext({
    viewport: viewport || { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(opts.url + '/login');
  await page.fill('form#login input[name=token]', token);
  await Promise.all([page.waitForURL(/\/work$/), page.click('form#login button[type=submit]')]);
  return { context, page };
}

// Submits form[data-command=NAME] (the first matching `extra` selector) with `fields`, and
// waits for the root element's data-stage to become `stage`, without a reload.
async function step(page, name, fields, stage, extra = '') {
  const form = `form[data-command="${name}"]${extra}`;
  await page.waitForSelector(form, { timeout: 10000 });
  for (const [field, value] of Object.entries(fields)) {
    await page.fill(`${form} [name="${field}"]`, value);
  }
  await page.evaluate(() => { document.getElementById('alert').textContent = ''; });
  await page.click(`${form} button[type=submit]`);
  // The answer (or a refusal) appears in role=alert; generous timeouts for a loaded machine.
  await page.waitForFunction(() => document.getElementById('alert').textContent !== '',
                             null, { timeout: 30000 });
  const answer = await page.textContent('#alert');
  if (!answer.includes('Recorded')) throw new Error(`${name} was refused: ${answer}`);
  await page.waitForFunction(s => document.documentElement.dataset.stage === s, stage,
                             { timeout: 30000 });
  const kept = await page.evaluate(() => window.__sameDocument === true);
  check(kept, `${name}: data-stage ${stage} shown without a reload`);
  await page.evaluate(() => { document.getElementById('alert').textContent = ''; });
}

async function secretariat(browser, opts) {
  const { context, page } = await signIn(browser, opts, opts.tokens.sec);
  const cookies = await context.cookies();
  const session = cookies.find(c => c.name === 'irm_session');
  check(session && session.httpOnly && session.sameSite === 'Strict',
        'the session cookie is HttpOnly and SameSite=Strict');
  check(!session.value.includes(opts.tokens.sec), 'the cookie does not hold the token');
  await page.waitForSelector('main#work tr[data-state="KEN"]');
  check(true, 'My work lists KEN cycle 2 for the secretariat');
  await page.screenshot({ path: `${opts.artefacts}/console-my-work.png`, fullPage: true });

  await page.goto(opts.url + '/reviews/KEN/2');
  await page.evaluate(() => { window.__sameDocument = true; });
  check(await page.getAttribute('html', 'data-state') === 'KEN' &&
        await page.getAttribute('html', 'data-cycle') === '2', 'the root element names the review');
  await step(page, 'launch', { on: '2016-06-01' }, 'launched');
  // A refused step: dated before the launch it follows (a rule: 409), nothing appended.
  const before = head(opts);
  await page.fill('form[data-command="focal-point"] [name=name]', 'Ana Ruiz');
  await page.fill('form[data-command="focal-point"] [name=on]', '2016-05-01');
  const [refusal] = await Promise.all([
    page.waitForResponse(r => r.url().includes('/console/reviews/KEN/2/focal-point')),
    page.click('form[data-command="focal-point"] button[type=submit]'),
  ]);
  check(refusal.status() === 409, 'a step dated before the launch answers 409');
  await page.waitForFunction(() => document.querySelector('[role=alert]').textContent.includes('before'));
  const alert = await page.textContent('[role=alert]');
  check(alert.includes('cannot be dated before'), `the rule's message is shown: ${alert.trim()}`);
  check(head(opts) === before, 'the refused step appended nothing');
  check(await page.getAttribute('html', 'data-stage') === 'launched', 'the stage did not move');
  // A draft before the dialogue, sent as a stale page would: 409 with the rule.
  const draft = await page.evaluate(async () => {
    const csrf = document.querySelector('input[name=csrf]').value;
    const r = await fetch('/console/reviews/KEN/2/draft', {
      method: 'POST', headers: { Accept: 'application/json' },
      body: new URLSearchParams({ csrf }) });
    return { status: r.status, body: await r.json() };
  });
  check(draft.status === 409 && draft.body.error.message.includes('allowed next'),
        'a draft before the dialogue is refused with the rule (409)');

  await step(page, 'focal-point', { name: 'Ana Ruiz', email: 'ana@example.org', on: '2016-06-10' },
             'focal_point_appointed');
  await step(page, 'kickoff', { checklist_due: '2016-08-15', on: '2016-07-01' }, 'kickoff_held');
  await step(page, 'checklist', { on: '2016-08-01', on_behalf_of: 'focal_point:KEN' },
             'checklist_submitted');
  await step(page, 'desk-review', { on: '2016-09-01' }, 'desk_review_done');
  await step(page, 'visit', { from: '2016-10-03', to: '2016-10-07' }, 'dialogue_held');
  await step(page, 'draft', { on: '2016-11-15' }, 'draft_report');
  for (const party of ['state', 'reviewer:UGA', 'reviewer:FRA']) {
    await step(page, 'agree', { on: '2016-12-01' }, 'draft_report',
               `:has(input[name=party][value="${party}"])`);
  }
  await step(page, 'approve-summary', { on: '2017-02-01' }, 'summary_approved');
  await step(page, 'issue-summary', { symbol: 'CAC/COSP/IRG/II/1/1/Add.3', on: '2017-03-20' },
             'completed');
  await page.waitForFunction(() => document.querySelectorAll('table.timeline tbody tr').length >= 14);
  await page.screenshot({ path: `${opts.artefacts}/console-review.png`, fullPage: true });

  const history = irmJson(opts, opts.tokens.sec, 'history', 'KEN', '--cycle', '2');
  const steps = history.filter(e => e.type !== 'ReviewScheduled' && e.type !== 'ReviewersDrawn');
  check(steps.length === 12, `12 steps recorded through the console (${steps.length})`);
  check(steps.every(e => e.actor.name === 'Sam Secretariat' && e.actor.role === 'secretariat'),
        'irm history names the signed-in secretariat as every step\'s actor');
  check(steps.filter(e => e.type === 'ReportAgreed').length === 3, 'three agreements recorded');

  // A POST without the CSRF token, from the signed-in page itself: 403.
  const forged = await page.evaluate(async () => {
    const r = await fetch('/console/reviews/KEN/2/publish', {
      method: 'POST', headers: { Accept: 'application/json' }, body: new URLSearchParams({}) });
    return r.status;
  });
  check(forged === 403, 'a POST without the CSRF token is refused (403)');
  // After sign-out the old cookie no longer opens anything.
  await page.click('header form.logout button');
  await page.waitForURL(/\/login$/);
  const replay = await browser.newContext({ bypassCSP: true });
  await replay.addCookies([{ ...session, sameSite: 'Strict' }]);
  const again = await replay.newPage();
  await again.goto(opts.url + '/work');
  check(/\/login$/.test(again.url()), 'the old cookie sends the browser to /login after /logout');
  const api = await again.evaluate(async () => (await fetch('/api/reviews')).status);
  check(api === 401, 'an anonymous /api/reviews is refused under --auth');
  await replay.close();
  await context.close();
}

async function roles(browser, opts) {
  // KEN's focal point, keyboard only.
  const ken = await signIn(browser, opts, opts.tokens.ken);
  const page = ken.page;
  await page.goto(opts.url + '/reviews/KEN/2');
  await page.evaluate(() => { window.__sameDocument = true; });
  const forms = await page.$$eval('form[data-command]', fs => fs.map(f => f.dataset.command));
  check(forms.includes('checklist') && !forms.includes('kickoff'),
        `KEN's focal point is offered the checklist (${forms.join(', ')})`);
  let reached = false;
  for (let i = 0; i < 60 && !reached; ++i) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.matches('form[data-command="checklist"] button[type=submit]');
    });
  }
  check(reached, 'Tab reaches the checklist\'s button');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline !== 'none', `the focused button shows its focus (${outline})`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.dataset.stage === 'checklist_submitted');
  check(await page.evaluate(() => window.__sameDocument === true),
        'the checklist was recorded with Tab and Enter alone, without a reload');
  const history = irmJson(opts, opts.tokens.sec, 'history', 'KEN', '--cycle', '2');
  check(history[history.length - 1].actor.name === 'Ana Ruiz',
        'the checklist records the focal point as its actor');
  const before = head(opts, 'NGA');
  await page.goto(opts.url + '/reviews/NGA/2');
  check((await page.$$('form[data-command]')).length === 0, 'KEN\'s focal point sees no forms for NGA');
  const forged = await page.evaluate(async () => {
    const csrf = document.querySelector('header input[name=csrf]').value;
    const r = await fetch('/console/reviews/NGA/2/checklist', {
      method: 'POST', headers: { Accept: 'application/json' }, body: new URLSearchParams({ csrf }) });
    return r.status;
  });
  check(forged === 403, 'a forged POST for NGA gets 403');
  check(head(opts, 'NGA') === before, 'and appends nothing');
  await ken.context.close();

  // A reviewer: only its reviews.
  const fra = await signIn(browser, opts, opts.tokens.fra);
  const rows = await fra.page.$$eval('main#work tr[data-state]', trs => trs.map(t => t.dataset.state));
  check(rows.length > 0 && rows.every(s => s === 'KEN'), `FRA's work lists only KEN (${rows})`);
  await fra.page.goto(opts.url + '/reviews/NGA/2');
  check((await fra.page.$$('form[data-command]')).length === 0, 'FRA has no forms on NGA');
  await fra.page.goto(opts.url + '/reviews/KEN/2');
  const fraForms = await fra.page.$$eval('form[data-command]', fs => fs.map(f => f.dataset.command));
  check(fraForms.includes('desk-review'), `FRA may record KEN's desk review (${fraForms})`);
  await fra.context.close();

  for (const [who, token] of [['observer', opts.tokens.obs], ['auditor', opts.tokens.aud]]) {
    const s = await signIn(browser, opts, token);
    await s.page.goto(opts.url + '/reviews/KEN/2');
    check((await s.page.$$('form[data-command]')).length === 0, `the ${who} sees no forms`);
    if (who === 'auditor') {
      const timeline = await s.page.$$('table.timeline tbody tr');
      const provenance = await s.page.$$('table.provenance tbody tr');
      check(timeline.length >= 5 && provenance.length > 0,
            `the auditor sees the history (${timeline.length}) and provenance (${provenance.length})`);
      const actor = await s.page.textContent('table.timeline tbody tr:last-child td.actor');
      check(actor.includes('Ana Ruiz'), 'the auditor sees who recorded each step');
    }
    await s.context.close();
  }

  // The phone layout: nothing wider than the screen but scrollable tables.
  const phone = await signIn(browser, opts, opts.tokens.sec, { width: 390, height: 844 });
  await phone.page.goto(opts.url + '/reviews/KEN/2');
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `the review page fits a 390 px screen (${width} px)`);
  await phone.page.screenshot({ path: `${opts.artefacts}/console-review-phone.png`, fullPage: true });
  await phone.context.close();
}

(async () => {
  const opts = args();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'],
  });
  try {
    if (opts.scenario === 'secretariat') await secretariat(browser, opts);
    else await roles(browser, opts);
    console.log('PASS all');
  } catch (e) {
    console.log('FAIL: ' + (e && e.stack || e));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
