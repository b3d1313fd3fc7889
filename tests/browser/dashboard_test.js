// Drives irmd's live dashboard in headless Chromium (playwright-core, /usr/bin/chromium).
//
//   node dashboard_test.js --url http://127.0.0.1:PORT/ --irm PATH --server HOST:PORT
//        --screenshot FILE.png [--state KEN --cycle 2 --step launch --expect-stage launched]
//        [--restart-file PATH]
//
// Opens the page, checks its table against `irm reviews --json`, records one workflow step
// with the real irm, and requires the row's data-stage to change within two seconds without
// a reload; then checks the pipeline, the feed, the needs charts, keyboard sorting, the
// "as of" picker and the phone layout, and keeps screenshots. With --restart-file it then
// says WAITING-FOR-RESTART on stderr, expects the page to notice the server going away, waits
// for PATH to hold the restarted irmd's gRPC address, and requires the page to reconnect by
// itself and follow a focal-point step. Prints "PASS ..." lines and exits 0, or prints
// "FAIL: why" and exits 1.
'use strict';
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

function args() {
  const out = { state: 'KEN', cycle: '2', step: 'launch', 'expect-stage': 'launched' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const need of ['url', 'irm', 'server', 'screenshot']) {
    if (!out[need]) throw new Error(`--${need} is required`);
  }
  return out;
}

function irm(opts, ...rest) {
  return execFileSync(opts.irm, ['--server', opts.server, ...rest], { encoding: 'utf8' });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log('PASS ' + message);
}

async function rowsOf(page) {
  return page.$$eval('#reviews tbody tr', trs => trs.map(tr => ({
    state: tr.dataset.state, cycle: tr.dataset.cycle, stage: tr.dataset.stage,
    cells: [...tr.cells].map(td => td.textContent.trim()),
  })));
}

// irmd stops and comes back on the same HTTP port: the page reconnects by itself, with no
// reload, and follows the next step.
async function restart(page, opts, selector) {
  const fs = require('fs');
  await page.evaluate(() => { window.__beforeRestart = true; });
  console.error('WAITING-FOR-RESTART');
  await page.waitForSelector('#connection[data-state=reconnecting]', { timeout: 20000 });
  check(true, 'the page noticed that irmd went away');
  console.error('OUTAGE-NOTICED');  // the test restarts irmd only now
  const deadline = Date.now() + 60000;
  while (!fs.existsSync(opts['restart-file']) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 100));
  }
  const server = fs.readFileSync(opts['restart-file'], 'utf8').trim();
  // EventSource retries every few seconds; on a loaded machine (the parallel suite) the
  // reconnection and the page's reload of the table can take a while: wait generously, the
  // point is that no reload or click is needed.
  const back = Date.now();
  await page.waitForSelector('#connection[data-state=live]', { timeout: 60000 });
  check(true, `the page reconnected by itself (${Date.now() - back} ms after irmd was back)`);
  irm({ ...opts, server }, 'review', 'focal-point', opts.state, '--cycle', opts.cycle, '--name', 'Ana Ruiz');
  await page.waitForFunction(sel => {
    const tr = document.querySelector(sel);
    return tr && tr.dataset.stage === 'focal_point_appointed';
  }, selector, { timeout: 2000, polling: 50 });
  check(await page.evaluate(() => window.__beforeRestart === true),
    'after the restart the row follows the next step (focal_point_appointed) without reload');
}

