/**
 * GraphiQL as partners use it: served by the real gateway, logging in against the real tenancy
 * subgraph, running a query over the federated graph, in Debian's Chromium with every request to
 * any other host blocked (the test fails if the page even tried one).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let stack: Stack;
let browser: Browser;
let page: Page;
const foreign: string[] = [];

beforeAll(async () => {
  stack = await startStack({ only: ['tenancy'] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1') return route.continue();
    foreign.push(route.request().url());
    return route.abort();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function editorText(selector: string): Promise<string> {
  return (await page.locator(`${selector} .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
}

describe('GraphiQL on the gateway', () => {
  it('renders offline, logs in and runs a query against the federated graph', async () => {
    const member = await stack.seed.member({ name: '株式会社グラフィカル' });
    const account = await stack.seed.account(member.id, { loginId: 'graphiql-user' });
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');

    await page.goto(`${base}/graphiql`);
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByLabel('Login ID').fill(account.loginId);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: /Log in/ }).click();
    await expect.poll(() => page.getByTestId('who').textContent(), { timeout: 15_000 }).toContain(account.loginId);

    const query = '{ me { account { loginId } member { name } } }';
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(query);
    // GraphiQL re-parses the operations after a debounce; the starter document has three, and a click
    // before the re-parse opens the operation menu instead of running the query.
    await page.waitForTimeout(700);
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => editorText('.graphiql-response'), { timeout: 15_000 }).toContain('"name": "株式会社グラフィカル"');
    await page.screenshot({ path: '/tmp/graphiql-gateway.png' });
    expect(foreign).toEqual([]);
  }, 90_000);
});
