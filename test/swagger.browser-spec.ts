import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startApi, type TestApi } from './support/api.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Page script: collects every Content-Security-Policy violation the page reports. */
const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) =>
    window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
`;

describe('Swagger UI in a browser', () => {
  let api: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await startApi('todo_browser_swagger');
    for (const content of ['walk the dog', 'water the plants']) {
      await api.request('POST', '/todos', { json: { content } });
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // The flags keep Chromium from reaching for the network this machine does not have.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('lists todos through "Try it out" / "Execute" on GET /todos, within its CSP', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    // Recorded in the page from before its first script, so no violation slips by unseen.
    await page.addInitScript({ content: RECORD_CSP_VIOLATIONS });
    const docs = await page.goto(`${api.url}/docs`);
    expect(docs?.headers()['content-security-policy']).toContain("script-src 'self'");

    const operation = page.locator('.opblock-get', {
      has: page.locator('.opblock-summary-path[data-path="/todos"]'),
    });
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();

    const response = operation.locator('.live-responses-table .response').first();
    await response.locator('.response-col_status', { hasText: '200' }).waitFor();
    const body = await response.locator('.response-col_description pre').first().innerText();
    mkdirSync('.data', { recursive: true });
    await page.screenshot({ path: '.data/swagger-try-it-out.png', fullPage: true });
    expect(body).toContain('walk the dog');
    expect(body).toContain('water the plants');
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    expect(consoleErrors.filter((text) => /content security policy/i.test(text))).toEqual([]);
  });
});
