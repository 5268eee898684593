import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { ISSUER } from '@portal/documents';
import { startStack, type Stack } from '@portal/testing';
import { invoices } from './seed.ts';

let stack: Stack;
const NOW = new Date('2026-05-18T03:00:00Z');
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(NOW);
});
afterAll(async () => {
  await stack?.stop();
});

async function login(memberId: string, billing: 'VIEW' | 'UPDATE') {
  const account = await stack.seed.account(memberId, { billing });
  stack.setClock(null);
  try {
    return { account, token: await stack.login(account.loginId, account.password) };
  } finally {
    stack.setClock(NOW);
  }
}

type Link = { url: string | null; filename: string | null; contentType: string | null; printCount: number | null; userErrors: { code: string; field: string }[] };
async function download(url: string): Promise<{ status: number; bytes: Buffer; type: string | null; disposition: string | null }> {
  const res = await fetch(new URL(url, stack.gatewayUrl));
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition') };
}
function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'billing-pdf-'));
  const file = path.join(dir, 'doc.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;

async function world() {
  const member = await stack.seed.member();
  const rooms = await stack.seed.rooms(member.id, 3, { propertyName: 'レオパレス髙田①' });
  const inv = await invoices(stack, member)
    .invoice({ billingMonth: '2026-05', issueDate: '2026-05-08', dueDate: '2026-05-29', recipientName: '株式会社サンプル商事', printCount: 0 })
    .lines([rooms[0]!], { nextMonthUsageFee: 47550, annualFee: 19800, taxRate: 10 })
    .lines([rooms[1]!], { nextMonthUsageFee: 45050, taxRate: 10 })
    .lines([rooms[2]!], { minorServicesFee: 1537, exitSettlement: 41800, taxRate: 8 })
    .save();
  const lines = await stack.sql<{ id: string; room_number: string }>('select id, room_number from billing.invoice_line where invoice_id = $1 order by room_number', [inv.id]);
  return { member, rooms, inv, lines };
}

describe('invoice documents', () => {
  it('the qualified invoice PDF shows the registration number, the recipient, and per-rate totals and tax equal to the lines\'', async () => {
    const { member, inv } = await world();
    const { token } = await login(member.id, 'VIEW');
    const r = await stack.gql<{ printQualifiedInvoice: Link }>('mutation($id: ID!) { printQualifiedInvoice(input: { invoiceId: $id }) { url filename contentType printCount userErrors { code field } } }', { id: inv.id }, { token });
    expect(r.body.errors).toBeUndefined();
    const link = r.body.data!.printQualifiedInvoice;
    expect(link).toMatchObject({ filename: '適格請求書_2026-05.pdf', contentType: 'application/pdf', printCount: 1, userErrors: [] });
    expect(link.url).toMatch(/^\/files\/billing\//);
    const file = await download(link.url!);
    expect(file.status).toBe(200);
    const text = pdfText(file.bytes);
    expect(text).toContain('適格請求書');
    // The one issuer of every document (tenancy's settlement statements print the same).
    expect(text).toContain(`登録番号 ${ISSUER.registrationNumber}`);
    expect(text).toContain(ISSUER.name);
    expect(text).toContain('株式会社サンプル商事');
    // 10%: 47,550 + 19,800 + 45,050 = 112,400 → tax floor(112,400 × 10 / 110) = 10,218; 8%: 1,537 + 41,800 = 43,337 → floor(43,337 × 8 / 108) = 3,210
    const ten = 47550 + 19800 + 45050;
    const eight = 1537 + 41800;
    expect(Math.floor((ten * 10) / 110)).toBe(10218);
    expect(Math.floor((eight * 8) / 108)).toBe(3210);
    expect(text).toMatch(new RegExp(`10%対象（税込）\\s+${yen(ten)}`));
    expect(text).toMatch(new RegExp(`うち消費税（10%）\\s+${yen(10218)}`));
    expect(text).toMatch(new RegExp(`8%対象（税込）\\s+${yen(eight)}`));
    expect(text).toMatch(new RegExp(`うち消費税（8%）\\s+${yen(3210)}`));
    expect(text).toMatch(new RegExp(`合計（税込）\\s+${yen(ten + eight)}`));
    expect(text).toContain('2026年6月'); // the usage fee's transaction month
    for (const amount of [47550, 19800, 45050, 1537, 41800]) expect(text).toContain(yen(amount));
  });

  it('prints the statement of selected lines only, raises the count each time, and refuses a foreign line', async () => {
    const { member, inv, lines } = await world();
    const other = await world();
    const { token } = await login(member.id, 'VIEW');
    const q = 'mutation($i: PrintInvoiceStatementInput!) { printInvoiceStatement(input: $i) { url filename printCount userErrors { code field } } }';
    const selected = await stack.gql<{ printInvoiceStatement: Link }>(q, { i: { invoiceId: inv.id, lineIds: [lines[1]!.id] } }, { token });
    expect(selected.body.data!.printInvoiceStatement).toMatchObject({ filename: '請求明細書_2026-05_選択.pdf', printCount: 1, userErrors: [] });
    const text = pdfText((await download(selected.body.data!.printInvoiceStatement.url!)).bytes);
    expect(text).toContain('請求明細書');
    expect(text).toContain(yen(45050));
    expect(text).not.toContain(yen(47550));
    const whole = await stack.gql<{ printInvoiceStatement: Link }>(q, { i: { invoiceId: inv.id } }, { token });
    expect(whole.body.data!.printInvoiceStatement.printCount).toBe(2);
    const foreign = await stack.gql<{ printInvoiceStatement: Link }>(q, { i: { invoiceId: inv.id, lineIds: [lines[0]!.id, other.lines[0]!.id] } }, { token });
    expect(foreign.body.data!.printInvoiceStatement).toMatchObject({ url: null, userErrors: [{ code: 'LINE_NOT_FOUND', field: 'lineIds.1' }] });
    const count = await stack.gql<{ invoice: { printCount: number } }>('query($id: ID!) { invoice(id: $id) { printCount } }', { id: inv.id }, { token });
    expect(count.body.data?.invoice.printCount).toBe(2);
    // Another member's invoice is like a missing one, and its count does not move.
    const theirs = await stack.gql<{ printInvoiceStatement: Link }>(q, { i: { invoiceId: other.inv.id } }, { token });
    expect(theirs.body.data!.printInvoiceStatement.userErrors).toEqual([{ code: 'INVOICE_NOT_FOUND', field: 'invoiceId' }]);
    expect(await stack.sql('select print_count from billing.invoice where id = $1', [other.inv.id])).toEqual([{ print_count: 0 }]);
  });

  it('lays out the statement and the qualified invoice without breaking a cell: rows, headers and the grand total on one line each, dates in Japanese', async () => {
    const { member, inv, lines } = await world();
    const { token } = await login(member.id, 'VIEW');
    const rows = await stack.sql<{ ap_no: string; room_number: string; member_number: string; total: number }>('select ap_no, room_number, member_number, total from billing.invoice_line where invoice_id = $1 order by room_number', [inv.id]);
    expect(rows).toHaveLength(lines.length);
    // One text line holds every needle: pdftotext -layout puts a cell's second line on a line of its own.
    const oneLine = (text: string, needles: string[]) => text.split('\n').some((l) => needles.every((n) => l.includes(n)));
    const grand = rows.reduce((s, r) => s + r.total, 0);

    const st = await stack.gql<{ printInvoiceStatement: Link }>('mutation($id: ID!) { printInvoiceStatement(input: { invoiceId: $id }) { url userErrors { code } } }', { id: inv.id }, { token });
    const statement = pdfText((await download(st.body.data!.printInvoiceStatement.url!)).bytes);
    expect(oneLine(statement, ['APNo', '物件名', '部屋', '会員番号', '翌月利用料', '年会費等', '年会費等の種別', '少額短期保険等', '退室清算金', '合計'])).toBe(true);
    for (const r of rows) expect(oneLine(statement, [r.ap_no, r.room_number, r.member_number, yen(r.total)]), `row ${r.room_number}`).toBe(true);
    expect(oneLine(statement, ['合計', yen(grand)])).toBe(true);
    expect(statement).toContain('2026年5月29日');
    expect(statement).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    const q = await stack.gql<{ printQualifiedInvoice: Link }>('mutation($id: ID!) { printQualifiedInvoice(input: { invoiceId: $id }) { url userErrors { code } } }', { id: inv.id }, { token });
    const qualified = pdfText((await download(q.body.data!.printQualifiedInvoice.url!)).bytes);
    expect(oneLine(qualified, ['取引年月', 'APNo', '物件名', '部屋', 'ご請求内容', '税率', 'ご請求金額（税込）'])).toBe(true);
    expect(oneLine(qualified, ['合計（税込）', yen(grand)])).toBe(true);
    expect(oneLine(qualified, ['2026年6月', rows[0]!.ap_no, rows[0]!.room_number, '部屋利用料', '10%', yen(47550)])).toBe(true);
    // The annual fee is named by its kind (the seed's 更新費用), not by the three kinds together (issue 11 item 9).
    expect(oneLine(qualified, ['2026年5月', rows[0]!.ap_no, rows[0]!.room_number, '更新費用', yen(19800)])).toBe(true);
    expect(qualified).not.toContain('年会費/維持手数料');
    expect(oneLine(statement, [rows[0]!.member_number, yen(19800), '更新費用'])).toBe(true);
    expect(qualified).toContain('2026年5月29日');
    expect(qualified).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('stamps the statement when it is generated (M:93–94): its RFC 3161 token downloads and verifies with openssl ts -verify and verifyTimestamp', async () => {
    const { member, inv } = await world();
    const { token } = await login(member.id, 'VIEW');
    type Stamped = { url: string; timestampTokenUrl: string | null; timestampGenTime: string | null; userErrors: unknown[] };
    const r = await stack.gql<{ printInvoiceStatement: Stamped }>('mutation($id: ID!) { printInvoiceStatement(input: { invoiceId: $id }) { url timestampTokenUrl timestampGenTime userErrors { code } } }', { id: inv.id }, { token });
    expect(r.body.errors).toBeUndefined();
    const link = r.body.data!.printInvoiceStatement;
    expect(link.userErrors).toEqual([]);
    expect(link.timestampTokenUrl).toMatch(/^\/files\/billing\//);
    expect(Number.isNaN(Date.parse(link.timestampGenTime!))).toBe(false);
    const pdf = await download(link.url);
    const tsr = await download(link.timestampTokenUrl!);
    expect(tsr).toMatchObject({ status: 200, type: 'application/timestamp-reply' });
    const dir = mkdtempSync(path.join(tmpdir(), 'billing-stamp-'));
    writeFileSync(path.join(dir, 'statement.pdf'), pdf.bytes);
    writeFileSync(path.join(dir, 'statement.pdf.tsr'), tsr.bytes);
    const caFile = path.join(stack.subgraphs.billing!.services.dataDir, 'tsa', 'pki', 'ca.pem');
    const verify = (data: string) => execFileSync('openssl', ['ts', '-verify', '-data', path.join(dir, data), '-in', path.join(dir, 'statement.pdf.tsr'), '-token_in', '-CAfile', caFile], { encoding: 'utf8', stdio: 'pipe' });
    expect(verify('statement.pdf')).toContain('Verification: OK');
    // Positive control of the check: one byte changed, the same token no longer verifies.
    const changed = Buffer.from(pdf.bytes);
    changed[changed.length - 10]! ^= 1;
    writeFileSync(path.join(dir, 'changed.pdf'), changed);
    expect(() => verify('changed.pdf')).toThrow();
    const v = await stack.gql<{ verifyTimestamp: { valid: boolean; genTime: string | null } }>('mutation($d: String!, $t: String!) { verifyTimestamp(input: { documentBase64: $d, tokenBase64: $t }) { valid genTime } }', { d: pdf.bytes.toString('base64'), t: tsr.bytes.toString('base64') }, { token });
    expect(v.body.data?.verifyTimestamp).toEqual({ valid: true, genTime: link.timestampGenTime });
  });

  it('exports the lines as CSV in UTF-8 with BOM and in cp932 (CRLF) with the Japanese intact', async () => {
    const { member, inv } = await world();
    const { token } = await login(member.id, 'VIEW');
    const q = 'mutation($i: ExportInvoiceLinesInput!) { exportInvoiceLines(input: $i) { url filename contentType userErrors { code } } }';
    const utf8 = await stack.gql<{ exportInvoiceLines: Link }>(q, { i: { invoiceId: inv.id, encoding: 'UTF8_BOM' } }, { token });
    const u = await download(utf8.body.data!.exportInvoiceLines.url!);
    expect([...u.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const sjis = await stack.gql<{ exportInvoiceLines: Link }>(q, { i: { invoiceId: inv.id, encoding: 'CP932', filter: { category: 'EXIT_SETTLEMENT' } } }, { token });
    expect(sjis.body.data!.exportInvoiceLines).toMatchObject({ filename: '請求明細_2026-05_sjis.csv', userErrors: [] });
    const s = await download(sjis.body.data!.exportInvoiceLines.url!);
    expect([...s.bytes.subarray(0, 2)]).not.toEqual([0xef, 0xbb]);
    const text = iconv.decode(s.bytes, 'cp932');
    expect(iconv.encode(text, 'cp932').equals(s.bytes)).toBe(true);
    const rows = text.split('\r\n');
    expect(rows[0]).toBe('請求年月,APNo,物件名,部屋番号,会員番号,翌月利用料,年会費/維持手数料/更新手数料,マイナーサービス/少額短期保険,退室清算金,請求金額合計,税率,保留,年会費等の種別');
    expect(rows).toHaveLength(3); // header, one line, and the empty string after the final CRLF
    expect(rows[1]).toContain('レオパレス髙田①');
    expect(rows[1]).toContain(',41800,');
    expect(rows[2]).toBe('');
    const utf8Text = u.bytes.subarray(3).toString('utf8');
    expect(utf8Text.split('\r\n')).toHaveLength(5);
    // The line with a renewal fee names it in the last column.
    expect(utf8Text.split('\r\n').find((l) => l.includes(',19800,'))).toMatch(/,更新費用$/);
  });
});
