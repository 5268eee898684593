import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrate } from '@portal/subgraph-kit';
import { createTestDatabase, loadSubgraph, type TestDatabase } from '@portal/testing';
import { buildDemoWorld, defaultDemoOptions, loadDemoData } from '../src/index.ts';

const options = { ...defaultDemoOptions(new Date('2026-11-22T00:00:00Z')) };

describe('demo world', () => {
  it('is the same on every run and has what the issue asks for', () => {
    const a = buildDemoWorld(options);
    const b = buildDemoWorld(options);
    expect(a.rooms.map((r) => r.id)).toEqual(b.rooms.map((r) => r.id));
    expect(a.accounts.map((r) => r.name)).toEqual(b.accounts.map((r) => r.name));

    const sample = a.members.find((m) => m.memberNumber === '10000001')!;
    const mini = a.members.find((m) => m.memberNumber === '10000002')!;
    expect(sample.name).toBe('株式会社サンプル商事');
    expect(mini.name).toBe('ミニマム工業株式会社');
    const sampleRooms = a.rooms.filter((r) => r.memberId === sample.id);
    const miniRooms = a.rooms.filter((r) => r.memberId === mini.id);
    expect(sampleRooms).toHaveLength(1200);
    expect(new Set(sampleRooms.map((r) => r.property.prefecture)).size).toBeGreaterThanOrEqual(10);
    const smartlockShare = sampleRooms.filter((r) => r.hasSmartlock).length / sampleRooms.length;
    expect(smartlockShare).toBeGreaterThan(0.6);
    expect(smartlockShare).toBeLessThan(0.8);
    expect(miniRooms).toHaveLength(15);
    expect(miniRooms.some((r) => r.hasSmartlock)).toBe(false);
    expect(a.accounts.map((x) => x.loginId)).toEqual(['demo-admin', 'demo-clerk', 'demo-viewer', 'demo-none', 'mini-admin']);
  });

  it('scales to more members and rooms with the same generator', () => {
    const world = buildDemoWorld({ ...options, extraMembers: 20, extraRooms: 2000 });
    expect(world.members).toHaveLength(22);
    expect(world.rooms.length).toBe(1215 + 2000);
  });
});

describe('loading the demo data', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const def of await Promise.all((['tenancy', 'smartlock', 'contracts'] as const).map((n) => loadSubgraph(n)))) {
      await migrate(db.url, { schema: def.name, databaseUrl: db.url, entities: def.entities, migrations: def.migrations });
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('loads once, all or nothing, and skips when present', async () => {
    const first = await loadDemoData(db.url, options);
    expect(first.created).toBe(true);
    const second = await loadDemoData(db.url, options);
    expect(second.created).toBe(false);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("select m.member_number, count(r.id)::int as rooms from tenancy.member m join tenancy.room r on r.member_id = m.id group by 1 order by 1");
    expect(rows).toEqual([{ member_number: '10000001', rooms: 1200 }, { member_number: '10000002', rooms: 15 }]);
    const world = buildDemoWorld(options);
    const [{ residents }] = (await client.query('select count(*)::int as residents from smartlock.resident')).rows;
    expect(residents).toBe(world.rooms.reduce((n, r) => n + r.residents.length, 0));
    const [{ blanket }] = (await client.query("select count(*)::int as blanket from contracts.fire_insurance_policy where coverage_kind = 'BLANKET'")).rows;
    expect(blanket).toBe(1);
    const [{ verified }] = (await client.query("select count(*)::int as verified from smartlock.smartlock_recipient where verification_status = 'VERIFIED'")).rows;
    expect(verified).toBe(3);
    // Smartlock's and contracts' room read models hold every room, exactly as tenancy has it.
    for (const schema of ['smartlock', 'contracts']) {
      const { rows: diff } = await client.query(
        `select count(*)::int as n from tenancy.room r join tenancy.property p on p.id = r.property_id
          full join ${schema}.room_ref x on x.room_id = r.id
          where x.room_id is null or r.id is null or x.member_id <> r.member_id or x.ap_no <> p.ap_no or x.room_number <> r.room_number
             or x.prefecture <> p.prefecture or x.city <> p.city or x.has_smartlock <> r.has_smartlock or x.removed`,
      );
      expect([schema, diff[0].n]).toEqual([schema, 0]);
    }
    await client.end();
  });
});
