/**
 * Serves the self-hosted GraphiQL page (built by ../build.ts into ../dist) from a plain Node
 * `http` handler. Nothing on the page comes from another host.
 *
 *   const graphiql = createGraphiqlHandler({ mountPath: '/graphiql', endpoint: '/graphql' });
 *   http.createServer((req, res) => { if (graphiql(req, res)) return; ...the rest... });
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

/** Absolute path of the built page (`packages/graphiql/dist`). */
export const graphiqlDistDir: string = fileURLToPath(new URL('../dist/', import.meta.url)).replace(/[\\/]$/, '');

export interface GraphiqlHandlerOptions {
  /** where the page is served; default `/graphiql` (also answers `/graphiql/`) */
  mountPath?: string;
  /** GraphQL endpoint the page talks to; default `/graphql` (same origin) */
  endpoint?: string;
  /** shown in the page's header bar */
  title?: string;
  /** built page directory; default graphiqlDistDir */
  distDir?: string;
}

/** Returns true when it handled (answered) the request, false for paths it does not own. */
export type GraphiqlHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The page's Content-Security-Policy. Everything is 'self' except:
 * - style-src 'unsafe-inline': Monaco (and GraphiQL's Radix/framer-motion UI) inject `<style>`
 *   elements and style attributes at run time, with content that varies (theme, decorations,
 *   layout), and Monaco has no nonce support. Checked in Chromium: with `style-src 'self'` the page
 *   logs ~70 "Applying inline style violates … Content Security Policy" errors and the editors lose
 *   their styling. Inline CSS cannot run script, so this is the one relaxation we accept.
 * - font-src/img-src data:: graphiql's stylesheet embeds its fonts (Roboto, Fira Code, Monaco's
 *   codicons) and a few icons as data: URLs — still nothing from another host.
 * Not needed, so not allowed: 'unsafe-eval', 'unsafe-inline' scripts, blob: workers (the Monaco
 * workers are plain same-origin files, see src/workers.ts).
 */
export function graphiqlContentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.txt', '.svg', '.ttf']);
/** esbuild's `[name]-[hash]` (8 characters, base32) in a file name → content-addressed, cache forever. */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9.]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
  compressible: boolean;
  gzipped?: Promise<Buffer>;
}

function makeAsset(body: Buffer, ext: string, cacheControl: string): Asset {
  return {
    body,
    type: CONTENT_TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cacheControl,
    compressible: COMPRESSIBLE.has(ext) && body.length > 1024,
  };
}

function normalizeMountPath(mountPath: string): string {
  const p = mountPath.replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(p) || p.includes('//') || p.split('/').includes('..')) {
    throw new Error(`createGraphiqlHandler: invalid mountPath ${JSON.stringify(mountPath)} (expected e.g. "/graphiql")`);
  }
  return p;
}

/** JSON that is safe inside `<script type="application/json">`. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function createGraphiqlHandler(options: GraphiqlHandlerOptions = {}): GraphiqlHandler {
  const mountPath = normalizeMountPath(options.mountPath ?? '/graphiql');
  const endpoint = options.endpoint ?? '/graphql';
  const distDir = path.resolve(options.distDir ?? graphiqlDistDir);
  const indexFile = path.join(distDir, 'index.html');
  const assetsDir = path.join(distDir, 'assets');
  if (!existsSync(indexFile) || !existsSync(assetsDir) || !statSync(assetsDir).isDirectory()) {
    throw new Error(
      `@portal/graphiql: the GraphiQL page has not been built (${indexFile} is missing). ` +
        'Run `npm run build -w @portal/graphiql` (turbo runs it before `npm start` and `npm test`).',
    );
  }

  // The page may talk to another origin only if it was explicitly configured with an absolute URL.
  const connectSrc: string[] = [];
  if (/^https?:\/\//i.test(endpoint)) connectSrc.push(new URL(endpoint).origin);
  else if (!endpoint.startsWith('/')) {
    throw new Error(`createGraphiqlHandler: endpoint must be a path like "/graphql" or an absolute URL, got ${JSON.stringify(endpoint)}`);
  }
  const csp = graphiqlContentSecurityPolicy(connectSrc);

  const config = { endpoint, title: options.title ?? 'Corporate Tenant Portal API' };
  const html = readFileSync(indexFile, 'utf8')
    .replaceAll('%GRAPHIQL_BASE%', mountPath)
    .replace('%GRAPHIQL_CONFIG%', () => jsonForScript(config));
  const index = makeAsset(Buffer.from(html), '.html', 'no-cache');

  const assets = new Map<string, Asset>();
  for (const name of readdirSync(assetsDir)) {
    const file = path.join(assetsDir, name);
    if (!statSync(file).isFile()) continue;
    assets.set(name, makeAsset(readFileSync(file), path.extname(name), HASHED.test(name) ? IMMUTABLE : 'no-cache'));
  }

  const assetsPrefix = `${mountPath}/assets/`;

  return (req, res) => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);

    let asset: Asset | undefined;
    if (pathname === mountPath || pathname === `${mountPath}/`) {
      asset = index;
    } else if (pathname.startsWith(assetsPrefix)) {
      asset = assets.get(safeDecode(pathname.slice(assetsPrefix.length)) ?? '');
      if (!asset) {
        send(res, 404, 'Not Found', csp);
        return true;
      }
    } else {
      return false;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'Method Not Allowed', csp);
      return true;
    }
    serveAsset(req, res, asset, csp);
    return true;
  };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function setCommonHeaders(res: ServerResponse, csp: string): void {
  // CSP on every response: worker scripts get their policy from their own response.
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function send(res: ServerResponse, status: number, text: string, csp: string): void {
  setCommonHeaders(res, csp);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

function serveAsset(req: IncomingMessage, res: ServerResponse, asset: Asset, csp: string): void {
  setCommonHeaders(res, csp);
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Cache-Control', asset.cacheControl);
  res.setHeader('ETag', asset.etag);
  if (asset.compressible) res.setHeader('Vary', 'Accept-Encoding');

  const inm = req.headers['if-none-match'];
  const gzEtag = `${asset.etag.slice(0, -1)}-gz"`;
  if (inm && inm.split(',').some((t) => [asset.etag, gzEtag].includes(t.trim().replace(/^W\//, '')))) {
    res.statusCode = 304;
    res.end();
    return;
  }

  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (!asset.compressible || !acceptsGzip) {
    res.statusCode = 200;
    res.setHeader('Content-Length', asset.body.length);
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return;
  }
  asset.gzipped ??= gzipAsync(asset.body, { level: 9 });
  asset.gzipped.then(
    (gz) => {
      if (res.destroyed) return;
      res.statusCode = 200;
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('ETag', gzEtag);
      res.setHeader('Content-Length', gz.length);
      res.end(req.method === 'HEAD' ? undefined : gz);
    },
    () => {
      if (res.destroyed) return;
      res.statusCode = 200;
      res.setHeader('Content-Length', asset.body.length);
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    },
  );
}
