// Swagger UI in a real browser, the way a partner's developer first meets the API: open /swagger, click
// Authorize, paste the partner's API key, open "GET /v1/leads" (listLeads), Try it out, Execute, and read
// what comes back. Asserts what a person would see: the live 200 in the responses table, a body with the
// partner's leads, and the curl snippet with the Authorization header (and that the request really
// carried it). One line per assertion, `PASS swagger-ui: ...` or `FAIL swagger-ui: ...`; stops at the
// first failure, saves a screenshot of the page then, and exits 1.
//
//   LEADS_URL=http://127.0.0.1:5080 PARTNER_KEY=lak_... node tests/contract/browser/swagger-ui.mjs \
//     [--screenshot PATH] [--failure-screenshot PATH]
//
//   --screenshot          the executed call, 1280x900 (default artifacts/swagger-ui/swagger-ui.png)
//   --failure-screenshot  the whole page when an assertion fails (default artifacts/swagger-ui/swagger-ui-failure.png)
//   CHROMIUM              the browser (default /usr/bin/chromium, Debian's; nothing is downloaded)
//
// .ci/swagger-ui.sh starts a live service and runs this; the picture in docs/images/swagger-ui.png is
// refreshed by hand with `SWAGGER_UI_SCREENSHOT=docs/images/swagger-ui.png bash .ci/swagger-ui.sh`.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values: options } = parseArgs({
  options: {
    screenshot: { type: 'string', default: join(root, 'artifacts/swagger-ui/swagger-ui.png') },
    'failure-screenshot': { type: 'string', default: join(root, 'artifacts/swagger-ui/swagger-ui-failure.png') },
  },
});
const baseUrl = (process.env.LEADS_URL ?? '').replace(/\/+$/, '');
const partnerKey = process.env.PARTNER_KEY ?? '';
// The companies of the demo partner's leads (src/LeadsApi/Demo/DemoData.cs); the page shows the newest 50.
const demoCompanies = ['Fabrikam Ltd', 'Northwind Traders', 'Contoso Pharmaceuticals', 'Tailspin Toys', 'Litware Inc',
  'Wide World Importers', 'Adventure Works', 'Coho Winery', 'Lucerne Publishing', 'Proseware'];
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Failure extends Error {}
const shown = (path) => { const near = relative(process.cwd(), path); return near && !near.startsWith('..') ? near : path; };
const pass = (what) => console.log(`PASS swagger-ui: ${what}`);
const expect = (condition, what) => { if (!condition) throw new Failure(what); };

