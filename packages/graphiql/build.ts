/**
 * Builds the self-hosted GraphiQL page into `dist/` (no CDN: every byte the page loads is served
 * by our own handler, see src/index.ts).
 *
 * Output:
 *   dist/index.html          template: `%GRAPHIQL_BASE%` and `%GRAPHIQL_CONFIG%` are filled in by the handler
 *   dist/assets/*            hashed JS/CSS/fonts (immutable) — app entry, lazy chunks, Monaco workers
 *   dist/manifest.json       what was built (for debugging)
 *
 * Two esbuild passes: first the three Monaco web workers (editor, json, graphql) as separate IIFE
 * entry points (classic workers: `new Worker(url)`), then the React app as ESM with code splitting,
 * which learns the workers' hashed file names through `define`.
 *
 * Run with `npm run build -w @portal/graphiql` (tsx build.ts) or import `buildGraphiql()`.
 */
import { mkdir, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const packageDir = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Browsers we target: current evergreen ones (Monaco 0.52 needs them anyway). */
const TARGET = ['es2022', 'chrome120', 'firefox121', 'safari17', 'edge120'];

const WORKERS = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
} as const;

export interface BuildResult {
  distDir: string;
  /** file names (relative to dist/assets) of the page's entry JS and CSS and the workers */
  manifest: { js: string; css: string[]; workers: Record<keyof typeof WORKERS, string>; fonts: string[] };
  ms: number;
}

export interface BuildOptions {
  /** output directory; default `<package>/dist` */
  outDir?: string;
  /** print a one-line summary (default: false) */
  log?: boolean;
}

function resolveFromGraphiql(specifier: string): string {
  // monaco-editor / monaco-graphql are dependencies of @graphiql/react: resolve them from there,
  // so we bundle exactly the versions GraphiQL was built against.
  const reactPkg = require.resolve('@graphiql/react/package.json', {
    paths: [path.dirname(require.resolve('graphiql/package.json'))],
  });
  return require.resolve(specifier, { paths: [path.dirname(reactPkg)] });
}

const common: esbuild.BuildOptions = {
  bundle: true,
  minify: true,
  target: TARGET,
  platform: 'browser',
  logLevel: 'warning',
  legalComments: 'linked',
  sourcemap: false,
  charset: 'utf8',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
  assetNames: '[name]-[hash]',
  write: true,
};

