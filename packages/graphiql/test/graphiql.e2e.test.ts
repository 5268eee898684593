/**
 * Real-browser test of the self-hosted GraphiQL page: node:http + createGraphiqlHandler + a real
 * Apollo Server, Debian's Chromium through playwright-core, every non-127.0.0.1 request blocked
 * (and the test fails if the page even tried one).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraphiql } from '../build.ts';
import { createGraphiqlHandler, graphiqlDistDir } from '../src/index.ts';
import { LOGIN_MUTATION, STARTER_DOCUMENT } from '../src/operations.ts';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const LOGIN_ID = 'acme-admin';
const PASSWORD = 'correct horse battery';

/** Build dist/ when it is missing or older than the sources (so a clean clone works too). */
async function ensureBuilt(): Promise<void> {
  const manifest = path.join(graphiqlDistDir, 'manifest.json');
  if (existsSync(manifest)) {
    const builtAt = statSync(manifest).mtimeMs;
    const sources = [
      path.join(packageDir, 'build.ts'),
      ...readdirSync(path.join(packageDir, 'src')).map((f) => path.join(packageDir, 'src', f)),
    ];
    if (sources.every((f) => statSync(f).mtimeMs <= builtAt)) return;
  }
  await buildGraphiql();
}

// ---- a tiny API with the login mutation the page expects and a `me` that needs the token ----
const typeDefs = /* GraphQL */ `
  input LoginInput { loginId: String!, password: String! }
  type UserError { code: String!, message: String!, messageJa: String! }
  type LoginPayload { token: String, userErrors: [UserError!]! }
  type Account { loginId: String! }
  # \`loginId\` as the task's query asks; \`account.loginId\` as the gateway has it (the page's WHO_AM_I_QUERY)
  type Me { loginId: String!, account: Account! }
  type LogoutPayload { ok: Boolean! }
  type Query { me: Me! }
  type Mutation { login(input: LoginInput!): LoginPayload!, logout: LogoutPayload! }
`;
interface Ctx { loginId: string | null; token: string | null }
const sessions = new Map<string, string>();
const resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: Ctx) => {
      if (!ctx.loginId) throw new GraphQLError('ログインしてください / not logged in', { extensions: { code: 'UNAUTHENTICATED' } });
      return { loginId: ctx.loginId, account: { loginId: ctx.loginId } };
    },
  },
  Mutation: {
    login: (_: unknown, { input }: { input: { loginId: string; password: string } }) => {
      if (input.loginId !== LOGIN_ID || input.password !== PASSWORD) {
        return { token: null, userErrors: [{ code: 'INVALID_CREDENTIALS', message: 'The login ID or password is wrong.', messageJa: 'ログインIDまたはパスワードが違います。' }] };
      }
      const token = randomBytes(24).toString('base64url');
      sessions.set(token, input.loginId);
      return { token, userErrors: [] };
    },
    logout: (_: unknown, __: unknown, ctx: Ctx) => {
      if (!ctx.token || !sessions.delete(ctx.token)) throw new GraphQLError('not logged in', { extensions: { code: 'UNAUTHENTICATED' } });
      return { ok: true };
    },
  },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let server: Server;
let apollo: ApolloServer<Ctx>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
const foreignRequests: string[] = [];
const consoleProblems: string[] = [];
const workerUrls: string[] = [];
const authHeadersSeen: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
  const graphiql = createGraphiqlHandler({ mountPath: '/graphiql', endpoint: '/graphql' });

  apollo = new ApolloServer<Ctx>({ typeDefs, resolvers, plugins: [ApolloServerPluginLandingPageDisabled()] });
  await apollo.start();

  server = createServer((req, res) => {
    if (graphiql(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/graphql') {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    void (async () => {
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      const raw = await readBody(req);
      const auth = headers.get('authorization') ?? '';
      if (auth) authHeadersSeen.push(auth);
      const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: (req.method ?? 'GET').toUpperCase(),
          headers,
          search: url.search,
          body: raw && /json/.test(headers.get('content-type') ?? '') ? JSON.parse(raw) : raw,
        },
        context: async () => ({ loginId: (token && sessions.get(token)) || null, token: token ?? null }),
      });
      for (const [k, v] of result.headers) res.setHeader(k, v);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'ja-JP' });
  // Block (and record) everything not addressed to our server — pages and their workers alike.
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1') {
      foreignRequests.push(url.href);
      await route.abort('blockedbyclient');
      return;
    }
    await route.continue();
  });
  context.on('request', (r) => {
    const url = new URL(r.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '127.0.0.1') {
      foreignRequests.push(url.href);
    }
  });
  page = await context.newPage();
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(text)) consoleProblems.push(`${m.type()}: ${text}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
  page.on('worker', (w) => workerUrls.push(w.url()));
  context.on('requestfinished', (r) => {
    if (/\.ttf$/.test(new URL(r.url()).pathname)) fontRequests.push(r.url());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await apollo?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Text of a Monaco editor inside the element matching `selector`, normalised. */
async function editorText(selector: string): Promise<string> {
  return (await page.locator(`${selector} .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
}