if (!baseUrl || !partnerKey) {
  console.log('FAIL swagger-ui: LEADS_URL and PARTNER_KEY must be set (see .ci/swagger-ui.sh)');
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), 'swagger-ui-chromium-'));
let context;
let page;
const pageErrors = [];
let exitCode = 0;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Without the background-networking flags Chromium calls home, and this machine's network refuses it.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
  context.setDefaultTimeout(15_000);
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error.message ?? error)));
  page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
  const listRequests = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === '/v1/leads') listRequests.push(request);
  });

  // 1. The page renders the document, with the list operation under its tag.
  await page.goto(`${baseUrl}/swagger`, { timeout: 30_000 });
  const operation = page.locator('#operations-Leads-listLeads');
  await operation.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
    throw new Failure('Swagger UI did not render GET /v1/leads (#operations-Leads-listLeads) within 30 s');
  });
  const title = (await page.locator('.information-container .title').first().innerText()).trim();
  const method = (await operation.locator('.opblock-summary-method').innerText()).trim();
  const path = (await operation.locator('.opblock-summary-path').innerText()).trim();
  expect(title.startsWith('LeadsApi'), `the page's title is "${title}", not LeadsApi`);
  expect(method === 'GET' && path === '/v1/leads', `the listLeads operation reads "${method} ${path}"`);
  const operations = await page.locator('.opblock').count();
  pass(`${baseUrl}/swagger renders "${title.split('\n')[0]}" with ${operations} operations, GET /v1/leads under Leads`);

  // 2. Authorize with the partner's key: the bearer scheme shows as authorized, the lock closes.
  await page.locator('.auth-wrapper button.authorize').click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  await dialog.waitFor({ state: 'visible' });
  const scheme = dialog.locator('.auth-container').filter({ has: page.locator('h4 code', { hasText: /^bearer$/ }) });
  expect(await scheme.count() === 1, 'the Authorize dialog has no "bearer" scheme');
  await scheme.locator('input#auth-bearer-value').fill(partnerKey);
  await scheme.locator('button.authorize').click();
  await scheme.getByText('Authorized', { exact: true }).waitFor({ state: 'visible' }).catch(() => {
    throw new Failure('after Authorize the dialog does not say "Authorized" for bearer');
  });
  expect(await scheme.locator('button', { hasText: 'Logout' }).isVisible(), 'the authorized bearer scheme offers no Logout');
  await scheme.locator('button.btn-done').click();
  await dialog.waitFor({ state: 'detached' });
  expect(await page.locator('.auth-wrapper button.authorize.locked').count() === 1,
    'the Authorize button does not show a closed lock after authorizing');
  pass('Authorize dialog took the partner key: bearer shows "Authorized", the dialog closed, the lock is shut');

  // 3. Open the list operation and try it out.
  await operation.locator('.opblock-summary-control').click();
  const tryItOut = operation.locator('button.try-out__btn');
  await tryItOut.waitFor({ state: 'visible' });
  await tryItOut.click();
  const execute = operation.locator('button.execute');
  await execute.waitFor({ state: 'visible' });
  pass('GET /v1/leads expanded, "Try it out" shows "Execute"');

  // 4. Execute, and read the live response as a person would.
  await execute.click();
  const live = operation.locator('.live-responses-table');
  await live.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
    throw new Failure('no "Server response" appeared within 30 s of Execute');
  });
  const status = (await live.locator('tbody .response-col_status').first().innerText()).trim();
  expect(status === '200', `the server response's code is "${status}", not 200`);
  pass('Execute: the Server response table shows code 200');

  const bodyText = await live.locator('.response-col_description pre').first().textContent();
  let body;
  try { body = JSON.parse(bodyText); } catch { throw new Failure(`the response body is not JSON: ${bodyText.slice(0, 200)}`); }
  expect(Array.isArray(body.items) && body.items.length > 0, 'the response body has no "items" array with a lead');
  const lead = body.items[0];
  expect(typeof lead.id === 'string' && uuid.test(lead.id), `the first lead's "id" is ${JSON.stringify(lead.id)}`);
  const companies = body.items.map((item) => item.customer?.companyName);
  const demo = companies.filter((name) => demoCompanies.includes(name));
  expect(demo.length > 0, `no demo company among the leads' customers: ${companies.join(', ')}`);
  expect(bodyText.includes(`"${lead.id}"`) && bodyText.includes(`"${demo[0]}"`), 'the lead is not in the text the page shows');
  pass(`response body: "items" with ${body.items.length} leads, the first "id" ${lead.id}, customers such as "${demo[0]}"`);

  // 5. The request carried the key: in the curl snippet the page shows, and on the wire.
  const curl = (await operation.locator('.curl-command .curl').first().textContent()) ?? '';
  expect(curl.includes(`Authorization: Bearer ${partnerKey}`), `the curl snippet has no "Authorization: Bearer <partner key>": ${curl}`);
  expect(/-X 'GET'/.test(curl) && curl.includes(`${baseUrl}/v1/leads`), `the curl snippet is not GET ${baseUrl}/v1/leads: ${curl}`);
  const requestUrl = (await operation.locator('.request-url pre').first().textContent())?.trim() ?? '';
  expect(requestUrl.startsWith(`${baseUrl}/v1/leads`), `the Request URL is "${requestUrl}"`);
  expect(listRequests.length === 1, `the browser sent ${listRequests.length} GET /v1/leads requests, not 1`);
  const sent = await listRequests[0].allHeaders();
  expect(sent.authorization === `Bearer ${partnerKey}`, `the request went out with Authorization "${sent.authorization ?? '(none)'}"`);
  pass('curl snippet shows -H \'Authorization: Bearer <partner key>\', and the browser sent that header');

  // 6. The picture: from the Execute button down to the response body, at 1280x900.
  await execute.evaluate((button) => {
    window.scrollTo(0, button.getBoundingClientRect().top + window.scrollY - 24);
  });
  await page.mouse.move(0, 0);
  // The picture is committed: show the key's prefix only, as a person sharing a screenshot would.
  await page.evaluate((key) => {
    for (const node of document.querySelectorAll('.curl-command code, .curl-command pre, .curl-command span')) {
      if (node.childElementCount === 0 && node.textContent.includes(key)) {
        node.textContent = node.textContent.replace(key, `${key.slice(0, 8)}…`);
      }
    }
  }, partnerKey);
  const target = resolve(options.screenshot);
  mkdirSync(dirname(target), { recursive: true });
  await page.screenshot({ path: target, animations: 'disabled', caret: 'hide' });
  pass(`screenshot of the executed call: ${shown(target)} (${Math.round(statSync(target).size / 1024)} KiB)`);
} catch (error) {
  exitCode = 1;
  console.log(`FAIL swagger-ui: ${error instanceof Failure ? error.message : `${error.name}: ${error.message.split('\n')[0]}`}`);
  if (!(error instanceof Failure)) console.error(error.stack);
  if (page) {
    const target = resolve(options['failure-screenshot']);
    try {
      mkdirSync(dirname(target), { recursive: true });
      await page.screenshot({ path: target, fullPage: true });
      console.error(`the page at the failure: ${shown(target)}`);
    } catch (screenshotError) {
      console.error(`no failure screenshot: ${screenshotError.message}`);
    }
  }
} finally {
  if (pageErrors.length) console.error(`the page logged errors:\n  ${pageErrors.join('\n  ')}`);
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