export async function buildGraphiql(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const distDir = path.resolve(options.outDir ?? path.join(packageDir, 'dist'));
  // Build into a sibling temp dir and swap it in, so a concurrent reader never sees half a build.
  const tmpDir = `${distDir}.tmp-${process.pid}-${Date.now()}`;
  const assetsDir = path.join(tmpDir, 'assets');
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(assetsDir, { recursive: true });

  try {
    // 1. Monaco workers.
    const workerResult = await esbuild.build({
      ...common,
      entryPoints: Object.entries(WORKERS).map(([name, spec]) => ({
        in: resolveFromGraphiql(spec),
        out: `${name}.worker`,
      })),
      format: 'iife',
      outdir: assetsDir,
      entryNames: '[name]-[hash]',
      metafile: true,
    });
    const workers = {} as Record<keyof typeof WORKERS, string>;
    for (const [file, out] of Object.entries(workerResult.metafile.outputs)) {
      if (!out.entryPoint) continue;
      const name = path.basename(file).split('.worker-')[0] as keyof typeof WORKERS;
      if (!(name in WORKERS)) throw new Error(`unexpected worker output ${file}`);
      workers[name] = path.basename(file);
    }
    for (const name of Object.keys(WORKERS) as (keyof typeof WORKERS)[]) {
      if (!workers[name]) throw new Error(`worker ${name} was not built`);
    }

    // 2. The app (ESM + splitting: Monaco, prettier etc. are dynamic imports in @graphiql/react).
    const appResult = await esbuild.build({
      ...common,
      entryPoints: { app: path.join(packageDir, 'src/app.tsx') },
      format: 'esm',
      splitting: true,
      jsx: 'automatic',
      outdir: assetsDir,
      entryNames: '[name]-[hash]',
      chunkNames: 'chunk-[hash]',
      metafile: true,
      define: { ...common.define, __GRAPHIQL_WORKERS__: JSON.stringify(workers) },
      plugins: [monacoCssPlugin()],
    });

    // The app's own entry (lazy chunks of dynamic imports are entry points too in the metafile),
    // and the CSS esbuild collected for it (graphiql/style.css + app.css).
    let js = '';
    const css: string[] = [];
    for (const [file, out] of Object.entries(appResult.metafile.outputs)) {
      if (out.entryPoint && /(^|[\\/])src[\\/]app\.tsx$/.test(out.entryPoint) && file.endsWith('.js')) {
        js = path.basename(file);
        if (out.cssBundle) css.push(path.basename(out.cssBundle));
      }
    }
    if (!js || css.length === 0) throw new Error('app entry (JS and CSS) was not built');

    // The Japanese font (app.css): the header bar always shows Japanese, so it is needed on every
    // visit; preloading it lets the bar's first paint use it instead of showing empty boxes until the
    // browser discovers the font through the first Japanese glyph.
    const fonts = (await readdir(assetsDir)).filter((f) => /^NotoSansJP_.*\.ttf$/.test(f));
    const manifest = { js, css, workers, fonts };
    await writeFile(path.join(tmpDir, 'index.html'), renderIndexHtml(manifest));
    await writeFile(path.join(tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    await rm(distDir, { recursive: true, force: true });
    await rename(tmpDir, distDir);
    const ms = Math.round(performance.now() - started);
    if (options.log) {
      const files = await readdir(path.join(distDir, 'assets'));
      console.log(`graphiql: built ${files.length} assets into ${path.relative(process.cwd(), distDir) || '.'} in ${ms} ms`);
    }
    return { distDir, manifest, ms };
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * `graphiql/style.css` already contains Monaco's CSS (and its codicon font as a data: URL), so
 * the CSS files that Monaco's ESM modules import one by one are dropped instead of being emitted a
 * second time into CSS side files of lazy chunks (which nothing would load anyway).
 */
function monacoCssPlugin(): esbuild.Plugin {
  return {
    name: 'drop-monaco-css',
    setup(build) {
      build.onResolve({ filter: /\.css$/ }, (args) => {
        if (/[\\/]monaco-editor[\\/]/.test(args.importer)) {
          return { path: args.path, namespace: 'empty-css' };
        }
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'empty-css' }, () => ({ contents: '', loader: 'css' }));
    },
  };
}

function renderIndexHtml(m: { js: string; css: string[]; fonts: string[] }): string {
  // %GRAPHIQL_BASE% → mount path (e.g. /graphiql), %GRAPHIQL_CONFIG% → JSON (escaped for <script>).
  // Both are replaced by createGraphiqlHandler(); nothing here is executed inline (CSP: script-src 'self').
  const links = [
    ...m.fonts.map((f) => `<link rel="preload" as="font" type="font/ttf" crossorigin href="%GRAPHIQL_BASE%/assets/${f}">`),
    ...m.css.map((f) => `<link rel="stylesheet" href="%GRAPHIQL_BASE%/assets/${f}">`),
  ].join('\n    ');
  return `<!doctype html>
<html lang="ja">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>GraphiQL — Corporate Tenant Portal API</title>
    <link rel="icon" href="data:,">
    ${links}
    <script type="module" src="%GRAPHIQL_BASE%/assets/${m.js}"></script>
  </head>
  <body>
    <script type="application/json" id="graphiql-config">%GRAPHIQL_CONFIG%</script>
    <div id="graphiql-root"><noscript>GraphiQL needs JavaScript.</noscript></div>
  </body>
</html>
`;
}

// `tsx build.ts`
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  buildGraphiql({ log: true }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
