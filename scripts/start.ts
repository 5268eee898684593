/**
 * `npm start`: the whole portal on one machine. Uses DATABASE_URL when set, otherwise an embedded
 * PostgreSQL under .data/; creates the gateway's identity keys once; starts the four subgraphs
 * (each migrates its own schema), loads the demo data once, starts the gateway, and prints where
 * to go and how to log in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateIdentityKeys } from '@portal/auth';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@portal/db';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const dataDir = path.resolve(process.env.PORTAL_DATA_DIR ?? path.join(root, '.data'));
mkdirSync(dataDir, { recursive: true });
const children: ChildProcess[] = [];
let embedded: EmbeddedDatabase | undefined;

async function main() {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('DATABASE_URL is not set: starting the embedded PostgreSQL (data in .data/pg) ...');
    embedded = await startEmbeddedPostgres(dataDir);
    databaseUrl = embedded.url;
  }
  const keys = await identityKeys();
  const subgraphs = [
    { name: 'billing', port: 4001 },
    { name: 'tenancy', port: 4002 },
    { name: 'smartlock', port: 4003 },
    { name: 'contracts', port: 4004 },
  ];
  const common = { ...process.env, DATABASE_URL: databaseUrl, PORTAL_LOG_LEVEL: process.env.PORTAL_LOG_LEVEL ?? 'warn' };
  delete (common as Record<string, unknown>).PORTAL_INTERNAL_PRIVATE_KEY;
  // tenancy first: the demo data and the gateway's sessions live in its schema.
  for (const s of subgraphs) {
    spawnApp(s.name, path.join(root, 'subgraphs', s.name, 'src/main.ts'), { ...common, PORTAL_PORT: String(s.port), PORTAL_INTERNAL_PUBLIC_KEY: keys.publicKeyPem, PORTAL_FILE_LINK_SECRET: keys.fileLinkSecret, PORTAL_DATA_DIR: dataDir });
  }
  await Promise.all(subgraphs.map((s) => waitHealthy(s.name, `http://127.0.0.1:${s.port}/health`)));

  const { loadDemoData } = await import('@portal/demo-data');
  const loaded = await loadDemoData(databaseUrl);
  console.log(loaded.created ? `Demo data loaded: ${loaded.summary}` : 'Demo data already present.');

  const gatewayPort = Number(process.env.PORTAL_GATEWAY_PORT ?? 4000);
  const { PORTAL_INTERNAL_PUBLIC_KEY: _omit, ...gatewayEnv } = common as Record<string, string>;
  void _omit;
  spawnApp('gateway', path.join(root, 'gateway/src/main.ts'), { ...gatewayEnv, PORTAL_PORT: String(gatewayPort), PORTAL_INTERNAL_PRIVATE_KEY: keys.privateKeyPem });
  await waitHealthy('gateway', `http://127.0.0.1:${gatewayPort}/health`);
  if (loaded.created) await demoActivity(databaseUrl, `http://127.0.0.1:${gatewayPort}/graphql`);

  console.log(`
  Corporate tenant portal is running.
    GraphQL:   http://localhost:${gatewayPort}/graphql
    GraphiQL:  http://localhost:${gatewayPort}/graphiql
  Demo logins (password for all: ${loaded.password}; demo only):
${loaded.logins.map((l) => `    ${l.loginId.padEnd(12)} ${l.description}`).join('\n')}
  Stop with Ctrl+C.`);
}

/**
 * The first run's demo users publish a settlement statement and stamp a reservation through the
 * gateway (tooling/demo-data/src/activity.ts). The stamping is billing's nightly job: queued now on
 * billing's job queue, then we wait for billing's worker to finish it. A failure here leaves the
 * portal running without those two examples, and says so.
 */
async function demoActivity(databaseUrl: string, graphqlUrl: string) {
  const { buildDemoWorld, defaultDemoOptions, runDemoActivity } = await import('@portal/demo-data');
  const { createJobQueue, systemClock } = await import('@portal/platform');
  const pg = (await import('pg')).default;
  try {
    await runDemoActivity({
      gatewayUrl: graphqlUrl,
      world: buildDemoWorld(defaultDemoOptions()),
      runStampJob: async () => {
        const queue = createJobQueue({ connectionString: databaseUrl, schema: 'billing_jobs', clock: systemClock, supervise: false, maxConnections: 1 });
        await queue.start();
        try {
          await queue.send('billing-timestamp-nightly', {});
        } finally {
          await queue.stop();
        }
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
            const { rows } = await client.query("select count(*)::int as n from billing.timestamp_reservation where status = 'RESERVED'");
            if (rows[0].n === 0) return;
          }
          throw new Error('the time-stamp reservation was not stamped within 60 s');
        } finally {
          await client.end();
        }
      },
    });
    console.log('Demo activity: one settlement statement published, one time-stamp reservation completed.');
  } catch (err) {
    console.error(`Demo activity incomplete (the portal runs without those examples): ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function identityKeys() {
  const dir = path.join(dataDir, 'keys');
  const priv = path.join(dir, 'identity.key.pem');
  const pub = path.join(dir, 'identity.pub.pem');
  if (process.env.PORTAL_INTERNAL_PRIVATE_KEY && process.env.PORTAL_INTERNAL_PUBLIC_KEY) {
    return { privateKeyPem: process.env.PORTAL_INTERNAL_PRIVATE_KEY, publicKeyPem: process.env.PORTAL_INTERNAL_PUBLIC_KEY, fileLinkSecret: process.env.PORTAL_FILE_LINK_SECRET ?? randomBytes(32).toString('base64url') };
  }
  if (!existsSync(priv) || !existsSync(pub)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = await generateIdentityKeys();
    writeFileSync(priv, keys.privateKeyPem, { mode: 0o600 });
    writeFileSync(pub, keys.publicKeyPem);
  }
  const linkSecret = path.join(dir, 'file-link.secret');
  if (!existsSync(linkSecret)) writeFileSync(linkSecret, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return { privateKeyPem: readFileSync(priv, 'utf8'), publicKeyPem: readFileSync(pub, 'utf8'), fileLinkSecret: readFileSync(linkSecret, 'utf8').trim() };
}

function spawnApp(name: string, entry: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'inherit', 'inherit'], cwd: root });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      console.error(`${name} exited (${signal ?? code}); stopping.`);
      void shutdown(1);
    }
  });
  children.push(child);
}

async function waitHealthy(name: string, url: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  // Each app stops gracefully on SIGTERM (drains its requests for up to PORTAL_DRAIN_TIMEOUT_MS,
  // then jobs and pools; @portal/platform stopOnSignal); PostgreSQL goes last, once they have exited
  // (or once the slowest could have: the drain timeout plus 12 s).
  const drainMs = Number(process.env.PORTAL_DRAIN_TIMEOUT_MS ?? 10_000);
  const exited = children.map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r))));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, drainMs + 12_000))]);
  await embedded?.stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  await shutdown(1);
});
