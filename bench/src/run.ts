/**
 * `npm run bench [-- --quick] [--rounds N] [--setups a,b] [--workloads a,c]`: loads the bench
 * database once, starts the four subgraphs (separate processes, fixed ports) and every setup on the
 * same supergraph, checks that each setup returns the same data, then measures in rounds with the
 * order rotated, and writes bench/results/latest.{json,md}.
 */
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import autocannon from 'autocannon';
import { parse } from 'graphql';
import { generateIdentityKeys, scopesFor } from '@portal/auth';
import { loadSupergraph } from '@portal/gateway';
import { DATA, SETUP_PORTS, SUBGRAPH_NAMES, SUBGRAPH_PORTS, BENCH_LOGIN, type SetupName } from './config.ts';
import { benchServer, ensureBenchDatabase } from './data.ts';
import { cpuMs, processTree, sampleRss, startProcess, stopProcess, waitFor, type Proc } from './processes.ts';
import { buildWorkloads, type Operation, type Workload } from './workloads.ts';
import { renderMarkdown, summarize, type Measurement, type RunResult } from './report.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    setups: { type: 'string' },
    workloads: { type: 'string' },
    connections: { type: 'string' },
    'ours-workers': { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = values.quick;
const ROUNDS = Number(values.rounds ?? (quick ? 1 : 3));
const DURATION = Number(values.duration ?? (quick ? 2 : 3));
const CONNECTIONS = Number(values.connections ?? 4);
const ALL_SETUPS: SetupName[] = ['floor', 'ours', 'apollo', 'hive-jit', 'hive-router'];
const setups = (values.setups?.split(',') ?? ALL_SETUPS) as SetupName[];
const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const benchDir = path.join(root, 'bench');
const work = path.join(benchDir, '.work');
const resultsDir = path.join(benchDir, 'results');
mkdirSync(work, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
const procs: Proc[] = [];
/** Extra node flags for the subgraphs, ours or stock Apollo (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), for profiling. */
const nodeArgs = (name: string) => process.env[name]?.split(' ').filter(Boolean) ?? [];
const log = (line: string) => console.log(line);

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const server = await benchServer(work);
  stopServer = server.stop;
  const databaseUrl = await ensureBenchDatabase(server.adminUrl, DATA.database, DATA.options, log);
  const keys = await generateIdentityKeys();

  // One supergraph for everyone, pointing at the bench ports.
  const committed = readFileSync(path.join(root, 'supergraph.graphql'), 'utf8').replace(
    /@join__graph\(name: "([a-z]+)", url: "[^"]+"\)/g,
    (_m, name: string) => `@join__graph(name: "${name}", url: "http://127.0.0.1:${SUBGRAPH_PORTS[name as keyof typeof SUBGRAPH_PORTS]}/graphql")`,
  );
  const committedPath = path.join(work, 'supergraph.with-auth.graphql');
  writeFileSync(committedPath, committed);
  const peerSupergraphPath = path.join(work, 'supergraph.graphql');
  writeFileSync(peerSupergraphPath, loadSupergraph(committed).gatewaySdl);
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `http://127.0.0.1:${SUBGRAPH_PORTS[n]}/graphql`]));

  const common: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', APOLLO_TELEMETRY_DISABLED: '1', PORTAL_LOG_LEVEL: 'warn' };
  delete common.PORTAL_INTERNAL_PRIVATE_KEY;
  delete common.PORTAL_INTERNAL_PUBLIC_KEY;
  log('starting the four subgraphs ...');
  for (const name of SUBGRAPH_NAMES) {
    const p = startProcess(name, [...nodeArgs('BENCH_SUBGRAPH_NODE_ARGS'), '--import', 'tsx', path.join(root, 'subgraphs', name, 'src/main.ts')], {
      ...common, DATABASE_URL: databaseUrl, PORTAL_PORT: String(SUBGRAPH_PORTS[name]), PORTAL_INTERNAL_PUBLIC_KEY: keys.publicKeyPem,
      PORTAL_DB_POOL_SIZE: String(CONNECTIONS + 2), PORTAL_DATA_DIR: path.join(work, 'data'), PORTAL_FILE_LINK_SECRET: randomBytes(32).toString('base64url'),
    }, root);
    procs.push(p);
  }
  await Promise.all(SUBGRAPH_NAMES.map((n, i) => waitFor(n, async () => (await fetch(`http://127.0.0.1:${SUBGRAPH_PORTS[n]}/health`)).ok, procs[i])));

  // Who the bench calls as, and the data the workloads point at.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const account = (await db.query(`select a.id, a.member_id, a.is_admin, a.billing_level, a.cancellation_level, a.residents_level, a.smartlock_level, a.fire_insurance_level
      from tenancy.account a where a.login_id = $1`, [BENCH_LOGIN.loginId])).rows[0];
  const scopes = [...scopesFor({ billing: account.billing_level, cancellation: account.cancellation_level, residents: account.residents_level, smartlock: account.smartlock_level, fireInsurance: account.fire_insurance_level, admin: account.is_admin })];
  const identity = { accountId: account.id as string, memberId: account.member_id as string, scopes };
  const currentMonth = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 7);
  const invoice = (await db.query(`select id, (select count(*)::int from billing.invoice_line l where l.invoice_id = i.id) as lines from billing.invoice i where member_id = $1 and billing_month = $2`, [identity.memberId, currentMonth])).rows[0];
  await db.end();
  log(`calling as ${BENCH_LOGIN.loginId} (member ${identity.memberId}); invoice ${currentMonth} has ${invoice.lines} lines`);

  const queryFields = new Set<string>();
  for (const def of parse(committed).definitions) if (def.kind === 'ObjectTypeDefinition' && def.name.value === 'Query') for (const f of def.fields ?? []) queryFields.add(f.name.value);
  const workloads = buildWorkloads({ invoiceId: invoice.id, currentMonth, queryFields, rounds: ROUNDS }).filter((w) => !values.workloads || values.workloads.split(',').includes(w.key));
  const operationsPath = path.join(work, 'operations.json');
  writeFileSync(operationsPath, JSON.stringify(workloads.flatMap((w) => w.operations).map(({ query, operationName }) => ({ query, operationName }))));

  // The setups.
  const peerEnv = (port: number) => ({ ...common, PORTAL_INTERNAL_PRIVATE_KEY: keys.privateKeyPem, BENCH_IDENTITY: JSON.stringify(identity), BENCH_SUBGRAPH_URLS: JSON.stringify(subgraphUrls), BENCH_SUPERGRAPH_PATH: peerSupergraphPath, BENCH_PORT: String(port), BENCH_OPERATIONS: operationsPath });
  const hiveBin = path.join(root, 'node_modules/@graphql-hive/gateway/dist/bin.js');
  const hiveConfig = path.join(benchDir, 'src/peers/hive.config.ts');
  const launch: Record<SetupName, () => Proc> = {
    floor: () => startProcess('floor', ['--import', 'tsx', path.join(benchDir, 'src/floor-server.ts')], peerEnv(SETUP_PORTS.floor), root),
    ours: () => startProcess('ours', [...nodeArgs('BENCH_OURS_NODE_ARGS'), '--import', 'tsx', path.join(root, 'gateway/src/main.ts')], {
      ...common, DATABASE_URL: databaseUrl, PORTAL_PORT: String(SETUP_PORTS.ours), PORTAL_HOST: '127.0.0.1', PORTAL_INTERNAL_PRIVATE_KEY: keys.privateKeyPem,
      // The peers have no subgraph time limit; ours keeps its own but at autocannon's 30 s, not 5 s, so
      // that an overloaded shared machine shows as latency (like for the peers), not as errors.
      PORTAL_SUBGRAPH_TIMEOUT_MS: '30000',
      // The load comes from one account: the rate limiter runs (its cost is part of ours) but never refuses.
      PORTAL_RATE_LIMITS: 'account=1000000000/1,member=1000000000/1,address=1000000000/1,cost=1000000000/1',
      PORTAL_SUPERGRAPH_PATH: committedPath, PORTAL_SUBGRAPH_URLS: Object.entries(subgraphUrls).map(([n, u]) => `${n}=${u}`).join(','),
      ...(values['ours-workers'] ? { PORTAL_GATEWAY_WORKERS: values['ours-workers'] } : {}),
    }, root),
    apollo: () => startProcess('apollo', [...nodeArgs('BENCH_APOLLO_NODE_ARGS'), '--import', 'tsx', path.join(benchDir, 'src/peers/apollo-stock.ts')], peerEnv(SETUP_PORTS.apollo), root),
    'hive-jit': () => startProcess('hive-jit', ['--import', 'tsx', hiveBin, 'supergraph', peerSupergraphPath, '--jit', '-c', hiveConfig, '-p', String(SETUP_PORTS['hive-jit']), '-h', '127.0.0.1'], peerEnv(SETUP_PORTS['hive-jit']), benchDir),
    'hive-router': () => startProcess('hive-router', ['--import', 'tsx', hiveBin, 'supergraph', peerSupergraphPath, '--hive-router-runtime', '-c', hiveConfig, '-p', String(SETUP_PORTS['hive-router']), '-h', '127.0.0.1'], peerEnv(SETUP_PORTS['hive-router']), benchDir),
  };
  const running = new Map<SetupName, Proc>();
  for (const s of setups) {
    const p = launch[s]();
    procs.push(p);
    running.set(s, p);
  }
  const urlOf = (s: SetupName) => `http://127.0.0.1:${SETUP_PORTS[s]}/graphql`;
  await Promise.all(setups.map((s) => waitFor(s, async () => {
    const r = await fetch(urlOf(s), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    return r.status < 500;
  }, running.get(s))));

  // Ours needs a session: log in once through it, like a client.
  const login = await post(urlOf(setups.includes('ours') ? 'ours' : setups[0]!), { query: 'mutation L($i: LoginInput!) { login(input: $i) { token userErrors { code } } }', variables: { i: BENCH_LOGIN } }, {});
  const token = (login.data as { login?: { token?: string } } | undefined)?.login?.token;
  if (setups.includes('ours') && !token) throw new Error(`login through our gateway failed: ${JSON.stringify(login)}`);
  const headersFor = (s: SetupName): Record<string, string> => ({ 'content-type': 'application/json', ...(s === 'ours' ? { authorization: `Bearer ${token}` } : {}) });

  // Same data from every setup, before any timing.
  const checks: Record<string, Record<string, string>> = {};
  for (const w of workloads.filter((x) => !x.unavailable)) {
    checks[w.key] = {};
    const op = w.operations[w.oncePerRound ? w.operations.length - 1 : 0]!;
    for (const s of setups) {
      const r = await post(urlOf(s), { query: op.query, operationName: op.operationName, variables: op.variables }, headersFor(s));
      if (r.errors) throw new Error(`${s} answered errors on ${w.key}: ${JSON.stringify(r.errors).slice(0, 800)}`);
      checks[w.key]![s] = w.check(r.data);
    }
    const distinct = new Set(Object.values(checks[w.key]!));
    log(`check ${w.key}: ${[...distinct].join(' | ')}`);
    if (distinct.size !== 1) throw new Error(`setups disagree on ${w.key}: ${JSON.stringify(checks[w.key])}`);
  }

  // SQL per request must not grow with rows: ours with few and many rows.
  const sqlScaling = setups.includes('ours') ? await sqlScalingCheck(urlOf('ours'), headersFor('ours'), invoice.id) : [];

  // Calibration (also the warm-up): a short throughput run per setup and workload. Then every setup
  // gets the same job: a fixed number of requests (about DURATION seconds at the median setup's pace,
  // all completed, so CPU, SQL and representations per request are exact), and for latency a fixed
  // rate of 60% of the slowest setup's throughput, which every setup can keep up with.
  const rateFor: Record<string, number> = {};
  const amountFor: Record<string, number> = {};
  for (const w of workloads.filter((x) => !x.unavailable && !x.oncePerRound)) {
    const paces: number[] = [];
    for (const s of setups) {
      const r = await autocannonRun({ url: urlOf(s), headers: headersFor(s), ops: w.operations, connections: CONNECTIONS, duration: Math.max(2, Math.round(DURATION / 2)) });
      paces.push(r.requests.total / Math.max(1, Math.round(DURATION / 2)));
    }
    paces.sort((x, y) => x - y);
    rateFor[w.key] = Math.max(1, Math.floor(paces[0]! * 0.6));
    amountFor[w.key] = Math.max(6 * CONNECTIONS, Math.round(paces[Math.floor(paces.length / 2)]! * DURATION));
    log(`calibrated ${w.key}: ${amountFor[w.key]} requests per throughput run; latency runs at ${rateFor[w.key]} req/s`);
  }
  // Planning workload: the calibration pass uses its own shapes (the last 200).
  for (const w of workloads.filter((x) => x.oncePerRound)) {
    for (const s of setups) await autocannonRun({ url: urlOf(s), headers: headersFor(s), ops: w.operations.slice(ROUNDS * 200), connections: 1, amount: 200 });
  }

  const measurements: Measurement[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = setups.map((_, i) => setups[(i + round) % setups.length]!);
    log(`round ${round + 1}/${ROUNDS}: ${order.join(' → ')}  (load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    for (const w of workloads.filter((x) => !x.unavailable)) {
      for (const s of order) {
        const m = await measure(s, w, round, running.get(s)!, urlOf(s), headersFor(s), rateFor[w.key], amountFor[w.key]);
        measurements.push(m);
        log(`  ${w.key} ${s.padEnd(11)} ${m.rps.toFixed(1).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  cpu ${m.cpuMsPerRequest.toFixed(2)} ms/req  backend ${m.backendCpuMsPerRequest?.toFixed(1) ?? "–"} ms/req (${Object.entries(m.backendCpuMsByProcess ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})  rss ${m.peakRssMiB.toFixed(0)} MiB  sql ${m.sqlPerRequest.toFixed(2)}/req  reps ${m.representations}/${m.distinctRepresentations}${m.errors ? `  ERRORS ${m.errors}` : ''}`);
      }
    }
  }

  const result: RunResult = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadBefore, loadAfter: os.loadavg() },
    settings: { rounds: ROUNDS, durationSeconds: DURATION, connections: CONNECTIONS, rates: rateFor, requestsPerRun: amountFor, data: DATA.options, invoiceLines: invoice.lines },
    workloads: workloads.map((w) => ({ key: w.key, title: w.title, unavailable: w.unavailable ?? null, check: checks[w.key]?.ours ?? checks[w.key]?.[setups[0]!] ?? null })),
    setups,
    measurements,
    sqlScaling,
    summary: summarize(measurements, setups),
  };
  const out = values.out ?? 'latest';
  writeFileSync(path.join(resultsDir, `${out}.json`), JSON.stringify(result, null, 2));
  writeFileSync(path.join(resultsDir, `${out}.md`), renderMarkdown(result));
  log(`\n${renderMarkdown(result)}`);
  log(`written: bench/results/${out}.json and bench/results/${out}.md`);
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ data?: unknown; errors?: unknown[] }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await r.text();
  try {
    return JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  } catch {
    return { errors: [{ message: `HTTP ${r.status}: ${text.slice(0, 300)}` }] };
  }
}

interface CannonOptions {
  url: string;
  headers: Record<string, string>;
  ops: Operation[];
  connections: number;
  duration?: number;
  amount?: number;
  overallRate?: number;
}

/** Autocannon's result plus the answers that carried GraphQL errors (HTTP 200 with `errors`), and the first of them. */
type CannonResult = autocannon.Result & { graphqlErrors: number; firstError: string | null; seconds: number };

async function autocannonRun(o: CannonOptions): Promise<CannonResult> {
  const bodies = o.ops.map((op) => JSON.stringify({ query: op.query, operationName: op.operationName, variables: op.variables }));
  let graphqlErrors = 0;
  let firstError: string | null = null;
  // autocannon ends an `amount` run on its 1-second tick; the run really ends with its last answer.
  const started = performance.now();
  let lastAnswer = started;
  // Every answer is looked at: a setup that answers fast with errors must not look fast.
  const onResponse = (_status: number, body: string) => {
    lastAnswer = performance.now();
    if (body.startsWith('{"errors"') || body.includes('"errors":[')) {
      graphqlErrors++;
      firstError ??= body.slice(0, 400);
    }
  };
  const result = await autocannon({
    url: o.url,
    method: 'POST',
    headers: o.headers,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.duration }),
    ...(o.overallRate ? { overallRate: o.overallRate } : {}),
    requests: bodies.map((body) => ({ method: 'POST' as const, body, onResponse })),
    timeout: 30,
  });
  if (firstError) log(`    GraphQL errors from ${o.url}: ${graphqlErrors}, first: ${firstError}`);
  return Object.assign(result, { graphqlErrors, firstError, seconds: (lastAnswer - started) / 1000 });
}

/**
 * The processes every setup shares: the four subgraphs and, when the bench runs its own embedded
 * PostgreSQL, the server with its backends. Their CPU per request is the part no gateway can save.
 */
function backendPids(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of procs) if ((SUBGRAPH_NAMES as readonly string[]).includes(p.name)) out[p.name] = p.pid;
  const pidFile = path.join(work, 'pg', 'postmaster.pid');
  const postmaster = !process.env.BENCH_DATABASE_ADMIN_URL && existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
  if (Number.isInteger(postmaster)) out.postgres = postmaster;
  return out;
}
/** CPU per group, the tree looked up again each time (backends that started since are counted; reaped ones through cutime). */
const cpuOf = (roots: Record<string, number>) => Object.fromEntries(Object.entries(roots).map(([k, root]) => [k, cpuMs(processTree(root))]));

/** The subgraphs' counters once they have settled (requests still in flight from a run finish first). */
async function settledMetrics(): Promise<{ sql: number; reps: number; distinct: number }> {
  let last = await subgraphMetrics();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await subgraphMetrics();
    if (now.sql === last.sql && now.reps === last.reps) return now;
    last = now;
  }
  return last;
}

async function subgraphMetrics(): Promise<{ sql: number; reps: number; distinct: number }> {
  const all = await Promise.all(SUBGRAPH_NAMES.map(async (n) => (await (await fetch(`http://127.0.0.1:${SUBGRAPH_PORTS[n]}/metrics`)).json()) as { sqlStatementsTotal: number; sqlStatementsInRequests?: number; representationsTotal?: number; representationsDistinct?: number }));
  // Statements run for requests only: the subgraphs' background jobs (outbox relays, pg-boss) are
  // not part of any setup's cost.
  return { sql: all.reduce((s, m) => s + (m.sqlStatementsInRequests ?? m.sqlStatementsTotal), 0), reps: all.reduce((s, m) => s + (m.representationsTotal ?? 0), 0), distinct: all.reduce((s, m) => s + (m.representationsDistinct ?? 0), 0) };
}

async function measure(setup: SetupName, w: Workload, round: number, proc: Proc, url: string, headers: Record<string, string>, rate: number | undefined, amount: number | undefined): Promise<Measurement> {
  const pids = processTree(proc.pid);
  const backend = backendPids();
  const before = await settledMetrics();
  const cpuBefore = cpuMs(pids);
  const backendBefore = cpuOf(backend);
  const rss = sampleRss(pids);
  // Throughput at a fixed concurrency: a fixed number of requests, all completed (the planning
  // workload: each of this round's new shapes once, one at a time).
  const ops = w.oncePerRound ? w.operations.slice(round * 200, round * 200 + 200) : w.operations;
  const requests = w.oncePerRound ? ops.length : amount!;
  const t = await autocannonRun({ url, headers, ops, connections: w.oncePerRound ? 1 : CONNECTIONS, amount: requests });
  const seconds = t.seconds;
  const after = await settledMetrics();
  const cpuAfter = cpuMs(pids);
  const backendAfter = cpuOf(backend);
  const backendPerRequest = Object.fromEntries(Object.keys(backend).map((k) => [k, (backendAfter[k]! - backendBefore[k]!) / requests]));
  // Latency at a fixed rate, the same for every setup.
  const l = rate ? await autocannonRun({ url, headers, ops, connections: CONNECTIONS, amount: Math.max(CONNECTIONS, Math.round(rate * DURATION)), overallRate: rate }) : t;
  const peak = rss.stop();
  return {
    setup,
    workload: w.key,
    round,
    rps: requests / seconds,
    p50: l.latency.p50,
    p99: l.latency.p99,
    rate: rate ?? null,
    cpuMsPerRequest: (cpuAfter - cpuBefore) / requests,
    backendCpuMsPerRequest: 'postgres' in backend ? Object.values(backendPerRequest).reduce((a, b) => a + b, 0) : null,
    backendCpuMsByProcess: backendPerRequest,
    peakRssMiB: peak,
    sqlPerRequest: (after.sql - before.sql) / requests,
    representations: after.reps - before.reps,
    distinctRepresentations: after.distinct - before.distinct,
    errors: t.errors + t.non2xx + t.timeouts + t.graphqlErrors + (rate ? l.errors + l.non2xx + l.timeouts + l.graphqlErrors : 0),
    requests,
  };
}

async function sqlScalingCheck(url: string, headers: Record<string, string>, invoiceId: string): Promise<{ operation: string; rows: number; sqlPerRequest: number }[]> {
  const cases = [
    { operation: 'invoice lines with room data', rows: 10, body: { query: buildLines(), variables: { id: invoiceId, first: 10 } } },
    { operation: 'invoice lines with room data', rows: 1000, body: { query: buildLines(), variables: { id: invoiceId, first: 1000 } } },
    { operation: 'rooms with residents, insurance, lines', rows: 5, body: { query: ROOMS_ALL, variables: { first: 5 } } },
    { operation: 'rooms with residents, insurance, lines', rows: 200, body: { query: ROOMS_ALL, variables: { first: 200 } } },
  ];
  const out = [];
  for (const c of cases) {
    await post(url, c.body, headers);
    const before = await subgraphMetrics();
    for (let i = 0; i < 5; i++) {
      const r = await post(url, c.body, headers);
      if (r.errors) throw new Error(`SQL scaling check failed: ${JSON.stringify(r.errors).slice(0, 500)}`);
    }
    const after = await subgraphMetrics();
    out.push({ operation: c.operation, rows: c.rows, sqlPerRequest: (after.sql - before.sql) / 5 });
  }
  log(`SQL per request: ${out.map((o) => `${o.operation} ×${o.rows}: ${o.sqlPerRequest}`).join('; ')}`);
  return out;
}
const buildLines = () => `query L($id: ID!, $first: Int!) { invoice(id: $id) { lines(first: $first) { edges { node { total room { prefecture lease { contractNumber } } } } } } }`;
const ROOMS_ALL = `query R($first: Int!) { rooms(first: $first) { edges { node { roomNumber lease { contractNumber } residents { name } smartlockRecipient { recipientCode } hasFireInsurance fireInsurance { policyNumber } invoiceLines { total } } } } }`;

let stopServer: (() => Promise<void>) | undefined;
async function shutdown() {
  await Promise.all(procs.map(stopProcess));
  await stopServer?.().catch(() => undefined);
}
process.on('SIGINT', () => void shutdown().then(() => process.exit(130)));
main()
  .then(shutdown, async (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    await shutdown();
    process.exitCode = 1;
  });
