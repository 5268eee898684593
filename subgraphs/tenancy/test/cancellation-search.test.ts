import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ISSUER, isRegistrationNumber, unzipFiles } from '@portal/documents';
import { startStack, type Stack } from '@portal/testing';
import { at, cancellationWorld, codes, data, fileOk, filing, operatorToken, WITHDRAW, type CancellationWorld, type Json } from './cancellation-helpers.ts';

let stack: Stack;
let w: CancellationWorld;
let operator: string;
const TODAY = '2026-11-10';
const rooms: Record<string, { id: string }> = {};
const cancellations: Json = {};

const SEARCH = `query Search($filter: CancellationSearchFilter, $first: Int, $after: String) {
  cancellationTargets(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { apNo propertyName roomNumber memberNumber prefecture city moveInDate moveOutDate status hasSettlementStatement
      room { id } cancellation { id status } settlementStatement { id statementNumber totalAmount } } }
  }
}`;
const PUBLISH = `mutation Publish($input: PublishSettlementStatementInput!) {
  operatorPublishSettlementStatement(input: $input) {
    settlementStatement { id statementNumber issuedOn issuerRegistrationNumber subtotal totalTax totalAmount pdfUrl lines { description amount taxRate } taxBreakdown { taxRate taxableAmount tax total } }
    userErrors { code field }
  }
}`;
const MOVE = 'mutation($id: ID!) { operatorRecordMoveOut(input: { cancellationId: $id }) { cancellation { status } userErrors { code } } }';
const ZIP = 'mutation($ids: [ID!]!) { downloadSettlementStatements(input: { statementIds: $ids }) { url filename count userErrors { code field } } }';

const search = async (filter: Json | null, token = w.accounts.viewer.token, first = 50, after: string | null = null) =>
  data(await stack.gql(SEARCH, { filter, first, after }, { token })).cancellationTargets;
const roomNumbers = (page: Json) => page.edges.map((e: Json) => e.node.roomNumber).sort();

/** Moves the clock forward to `day` and records the move-out of `c` as the operator. */
async function moveOut(c: Json, day: string) {
  stack.setClock(at(day, '10:00'));
  const r = data(await stack.gql(MOVE, { id: c.id }, { token: operator })).operatorRecordMoveOut;
  expect(r.userErrors).toEqual([]);
}

beforeAll(async () => {
  stack = await startStack({ only: [] });
  w = await cancellationWorld(stack, { notify: false });
  operator = await operatorToken(stack);
  // A member with rooms in several places; AP numbers unique to this file's member.
  const ap = `S${Date.now().toString(36).slice(-6)}`;
  const seed = async (key: string, o: Json) => (rooms[key] = await w.room({ apNo: `${ap}${o.ap}`, roomNumber: key, ...o.room }));
  await seed('101', { ap: 'A', room: { propertyName: 'レオパレス桜ヶ丘', prefecture: '東京都', city: '中野区' } });
  await seed('102', { ap: 'A', room: { propertyName: 'レオパレス桜ヶ丘', prefecture: '東京都', city: '中野区' } });
  await seed('201', { ap: 'B', room: { propertyName: 'クレイノ若葉台', prefecture: '神奈川県', city: '藤沢市' } });
  await seed('202', { ap: 'B', room: { propertyName: 'クレイノ若葉台', prefecture: '神奈川県', city: '藤沢市' } });
  await seed('301', { ap: 'C', room: { propertyName: 'ミランダ100%ハイツ', prefecture: '大阪府', city: '豊中市' } });
  await seed('302', { ap: 'C', room: { propertyName: 'ミランダ100%ハイツ', prefecture: '大阪府', city: '豊中市' } });
  // 101: moved out on 2026-06-01 (more than 3 months before "today" below); 102: moved out 2026-10-20;
  // 201: 解約受付 for 2026-12-15; 202: withdrawn; 301, 302: never cancelled (occupied).
  stack.setClock(at('2026-05-01', '10:00'));
  cancellations['101'] = await fileOk(stack, w.accounts.clerk.token, filing(rooms['101']!.id, { cancellationDate: '2026-06-01' }));
  await moveOut(cancellations['101'], '2026-06-02');
  stack.setClock(at('2026-10-01', '10:00'));
  cancellations['102'] = await fileOk(stack, w.accounts.clerk.token, filing(rooms['102']!.id, { cancellationDate: '2026-10-20' }));
  await moveOut(cancellations['102'], '2026-10-21');
  stack.setClock(at(TODAY, '10:00'));
  cancellations['201'] = await fileOk(stack, w.accounts.clerk.token, filing(rooms['201']!.id));
  cancellations['202'] = await fileOk(stack, w.accounts.clerk.token, filing(rooms['202']!.id));
  data(await stack.gql(WITHDRAW, { id: cancellations['202'].id, confirm: true }, { token: w.accounts.clerk.token }));
  // another member's rooms never show up
  const other = await cancellationWorld(stack, { notify: false });
  await fileOk(stack, other.accounts.clerk.token, filing((await other.room({ propertyName: 'レオパレス桜ヶ丘', prefecture: '東京都', city: '中野区' })).id));
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  stack.setClock(at(TODAY, '10:00'));
});

