import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { createIdentitySigner, generateIdentityKeys, scopesFor, IDENTITY_HEADER, type Identity, type Permissions } from '@portal/auth';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import { parseRoomEvent } from '@portal/events';
import { applyRoomEvent, bootSubgraph, subgraphRoleName, type BootedSubgraph, type SubgraphDefinition } from '@portal/subgraph-kit';
import { REPO_ROOT, SUBGRAPHS, composeRepo, formatProblem } from '@portal/schema-tools';
import { loadGateway, loadSubgraph, loadTenancyApi, ServiceLoadError, type RunningGateway, type SubgraphName, type TenancyHarnessApi } from './services.ts';


export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

export interface SeedAccountOptions {
  loginId?: string;
  password?: string;
  name?: string;
  email?: string;
  admin?: boolean;
  billing?: Permissions['billing'];
  cancellation?: Permissions['cancellation'];
  residents?: Permissions['residents'];
  smartlock?: Permissions['smartlock'];
  fireInsurance?: Permissions['fireInsurance'];
  cancellationNotify?: boolean;
}

export interface SeedRoomOptions {
  apNo?: string;
  propertyName?: string;
  roomNumber?: string;
  hasSmartlock?: boolean;
  prefecture?: string;
  city?: string;
  moveInDate?: string | null;
  leaseStart?: string;
  penaltyUntil?: string | null;
  penaltyAmount?: number | null;
  /**
   * The room's `room.upserted` event always goes into tenancy's outbox (through tenancy's own writer).
   * By default it is also applied at once to the running subgraphs' room read models
   * (smartlock/contracts `room_ref`), as the demo loader does; false leaves them to the relay and the
   * consumers (`services.jobs.runDue` / `services.events.runDue`).
   */
  readModels?: boolean;
}

export interface Stack {
  gatewayUrl: string;
  /** The in-process gateway (its `stop()` drains, its `server` takes connections). */
  gateway: RunningGateway;
  /** The composed supergraph file and the identity signing key, to start another gateway (e.g. a child process) on the same subgraphs. */
  supergraphPath: string;
  identityPrivateKeyPem: string;
  database: TestDatabase;
  subgraphs: Partial<Record<SubgraphName, BootedSubgraph>>;
  seed: {
    member(options?: { memberNumber?: string; name?: string }): Promise<{ id: string; memberNumber: string }>;
    account(memberId: string, options?: SeedAccountOptions): Promise<{ id: string; loginId: string; password: string }>;
    room(memberId: string, options?: SeedRoomOptions): Promise<{ id: string; propertyId: string; leaseId: string }>;
    rooms(memberId: string, count: number, options?: Omit<SeedRoomOptions, 'roomNumber'>): Promise<{ id: string }[]>;
  };
  login(loginId: string, password: string): Promise<string>;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: { token?: string; headers?: Record<string, string> }): Promise<GqlResponse<T>>;
  callSubgraph<T = Record<string, unknown>>(name: SubgraphName, query: string, variables?: Record<string, unknown>, options?: { accountId?: string; identity?: false | Identity; headers?: Record<string, string> }): Promise<GqlResponse<T>>;
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  sqlStatements(name: SubgraphName): number;
  setClock(date: Date | null): void;
  /** Another gateway replica on the same database and subgraphs (stopped with the stack); `env` adds or overrides settings. */
  startGateway(env?: Record<string, string>): Promise<RunningGateway>;
  stopSubgraph(name: SubgraphName): Promise<void>;
  /**
   * Tenancy's room events, for tests of the read models that consume them: a subgraph's tests do not
   * import tenancy, the harness does.
   */
  roomEvents: {
    /** Writes `room.upserted` for the rooms' current rows into tenancy's outbox (tenancy's own writer). */
    upsert(roomIds: string[]): Promise<void>;
    /** Writes `room.removed` for the rooms into tenancy's outbox. */
    remove(rooms: { roomId: string; memberId: string }[]): Promise<void>;
    /** Queues and runs tenancy's outbox relay once, as its worker would. */
    relay(): Promise<void>;
  };
  stop(): Promise<void>;
}

/** Subgraphs that keep a room read model (`<schema>.room_ref`) fed by tenancy's room events. */
const READ_MODEL_SCHEMAS = ['smartlock', 'contracts'] as const;

