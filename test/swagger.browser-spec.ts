import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startApi, type TestApi } from './support/api.js';
import { freshEmail, PASSWORD, signIn } from './support/auth.js';
import { launchChromium } from './support/browser.js';

/** Page script: collects every Content-Security-Policy violation the page reports. */
const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) =>
    window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
`;

describe('Swagger UI in a browser', () => {
  let api: TestApi;
  let browser: Browser;
  const email = freshEmail('swagger');

  beforeAll(async () => {
    api = await startApi('todo_browser_swagger');
    const token = await signIn(api.url, email);
    for (const content of ['walk the dog', 'water the plants']) {
      await api.request('POST', '/todos', { json: { content }, token });
    }
    // Someone else's todo, which the page must not show.
    await api.request('POST', '/todos', { json: { content: 'not yours' } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('logs in, authorizes with the token, and lists the caller\'s todos through "Try it out", within its CSP', async () => {
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

    // Log in through the page: "Try it out" on POST /auth/login with the account's credentials.
    const login = page.locator('.opblock-post', {
      has: page.locator('.opblock-summary-path[data-path="/auth/login"]'),
    });
    await login.locator('.opblock-summary').click();
    await login.getByRole('button', { name: 'Try it out' }).click();
    await login
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ email, password: PASSWORD }));
    await login.getByRole('button', { name: 'Execute' }).click();
    const session = login.locator('.live-responses-table .response').first();
    await session.locator('.response-col_status', { hasText: '200' }).waitFor();
    const token = (
      JSON.parse(await session.locator('.response-col_description pre').first().innerText()) as {
        token: string;
      }
    ).token;
    expect(token).toMatch(/^tdo_s_/);

    // "Authorize": the bearer scheme's dialog takes the token.
    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').first().fill(token);
    // Swagger UI labels its buttons for screen readers ("Apply credentials"): found by class.
    await dialog.locator('button.modal-btn.authorize').click();
    await dialog.locator('button.modal-btn.btn-done').click();

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
    expect(body).not.toContain('not yours');
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    expect(consoleErrors.filter((text) => /content security policy/i.test(text))).toEqual([]);
  });
});