describe('search (解約対象検索)', () => {
  it('default: the past 3 months including occupied rooms; an empty move-out range: all', async () => {
    const page = await search(null);
    expect(roomNumbers(page)).toEqual(['102', '201', '202', '301', '302']);
    expect(page.totalCount).toBe(5);
    expect(roomNumbers(await search({}))).toEqual(['102', '201', '202', '301', '302']);
    expect(roomNumbers(await search({ moveOut: {} }))).toEqual(['101', '102', '201', '202', '301', '302']);
    const row = (await search(null)).edges.find((e: Json) => e.node.roomNumber === '201').node;
    expect(row).toMatchObject({ status: 'SUBMITTED', moveOutDate: '2026-12-15', memberNumber: w.member.memberNumber, prefecture: '神奈川県', city: '藤沢市', cancellation: { id: cancellations['201'].id }, room: { id: rooms['201']!.id } });
    expect((await search(null)).edges.find((e: Json) => e.node.roomNumber === '301').node).toMatchObject({ status: null, moveOutDate: null, cancellation: null, hasSettlementStatement: false });
    expect((await search(null)).edges.find((e: Json) => e.node.roomNumber === '202').node).toMatchObject({ status: 'WITHDRAWN', moveOutDate: null });
  });

  it('3 months back to the day: a move-out exactly 3 months before today is in, one day earlier is out', async () => {
    stack.setClock(at('2027-01-20', '10:00'));
    // 102 moved out 2026-10-20: in for today = 2027-01-20, out for 2027-01-21
    expect(roomNumbers(await search(null))).toContain('102');
    stack.setClock(at('2027-01-21', '10:00'));
    expect(roomNumbers(await search(null))).not.toContain('102');
  });

  it.each([
    ['APNo', (ap: string) => ({ apNo: `${ap}B` }), ['201', '202']],
    ['room number', () => ({ roomNumber: '302' }), ['302']],
    ['property name, partial', () => ({ propertyName: '若葉' }), ['201', '202']],
    ['property name with a LIKE wildcard is literal', () => ({ propertyName: '100%' }), ['301', '302']],
    ['prefecture', () => ({ prefecture: '大阪府' }), ['301', '302']],
    ['prefecture and city', () => ({ prefecture: '東京都', city: '中野区', moveOut: {} }), ['101', '102']],
    ['status', () => ({ statuses: ['MOVED_OUT'], moveOut: {} }), ['101', '102']],
    ['several statuses', () => ({ statuses: ['SUBMITTED', 'WITHDRAWN'] }), ['201', '202']],
    ['without any cancellation', () => ({ withoutCancellation: true }), ['301', '302']],
    ['move-out range, occupied excluded', () => ({ moveOut: { from: '2026-10-01', to: '2026-12-31', includeOccupied: false } }), ['102', '201']],
    ['move-out range, occupied included', () => ({ moveOut: { from: '2026-06-01', to: '2026-06-30' } }), ['101', '201', '202', '301', '302']],
    ['my member number', (_: string, member: string) => ({ memberNumber: member }), ['102', '201', '202', '301', '302']],
    ['another member number: nothing', () => ({ memberNumber: '99999999' }), []],
  ] as [string, (ap: string, member: string) => Json, string[]][])('filter: %s', async (_name, filter, expected) => {
    const ap = (await search({ roomNumber: '101', moveOut: {} })).edges[0].node.apNo.slice(0, -1);
    expect(roomNumbers(await search(filter(ap, w.member.memberNumber)))).toEqual(expected);
  });

  it('pages with a cursor, in APNo / room order, and counts all', async () => {
    const all = await search({ moveOut: {} }, w.accounts.viewer.token, 200);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: Json = await search({ moveOut: {} }, w.accounts.viewer.token, 4, after);
      expect(page.totalCount).toBe(6);
      seen.push(...page.edges.map((e: Json) => e.node.roomNumber));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e: Json) => e.node.roomNumber));
    expect(seen).toEqual(['101', '102', '201', '202', '301', '302']);
    expect(codes(await stack.gql(SEARCH, { after: 'garbage' }, { token: w.accounts.viewer.token }))).toContain('BAD_USER_INPUT');
  });

  it('SQL statements do not grow with the rows of a page', async () => {
    const query = `query($first: Int) { cancellationTargets(filter: { moveOut: {} }, first: $first) { edges { node { roomNumber room { apNo memberNumber lease { id } } cancellation { status approvals { accountName } history { event } penalty { penaltyUntil } } settlementStatement { totalAmount } } } } }`;
    const count = async (first: number) => {
      const before = stack.sqlStatements('tenancy');
      const r = await stack.gql(query, { first }, { token: w.accounts.viewer.token });
      expect(r.body.errors).toBeUndefined();
      return stack.sqlStatements('tenancy') - before;
    };
    const one = await count(1);
    const six = await count(6);
    expect(six).toBe(one);
  });
});