async function main() {
  const opts = args();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'],
  });
  const errors = [];
  try {
    // bypassCSP lets Playwright's own polling evaluate code; the page's CSP still forbids
    // anything but its inline script and same-origin requests.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page.on('pageerror', e => errors.push(e.message));
    let navigations = 0;
    page.on('framenavigated', f => { if (f === page.mainFrame()) navigations++; });
    await page.goto(opts.url);
    await page.waitForSelector('#connection[data-state=live]', { timeout: 10000 });

    // The table is `irm reviews --json`, row for row.
    const cli = irm(opts, '--json', 'reviews').trim().split('\n').map(l => JSON.parse(l));
    const rows = await rowsOf(page);
    check(rows.length === cli.length, `table has ${rows.length} rows, irm reviews has ${cli.length}`);
    const wrong = [];
    for (const r of cli) {
      const id = `${r.state}-${r.cycle}`;
      const row = rows.find(x => x.state === r.state && x.cycle === String(r.cycle));
      const reviewers = r.reviewers.length ? r.reviewers.map(c => c || '(open)').join(', ') : '-';
      if (row === undefined) wrong.push(`${id}: no row`);
      else if (row.stage !== r.stage) wrong.push(`${id}: data-stage ${row.stage}, irm says ${r.stage}`);
      else if (row.cells[1] === '' || row.cells[3] !== String(r.year)) wrong.push(`${id}: year ${row.cells[3]}`);
      else if (row.cells[5] !== reviewers) wrong.push(`${id}: reviewers ${row.cells[5]}`);
      else if (row.cells[9].includes('OVERDUE') !== r.overdue) wrong.push(`${id}: overdue ${row.cells[9]}`);
    }
    check(wrong.length === 0, `every row matches irm reviews --json (stage, year, reviewers, overdue) ${wrong.slice(0, 5).join('; ')}`);
    const pipeline = await page.$$eval('.pipeline[data-cycle="2"] li[data-stage] .n',
      ns => ns.reduce((sum, n) => sum + Number(n.dataset.count), 0));
    check(pipeline === cli.filter(r => r.cycle === 2).length, `cycle-2 pipeline counts ${pipeline} reviews`);
    await page.waitForSelector('svg.chart[data-figure=chapter]', { timeout: 5000 });
    check(true, 'needs charts drawn');
    // Issue 22: the implementation-status panel (no recommendations public yet in this log).
    await page.waitForSelector('svg.chart[data-figure=implementation-by-region]', { timeout: 5000 });
    const implementation = await page.$eval('#implementation-summary', e => e.textContent);
    check(implementation.startsWith('0 recommendations'), `implementation panel: ${implementation}`);

    // One workflow step with the real irm: the row changes in place within two seconds.
    await page.evaluate(() => { window.__sameDocument = true; });
    const selector = `#reviews tr[data-state="${opts.state}"][data-cycle="${opts.cycle}"]`;
    const before = await page.$eval(selector, tr => tr.dataset.stage);
    check(before !== opts['expect-stage'], `${opts.state}-${opts.cycle} starts at ${before}`);
    const started = Date.now();
    irm(opts, 'review', opts.step, opts.state, '--cycle', opts.cycle);
    await page.waitForFunction(([sel, stage]) => {
      const tr = document.querySelector(sel);
      return tr && tr.dataset.stage === stage;
    }, [selector, opts['expect-stage']], { timeout: 2000, polling: 50 });
    const took = Date.now() - started;
    check(took <= 2000, `data-stage became ${opts['expect-stage']} ${took} ms after irm returned`);
    check(await page.evaluate(() => window.__sameDocument === true) && navigations === 1,
      'no reload: same document, one navigation');
    await page.waitForSelector(`#feed li[data-type]`, { timeout: 2000 });
    const feedTypes = await page.$$eval('#feed li', lis => lis.map(li => li.dataset.type));
    check(feedTypes.length > 0, `feed shows ${feedTypes.length} events, newest ${feedTypes[0]}`);
    await page.screenshot({ path: opts.screenshot, fullPage: true });
    console.log('screenshot: ' + opts.screenshot);

    // Keyboard: sort by stage with Enter on the focused header button.
    await page.focus('th button[data-sort=stage]');
    await page.keyboard.press('Enter');
    const sorted = (await rowsOf(page)).map(r => r.stage);
    const order = ['scheduled', 'reviewers_drawn', 'launched', 'focal_point_appointed',
      'kickoff_held', 'checklist_submitted', 'desk_review_done', 'dialogue_held', 'draft_report',
      'summary_approved', 'completed'];
    check(sorted.every((s, i) => i === 0 || order.indexOf(sorted[i - 1]) <= order.indexOf(s)),
      'Enter on the Stage header sorts rows by stage');

    // As of a day before anything was recorded: an empty pipeline; Live brings it back.
    const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
    await page.fill('#as-of', yesterday);
    await page.dispatchEvent('#as-of', 'change');
    await page.waitForFunction(() => document.querySelectorAll('#reviews tbody tr').length === 0,
      null, { timeout: 5000 });
    check(true, `as of ${yesterday} the table is empty (nothing recorded yet)`);
    await page.click('#live');
    await page.waitForFunction(n => document.querySelectorAll('#reviews tbody tr').length === n,
      cli.length, { timeout: 5000 });
    check(true, 'Live shows every review again');

    // Phone width: rows become cards and nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      display: getComputedStyle(document.querySelector('#reviews tbody td')).display,
    }));
    check(layout.overflow <= 1 && layout.display === 'block',
      `phone width: no sideways scroll (${layout.overflow}px), cells ${layout.display}`);
    await page.screenshot({ path: opts.screenshot.replace(/\.png$/, '-phone.png'), fullPage: false });
    console.log('screenshot: ' + opts.screenshot.replace(/\.png$/, '-phone.png'));
    if (opts['restart-file']) await restart(page, opts, selector);
    check(errors.length === 0, `no script errors ${errors.join('; ')}`);
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(0), e => { console.log('FAIL: ' + e.message); process.exit(1); });