async function apiLogin(): Promise<string> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: LOGIN_MUTATION, variables: { loginId: LOGIN_ID, password: PASSWORD } }),
  });
  const body = (await res.json()) as { data: { login: { token: string } } };
  return body.data.login.token;
}

async function typeIntoEditor(selector: string, text: string): Promise<void> {
  await page.locator(selector).first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText: one input event, so Monaco's bracket auto-closing does not double the braces.
  await page.keyboard.insertText(text);
  // GraphiQL re-parses the document's operations after a debounce; the starter document has three,
  // and an execute click before the re-parse opens the operation menu instead of running.
  await page.waitForTimeout(700);
}

const fontRequests: string[] = [];

describe('self-hosted GraphiQL page', () => {
  it('refuses to start without a built dist/', () => {
    expect(() => createGraphiqlHandler({ distDir: path.join(packageDir, 'no-such-dist') })).toThrow(
      /has not been built.*npm run build -w @portal\/graphiql/,
    );
  });

  it('serves index.html and assets with the right headers, and nothing it does not own', async () => {
    for (const p of ['/graphiql', '/graphiql/', '/graphiql?query=%7B%7D']) {
      const res = await fetch(baseUrl + p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
      const html = await res.text();
      expect(html).toContain('"endpoint":"/graphql"');
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toContain('%GRAPHIQL_');
    }
    const html = await (await fetch(`${baseUrl}/graphiql`)).text();
    const js = /src="(\/graphiql\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const css = /href="(\/graphiql\/assets\/app-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    expect(js).toBeTruthy();
    expect(css).toBeTruthy();
    const jsRes = await fetch(baseUrl + js);
    expect(jsRes.status).toBe(200);
    expect(jsRes.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(jsRes.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const cssRes = await fetch(baseUrl + css, { headers: { 'accept-encoding': 'identity' } });
    expect(cssRes.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = cssRes.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(baseUrl + css, { headers: { 'if-none-match': etag ?? '', 'accept-encoding': 'identity' } });
    expect(again.status).toBe(304);

    expect((await fetch(`${baseUrl}/graphiql/assets/nope-ABCDEFGH.js`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/graphiql/assets/..%2Findex.html`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/graphiql`, { method: 'POST' })).status).toBe(405);
    // not ours: falls through to the next handler
    expect((await fetch(`${baseUrl}/graphiqlx`)).status).toBe(404);
    expect(await (await fetch(`${baseUrl}/graphiqlx`)).text()).toBe('not found');
  });

  it('logs in through the form and runs { me { loginId } } in the editor, loading nothing from elsewhere', async () => {
    await page.goto(`${baseUrl}/graphiql`);
    await page.locator('.graphiql-container').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ state: 'visible', timeout: 30_000 });

    // wrong password → the userErrors message is shown, no session
    await page.getByLabel('Login ID').fill(LOGIN_ID);
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: /Log in/ }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('INVALID_CREDENTIALS');
    // both languages, Japanese first, as every user-facing error
    expect(await page.getByTestId('login-error').textContent()).toBe('ログインIDまたはパスワードが違います。 / The login ID or password is wrong. (INVALID_CREDENTIALS)');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: /Log in/ }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain(LOGIN_ID);

    const storage = await page.evaluate(() => ({
      session: JSON.stringify(Object.fromEntries(Object.entries(sessionStorage))),
      local: JSON.stringify(Object.fromEntries(Object.entries(localStorage))),
    }));
    const token = [...sessions.keys()].at(-1) ?? '';
    expect(token).not.toBe('');
    expect(storage.session).toContain(token);
    expect(storage.local).not.toContain(token);

    await typeIntoEditor('.graphiql-query-editor .monaco-editor', '{ me { loginId } }');
    await expect.poll(() => editorText('.graphiql-query-editor')).toBe('{ me { loginId } }');
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => editorText('.graphiql-response'), { timeout: 15_000 })
      .toContain(`"loginId": "${LOGIN_ID}"`);
    expect(authHeadersSeen).toContain(`Bearer ${token}`);

    // Monaco's language workers really run, from our own files.
    await expect.poll(() => workerUrls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    for (const w of workerUrls) expect(w).toMatch(new RegExp(`^${baseUrl}/graphiql/assets/(editor|json|graphql)\\.worker-[A-Z0-9]+\\.js$`));

    await page.mouse.move(1300, 700); // away from the editor, so Monaco's scrollbars fade as usual
    await page.waitForTimeout(1000);
    await page.screenshot({ path: '/tmp/graphiql.png' });

    expect(foreignRequests).toEqual([]);
    // includes CSP violations ("Refused to …", "… violates the following Content Security Policy …")
    expect(consoleProblems).toEqual([]);
  });

  it('logs out (revoking the session), accepts a pasted token, and lets GraphiQL\'s headers editor set Authorization', async () => {
    const token = [...sessions.keys()].at(-1) ?? '';
    await page.getByTestId('logout').click();
    await page.getByLabel('Login ID').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await expect.poll(() => sessions.has(token)).toBe(false); // LOGOUT_MUTATION reached the server

    // without a token, `me` is refused
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => editorText('.graphiql-response'), { timeout: 15_000 }).toContain('UNAUTHENTICATED');

    await page.screenshot({ path: '/tmp/graphiql-logged-out.png' });

    // paste a token: the bar finds out whose it is
    const pasted = await apiLogin();
    await page.getByRole('textbox', { name: 'Token' }).fill(`Bearer ${pasted}`);
    await page.getByRole('button', { name: /Use/ }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain(LOGIN_ID);
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => editorText('.graphiql-response'), { timeout: 15_000 })
      .toContain(`"loginId": "${LOGIN_ID}"`);
    await page.getByTestId('logout').click();
    await expect.poll(() => sessions.has(pasted)).toBe(false);

    // GraphiQL's own headers editor
    const headerToken = await apiLogin();
    await page.getByRole('button', { name: 'Headers' }).click();
    await typeIntoEditor('.graphiql-editor-tool .monaco-editor[data-uri$="headers.json"]', `{"Authorization": "Bearer ${headerToken}"}`);
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => editorText('.graphiql-response'), { timeout: 15_000 })
      .toContain(`"loginId": "${LOGIN_ID}"`);

    expect(foreignRequests).toEqual([]);
    // includes CSP violations ("Refused to …", "… violates the following Content Security Policy …")
    expect(consoleProblems).toEqual([]);
  });

  it('opens on the starter document and renders Japanese with the Noto Sans JP it serves (no CJK font needed on the machine)', async () => {
    // a first visit: a new browser context, nothing in GraphiQL's storage; other hosts blocked as above
    const firstVisit = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'ja-JP' });
    await firstVisit.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1') {
        foreignRequests.push(url.href);
        await route.abort('blockedbyclient');
        return;
      }
      await route.continue();
    });
    firstVisit.on('requestfinished', (r) => {
      if (/\.ttf$/.test(new URL(r.url()).pathname)) fontRequests.push(r.url());
    });
    const fresh = await firstVisit.newPage();
    fresh.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
    fresh.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    await fresh.goto(`${baseUrl}/graphiql`);
    await fresh.locator('.graphiql-query-editor .monaco-editor').waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await fresh.locator('.graphiql-query-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    expect(text).toContain('# 法人WEBシステム API / Corporate Tenant Portal API');
    expect(text).toContain('mutation Login {');
    expect(text).not.toContain('Welcome to GraphiQL');
    expect(STARTER_DOCUMENT).toMatch(/query Me \{[\s\S]*query CurrentInvoice \{[\s\S]*currentInvoice/);

    // The font is ours, from our origin, and it is what draws Japanese in the bar and the editors.
    const faces = await fresh.evaluate(async () => {
      const loaded = await Promise.all(['16px "Noto Sans JP"', '16px Roboto', '14px "Fira Code"'].map((f) => document.fonts.load(f, '請求明細')));
      return loaded.map((list) => list.map((face) => `${face.family}|${face.status}`));
    });
    expect(faces.map((list) => list.map((f) => f.replace(/"/g, '')))).toEqual([['Noto Sans JP|loaded'], ['Roboto|loaded'], ['Fira Code|loaded']]);
    await expect.poll(() => fontRequests.length).toBeGreaterThanOrEqual(1);
    for (const url of fontRequests) expect(url).toMatch(new RegExp(`^${baseUrl}/graphiql/assets/NotoSansJP_400Regular-[A-Z0-9]+\\.ttf$`));
    // Latin text keeps GraphiQL's own fonts: the Japanese face only covers Japanese code points
    const latin = await fresh.evaluate(async () => (await document.fonts.load('16px "Noto Sans JP"', 'Invoice')).length);
    expect(latin).toBe(0);

    await fresh.getByLabel('Login ID').fill('nobody');
    await fresh.getByLabel('Password').fill('wrong');
    await fresh.getByRole('button', { name: /Log in/ }).click();
    await expect.poll(() => fresh.getByTestId('login-error').textContent()).toContain('ログインIDまたはパスワードが違います');
    await fresh.mouse.move(1300, 700);
    await fresh.waitForTimeout(1000);
    await fresh.screenshot({ path: '/tmp/graphiql-starter.png' });
    await firstVisit.close();
    expect(foreignRequests).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