describe('settlement statements (解約清算明細書)', () => {
  const lines = (n: number) => [
    { description: '原状回復費', amount: 30000 + n, taxRate: 'STANDARD_10' },
    { description: 'クリーニング費', amount: 12000, taxRate: 'STANDARD_10' },
    { description: '短期解約違約金', amount: 50000, taxRate: 'NON_TAXABLE' },
    { description: '前払利用料返金', amount: -20000, taxRate: 'NON_TAXABLE' },
  ];
  const publish = async (cancellationId: string, n = 0) => data(await stack.gql(PUBLISH, { input: { cancellationId, lines: lines(n) } }, { token: operator })).operatorPublishSettlementStatement;
  const origin = () => new URL(stack.gatewayUrl).origin;

  it('only after move-out, once, with valid lines; members cannot publish', async () => {
    const before = await publish(cancellations['201'].id);
    expect(before.userErrors.map((e: Json) => e.code)).toEqual(['INVALID_STATUS']);
    const bad = data(await stack.gql(PUBLISH, { input: { cancellationId: cancellations['101'].id, lines: [] } }, { token: operator })).operatorPublishSettlementStatement;
    expect(bad.userErrors.map((e: Json) => `${e.field}:${e.code}`)).toEqual(['input.lines:STATEMENT_LINES_INVALID']);
    expect(codes(await stack.gql(PUBLISH, { input: { cancellationId: cancellations['101'].id, lines: lines(0) } }, { token: w.accounts.clerk.token }))).toContain('FORBIDDEN');
  });

  it('publishes with tax per rate and the issuer number, marks the room in the search, serves a real PDF', async () => {
    const p = await publish(cancellations['102'].id);
    expect(p.userErrors).toEqual([]);
    const s = p.settlementStatement;
    // 10%: 42,000 → tax 4,200; not taxable: 30,000 → total 76,200
    expect(s).toMatchObject({ subtotal: 72000, totalTax: 4200, totalAmount: 76200, issuedOn: TODAY });
    // One issuer for every document of every subgraph, with a check digit that validates.
    expect(s.issuerRegistrationNumber).toBe(ISSUER.registrationNumber);
    expect(isRegistrationNumber(s.issuerRegistrationNumber)).toBe(true);
    expect(s.taxBreakdown).toEqual([
      { taxRate: 'STANDARD_10', taxableAmount: 42000, tax: 4200, total: 46200 },
      { taxRate: 'NON_TAXABLE', taxableAmount: 30000, tax: 0, total: 30000 },
    ]);
    expect(data(await stack.gql(PUBLISH, { input: { cancellationId: cancellations['102'].id, lines: lines(0) } }, { token: operator })).operatorPublishSettlementStatement.userErrors.map((e: Json) => e.code)).toEqual(['STATEMENT_ALREADY_PUBLISHED']);

    const row = (await search({ roomNumber: '102' })).edges[0].node;
    expect(row).toMatchObject({ hasSettlementStatement: true, settlementStatement: { id: s.id, totalAmount: 76200 } });
    expect((await search({ roomNumber: '201' })).edges[0].node.hasSettlementStatement).toBe(false);

    // the viewer reads it and downloads the PDF through the gateway's signed link
    const viewerUrl = data(await stack.gql('query($id: ID!) { cancellation(id: $id) { settlementStatement { pdfUrl } } }', { id: cancellations['102'].id }, { token: w.accounts.viewer.token })).cancellation.settlementStatement.pdfUrl;
    const res = await fetch(new URL(viewerUrl, origin()));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('解約清算明細書');
    expect(text).toContain('102');
    expect(text).toContain('¥76,200');
    // Layout (issue 11 item 10): every line, the headers and the grand total each on one text line; Japanese dates.
    const oneLine = (needles: string[]) => text.split('\n').some((l) => needles.every((n) => l.includes(n)));
    expect(oneLine(['摘要', '税率', '金額（税抜）'])).toBe(true);
    for (const l of lines(0)) expect(oneLine([l.description, l.amount < 0 ? `-¥${(-l.amount).toLocaleString('ja-JP')}` : `¥${l.amount.toLocaleString('ja-JP')}`]), l.description).toBe(true);
    expect(oneLine(['合計（税込）', '¥76,200'])).toBe(true);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).toContain(`登録番号 ${ISSUER.registrationNumber}`);
    expect(text).toContain(ISSUER.name);
    expect(text).toContain(`TEL ${ISSUER.phone}`);
    expect(text).toContain('10%対象');

    // Stamped at publication (M:566 "タイムスタンプが付与されたPDF"): the token verifies with openssl against the TSA's CA.
    const stamp = data(await stack.gql('query($id: ID!) { cancellation(id: $id) { settlementStatement { pdfUrl timestampTokenUrl timestampGenTime documentSha256 } } }', { id: cancellations['102'].id }, { token: w.accounts.viewer.token })).cancellation.settlementStatement;
    expect(stamp.timestampTokenUrl).toMatch(/^\/files\/tenancy\//);
    const tsr = await fetch(new URL(stamp.timestampTokenUrl, origin()));
    expect(tsr.status).toBe(200);
    expect(tsr.headers.get('content-type')).toBe('application/timestamp-reply');
    const pdfBytes = Buffer.from(await (await fetch(new URL(stamp.pdfUrl, origin()))).arrayBuffer());
    expect(createHash('sha256').update(pdfBytes).digest('hex')).toBe(stamp.documentSha256);
    const stampDir = mkdtempSync(join(tmpdir(), 'settlement-stamp-'));
    writeFileSync(join(stampDir, 'statement.pdf'), pdfBytes);
    writeFileSync(join(stampDir, 'statement.pdf.tsr'), Buffer.from(await tsr.arrayBuffer()));
    const caFile = join(stack.subgraphs.tenancy!.services.dataDir, 'tsa', 'pki', 'ca.pem');
    const verify = (file: string) => execFileSync('openssl', ['ts', '-verify', '-data', join(stampDir, file), '-in', join(stampDir, 'statement.pdf.tsr'), '-token_in', '-CAfile', caFile], { encoding: 'utf8', stdio: 'pipe' });
    expect(verify('statement.pdf')).toContain('Verification: OK');
    const changed = Buffer.from(pdfBytes);
    changed[changed.length - 10]! ^= 1;
    writeFileSync(join(stampDir, 'changed.pdf'), changed);
    expect(() => verify('changed.pdf')).toThrow();
  });

  it('a ZIP of three statements holds three valid PDFs showing the room and the total', async () => {
    stack.setClock(at(TODAY, '10:00'));
    const three: Json[] = [];
    for (const n of [1, 2, 3]) {
      const room = await w.room({ roomNumber: `90${n}` });
      const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { cancellationDate: '2026-11-18' }));
      await moveOut(c, '2026-11-19');
      const p = await publish(c.id, n * 1000);
      expect(p.userErrors).toEqual([]);
      three.push({ room: `90${n}`, total: p.settlementStatement.totalAmount, id: p.settlementStatement.id });
      stack.setClock(at(TODAY, '10:00'));
    }
    const zip = data(await stack.gql(ZIP, { ids: three.map((t) => t.id) }, { token: w.accounts.viewer.token })).downloadSettlementStatements;
    expect(zip.userErrors).toEqual([]);
    expect(zip.count).toBe(3);
    expect(zip.filename).toMatch(/\.zip$/);
    const res = await fetch(new URL(zip.url, origin()));
    expect(res.status).toBe(200);
    const files = await unzipFiles(new Uint8Array(await res.arrayBuffer()));
    expect(files).toHaveLength(3);
    for (const [i, f] of files.entries()) {
      expect(f.name).toMatch(/^解約清算明細書_.*\.pdf$/);
      expect(f.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(f.bytes);
      expect(text).toContain(`${three[i]!.room}号室`);
      expect(text).toContain(`¥${three[i]!.total.toLocaleString('en-US')}`);
    }
  });

  it("refuses another member's statement exactly like a missing one; NONE cannot download", async () => {
    const other = await cancellationWorld(stack, { notify: false });
    const c = await fileOk(stack, other.accounts.clerk.token, filing((await other.room()).id, { cancellationDate: '2026-11-18' }));
    await moveOut(c, '2026-11-19');
    const theirs = (await publish(c.id)).settlementStatement.id;
    stack.setClock(at(TODAY, '10:00'));
    const a = data(await stack.gql(ZIP, { ids: [theirs] }, { token: w.accounts.viewer.token })).downloadSettlementStatements;
    const b = data(await stack.gql(ZIP, { ids: ['00000000-0000-4000-8000-000000000000'] }, { token: w.accounts.viewer.token })).downloadSettlementStatements;
    expect(a).toEqual(b);
    expect(a.userErrors.map((e: Json) => `${e.field}:${e.code}`)).toEqual(['input.statementIds.0:STATEMENT_NOT_FOUND']);
    expect(data(await stack.gql(ZIP, { ids: [] }, { token: w.accounts.viewer.token })).downloadSettlementStatements.userErrors.map((e: Json) => e.code)).toEqual(['TOO_MANY_STATEMENTS']);
    expect(codes(await stack.gql(ZIP, { ids: [theirs] }, { token: w.accounts.none.token }))).toContain('FORBIDDEN');
    expect(codes(await stack.callSubgraph('tenancy', ZIP, { ids: [theirs] }, { accountId: w.accounts.none.id }))).toContain('FORBIDDEN');
  });
});

const scratch = mkdtempSync(join(tmpdir(), 'settlement-pdf-'));
let pdfCount = 0;
function pdfText(bytes: Uint8Array): string {
  const file = join(scratch, `${pdfCount++}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