/** Writes the rooms' `room.upserted` events with tenancy's writer, then applies them to the given read models as their consumers would. */
async function syncRoomEvents(tenancy: TenancyHarnessApi, pool: pg.Pool, roomIds: string[], schemas: readonly string[]): Promise<void> {
  await tenancy.recordRoomUpserts(pool, roomIds);
  if (schemas.length === 0) return;
  const { rows } = await pool.query<{ seq: string; event: string; payload: Record<string, unknown> }>(
    `select distinct on (room_id) seq, event, payload from tenancy.event_outbox where room_id = any($1::uuid[]) order by room_id, seq desc`,
    [roomIds],
  );
  for (const schema of schemas) {
    for (const row of rows) await applyRoomEvent(pool, schema, parseRoomEvent(row.event, { ...row.payload, version: Number(row.seq) }));
  }
}

const hashes = new Map<string, Promise<string>>();
async function passwordHash(tenancy: TenancyHarnessApi, password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = tenancy.hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

/** The same database, logged in as another role (no password: test servers trust local connections). */
export function roleUrl(databaseUrl: string, role: string): string {
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = '';
  return url.toString();
}

let counter = 0;
const unique = () => `${Date.now().toString(36).slice(-4)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

/**
 * The whole system for one test file: a fresh database, the four subgraphs and the gateway in this
 * process on random ports, the supergraph composed from the SDL files as they are now, and a clock
 * the test can set. Requests go over real HTTP.
 */
export interface StackOptions {
  /** Subgraphs to run besides tenancy (which always runs). Default: all four. */
  only?: SubgraphName[];
  /** Extra gateway settings (e.g. PORTAL_TRUSTED_PROXIES, PORTAL_SUBGRAPH_TIMEOUT_MS). */
  gatewayEnv?: Record<string, string>;
  /** Route a subgraph to another URL (e.g. a server that never answers). */
  subgraphUrlOverrides?: Partial<Record<SubgraphName, string>>;
  /**
   * Load a subgraph from another module file instead of `<its folder>/src/index.ts` (tests of the
   * harness itself: a module that throws on import must fail the stack with the subgraph's name).
   */
  subgraphModules?: Partial<Record<SubgraphName, string>>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // tenancy always runs: sessions, members and rooms live there.
  const names: SubgraphName[] = ['tenancy', ...(options.only ?? (['billing', 'smartlock', 'contracts'] as SubgraphName[])).filter((n) => n !== 'tenancy')];
  // Every service is imported before anything starts, and any that fails stops the stack with its name.
  const [defs, startGateway, tenancy] = await Promise.all([
    Promise.all(names.map(async (n) => [n, await loadSubgraph(n, options.subgraphModules?.[n])] as const)),
    loadGateway(),
    loadTenancyApi(),
  ]);
  const database = await createTestDatabase();
  const subgraphs: Partial<Record<SubgraphName, BootedSubgraph>> = {};
  try {
    return await startOn(database, defs, subgraphs, startGateway, tenancy, options);
  } catch (err) {
    for (const sub of Object.values(subgraphs)) await sub!.stop().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw err;
  }
}

async function startOn(
  database: TestDatabase,
  defs: (readonly [SubgraphName, SubgraphDefinition<unknown>])[],
  subgraphs: Partial<Record<SubgraphName, BootedSubgraph>>,
  startGateway: Awaited<ReturnType<typeof loadGateway>>,
  tenancy: TenancyHarnessApi,
  options: StackOptions,
): Promise<Stack> {
  const keys = await generateIdentityKeys();
  const quiet = pino({ level: process.env.PORTAL_LOG_LEVEL ?? 'silent' });
  const env = {
    DATABASE_URL: database.url,
    PORTAL_PORT: '0',
    PORTAL_HOST: '127.0.0.1',
    PORTAL_INTERNAL_PUBLIC_KEY: keys.publicKeyPem,
    PORTAL_TEST_CLOCK: '1',
    PORTAL_LOG_LEVEL: process.env.PORTAL_LOG_LEVEL ?? 'silent',
    PORTAL_DB_POOL_SIZE: '5',
    PORTAL_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'portal-data-')),
    PORTAL_FILE_LINK_SECRET: randomBytes(32).toString('base64url'),
  };
  // Migrations in sequence: they are independent schemas, but a fresh database is quicker without lock contention.
  // Each subgraph logs in as its own role (trust auth on test servers), as in production.
  for (const [name, def] of defs) {
    try {
      subgraphs[name] = await bootSubgraph(def, { ...env, PORTAL_DB_APP_URL: roleUrl(database.url, subgraphRoleName(name)) });
    } catch (err) {
      throw new ServiceLoadError(name, `failed to start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  const registry = SUBGRAPHS.filter((s) => subgraphs[s.name as SubgraphName]);
  const composed = composeRepo(REPO_ROOT, registry);
  if (!composed.ok) throw new Error(`composition failed:\n${composed.errors.map(formatProblem).join('\n')}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-stack-'));
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  const gatewayEnv: Record<string, string> = {
    DATABASE_URL: database.url,
    PORTAL_PORT: '0',
    PORTAL_HOST: '127.0.0.1',
    PORTAL_INTERNAL_PRIVATE_KEY: keys.privateKeyPem,
    PORTAL_SUPERGRAPH_PATH: supergraphPath,
    // Tests share two cores with each other; a scrypt login may take seconds under that load.
    PORTAL_SUBGRAPH_TIMEOUT_MS: '20000',
    PORTAL_SUBGRAPH_URLS: Object.values(subgraphs).map((s) => `${s!.name}=${options.subgraphUrlOverrides?.[s!.name as SubgraphName] ?? s!.url}`).join(','),
    ...options.gatewayEnv,
  };
  const gateway: RunningGateway = await startGateway(gatewayEnv, quiet).catch((err: unknown) => {
    throw new ServiceLoadError('gateway', `failed to start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  const replicas: RunningGateway[] = [];
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined); // the test database is dropped with FORCE at the end
  const signer = await createIdentitySigner(keys.privateKeyPem);

  const post = async <T>(url: string, body: unknown, headers: Record<string, string>): Promise<GqlResponse<T>> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await res.text();
    let parsed: GqlResponse<T>['body'];
    try {
      parsed = JSON.parse(text) as GqlResponse<T>['body'];
    } catch {
      parsed = { errors: [{ message: text }] };
    }
    return { status: res.status, body: parsed };
  };

  const identityOf = async (accountId: string): Promise<Identity> => {
    const { rows } = await pool.query(
      `select a.member_id, a.is_admin, a.billing_level, a.cancellation_level, a.residents_level, a.smartlock_level, a.fire_insurance_level
         from tenancy.account a where a.id = $1`,
      [accountId],
    );
    const row = rows[0];
    if (!row) throw new Error(`no account ${accountId}`);
    return {
      kind: 'member',
      accountId,
      memberId: row.member_id,
      sessionId: null,
      scopes: scopesFor({ billing: row.billing_level, cancellation: row.cancellation_level, residents: row.residents_level, smartlock: row.smartlock_level, fireInsurance: row.fire_insurance_level, admin: row.is_admin }),
      clientIp: '127.0.0.1',
      requestId: randomUUID(),
    };
  };

  const stack: Stack = {
    gatewayUrl: gateway.url,
    gateway,
    supergraphPath,
    identityPrivateKeyPem: keys.privateKeyPem,
    database,
    subgraphs,
    seed: {
      async member(o = {}) {
        const id = randomUUID();
        const memberNumber = o.memberNumber ?? String(20000000 + Math.floor(Math.random() * 79999999)).slice(0, 8);
        await pool.query(
          `insert into tenancy.member (id, member_number, name, head_office_postal_code, head_office_address, phone)
           values ($1, $2, $3, '100-0001', '東京都千代田区千代田1-1', '03-3000-0000')`,
          [id, memberNumber, o.name ?? `テスト商事${memberNumber}`],
        );
        return { id, memberNumber };
      },
      async account(memberId, o = {}) {
        const id = randomUUID();
        const loginId = (o.loginId ?? `user-${unique()}`).toLowerCase();
        const password = o.password ?? 'Correct-Horse-9';
        await pool.query(
          `insert into tenancy.account (id, member_id, login_id, name, email, password_hash, is_admin, billing_level, cancellation_level,
             residents_level, smartlock_level, fire_insurance_level, cancellation_notify)
           values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
          [id, memberId, loginId, o.name ?? '山田 太郎', o.email ?? `${loginId}@example.co.jp`, await passwordHash(tenancy, password), o.admin ?? false,
            o.billing ?? 'VIEW', o.cancellation ?? 'NONE', o.residents ?? 'NONE', o.smartlock ?? 'NONE', o.fireInsurance ?? 'NONE', o.cancellationNotify ?? false],
        );
        return { id, loginId, password };
      },
      async room(memberId, o = {}) {
        const propertyId = randomUUID();
        const roomId = randomUUID();
        const leaseId = randomUUID();
        const apNo = o.apNo ?? `AP${unique()}`.slice(0, 12);
        await pool.query(
          `insert into tenancy.property (id, ap_no, name, prefecture, city, street) values ($1,$2,$3,$4,$5,'1-2-3')
           on conflict (ap_no) do nothing`,
          [propertyId, apNo, o.propertyName ?? `レオパレス${apNo}`, o.prefecture ?? '東京都', o.city ?? '中野区'],
        );
        const { rows } = await pool.query<{ id: string }>('select id from tenancy.property where ap_no = $1', [apNo]);
        const pid = rows[0]!.id;
        await pool.query(
          `insert into tenancy.room (id, member_id, property_id, room_number, has_smartlock, move_in_date) values ($1,$2,$3,$4,$5,$6)`,
          [roomId, memberId, pid, o.roomNumber ?? String(100 + Math.floor(Math.random() * 900)) + unique().slice(-2), o.hasSmartlock ?? true, o.moveInDate === undefined ? '2025-04-01' : o.moveInDate],
        );
        await pool.query(
          `insert into tenancy.lease (id, member_id, room_id, contract_number, start_date, penalty_until, penalty_amount) values ($1,$2,$3,$4,$5,$6,$7)`,
          [leaseId, memberId, roomId, `C${unique()}`.slice(0, 20), o.leaseStart ?? '2025-04-01', o.penaltyUntil ?? null, o.penaltyAmount ?? null],
        );
        await syncRoomEvents(tenancy, pool, [roomId], o.readModels === false ? [] : READ_MODEL_SCHEMAS.filter((name) => subgraphs[name]));
        return { id: roomId, propertyId: pid, leaseId };
      },
      async rooms(memberId, count, o = {}) {
        const apNo = o.apNo ?? `AP${unique()}`.slice(0, 12);
        const out: { id: string }[] = [];
        for (let i = 0; i < count; i++) out.push(await stack.seed.room(memberId, { ...o, apNo, roomNumber: String(101 + i) }));
        return out;
      },
    },
    async login(loginId, password) {
      const r = await post<{ login: { token: string | null; userErrors: { code: string }[] } }>(gateway.url, {
        query: 'mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code } } }',
        variables: { input: { loginId, password } },
      }, {});
      const token = r.body.data?.login.token;
      if (!token) throw new Error(`login failed for ${loginId}: ${JSON.stringify(r.body)}`);
      return token;
    },
    gql(query, variables, o = {}) {
      return post(gateway.url, { query, variables }, { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers });
    },
    async callSubgraph(name, query, variables, o = {}) {
      const sub = subgraphs[name];
      if (!sub) throw new Error(`subgraph ${name} is not running`);
      const headers: Record<string, string> = { ...o.headers };
      if (o.identity !== false) {
        const identity = o.identity ?? (o.accountId ? await identityOf(o.accountId) : { kind: 'anonymous' as const, accountId: null, memberId: null, sessionId: null, scopes: new Set<never>(), clientIp: '127.0.0.1', requestId: randomUUID() });
        headers[IDENTITY_HEADER] = await signer.sign(identity, name);
      }
      return post(sub.url, { query, variables }, headers);
    },
    async sql(text, params) {
      return (await pool.query(text, params)).rows;
    },
    sqlStatements(name) {
      return subgraphs[name]?.metrics.total ?? 0;
    },
    setClock(date) {
      for (const sub of Object.values(subgraphs)) {
        const clock = sub!.clock as { set?(d: Date): void; reset?(): void };
        if (date) clock.set?.(date);
        else clock.reset?.();
      }
    },
    async startGateway(env = {}) {
      const replica = await startGateway({ ...gatewayEnv, ...env }, quiet);
      replicas.push(replica);
      return replica;
    },
    async stopSubgraph(name) {
      await subgraphs[name]?.stop();
      delete subgraphs[name];
    },
    roomEvents: {
      async upsert(roomIds) {
        await tenancy.recordRoomUpserts(pool, roomIds);
      },
      async remove(rooms) {
        await tenancy.recordRoomRemovals(pool, rooms);
      },
      async relay() {
        const jobs = subgraphs.tenancy?.services.jobs;
        if (!jobs) throw new Error('tenancy is not running with its job queue');
        await jobs.send(tenancy.ROOM_EVENT_RELAY_QUEUE, {});
        await jobs.runDue(tenancy.ROOM_EVENT_RELAY_QUEUE);
      },
    },
    async stop() {
      await gateway.stop();
      for (const replica of replicas.splice(0)) await replica.stop();
      for (const sub of Object.values(subgraphs)) await sub!.stop();
      await pool.end();
      await database.drop();
    },
  };
  return stack;
}
