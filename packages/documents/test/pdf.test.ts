import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYen, renderPdf, type PdfDocumentSpec } from '../src/index.ts';

// Poppler (apt-get install poppler-utils) reads the PDFs back: text, page count, fonts, a PNG of page 1.
const dir = mkdtempSync(join(tmpdir(), 'documents-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const poppler = (tool: string, args: string[]): string => execFileSync(tool, args, { encoding: 'utf8' });

const amounts = Array.from({ length: 60 }, (_, i) => ({ fee: 50_000 + i * 1_234, maintenance: 5_000 + i * 100 }));
const subtotal = amounts.reduce((s, a) => s + a.fee + a.maintenance, 0);
const tax = Math.floor(subtotal * 0.1);

function statement(overrides: Partial<PdfDocumentSpec> = {}): PdfDocumentSpec {
  return {
    title: '請求明細書',
    documentNumber: 'INV-2026-04-0001',
    issuedOn: '2026-04-03',
    issuer: {
      name: '株式会社ポータル管理',
      address: ['〒100-0005', '東京都千代田区丸の内一丁目1番1号 丸の内ビル12階'],
      phone: '03-1234-5678',
      registrationNumber: 'T7123456789012',
    },
    recipient: { name: '株式会社サンプル商事' },
    blocks: [
      { kind: 'keyValues', emphasis: true, rows: [['ご請求金額', formatYen(subtotal + tax)], ['お支払期限', '2026年4月30日']] },
      { kind: 'text', text: '下記のとおりご請求申し上げます。' },
      { kind: 'heading', text: '明細' },
      {
        kind: 'table',
        columns: [
          { header: 'AP No.', width: 1 },
          { header: '物件名', width: 2.2 },
          { header: '部屋', width: 1 },
          { header: '翌月利用料', width: 1.3, align: 'right' },
          { header: '維持手数料', width: 1.2, align: 'right' },
          { header: '合計', width: 1.3, align: 'right' },
        ],
        rows: amounts.map((a, i) => [`AP${1000 + i}`, `サンプルマンション${i % 2 ? '西館' : '東館'}`, `${101 + i}号室`, formatYen(a.fee), formatYen(a.maintenance), formatYen(a.fee + a.maintenance)]),
        totals: [
          ['小計', formatYen(subtotal)],
          ['消費税（10%）', formatYen(tax)],
          ['合計', formatYen(subtotal + tax)],
        ],
      },
      { kind: 'spacer', height: 8 },
      { kind: 'text', text: '備考：本書は電子的に発行されたものです。' },
    ],
    footerNote: '株式会社ポータル管理　法人WEBシステム',
    ...overrides,
  };
}

describe('renderPdf', () => {
  let pdf: Buffer;
  let file: string;
  let pages: string[];

  beforeAll(async () => {
    pdf = await renderPdf(statement());
    file = join(dir, 'statement.pdf');
    writeFileSync(file, pdf);
    pages = poppler('pdftotext', ['-layout', file, '-']).split('\f');
  });

  it('is an A4 PDF whose 60-row table breaks onto 3 pages', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const info = poppler('pdfinfo', [file]);
    expect(info).toMatch(/Pages:\s+3\n/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/Title:\s+請求明細書/);
  });

  it('embeds Noto Sans JP Regular and Bold as subsets', () => {
    const fonts = poppler('pdffonts', [file]);
    expect(fonts).toMatch(/\+NotoSansJP-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/\+NotoSansJP-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('prints the header, parties, Japanese text and right-aligned yen amounts', () => {
    const first = pages[0]!;
    expect(first).toContain('No. INV-2026-04-0001');
    expect(first).toContain('発行日 2026年4月3日');
    expect(first).toContain('請求明細書');
    expect(first).toMatch(/株式会社サンプル商事\s+御中/);
    expect(first).toContain('登録番号 T7123456789012');
    expect(first).toContain('TEL 03-1234-5678');
    expect(first).toContain('東京都千代田区丸の内一丁目1番1号');
    expect(first).toContain('下記のとおりご請求申し上げます。');
    expect(first).toMatch(/AP1000\s+サンプルマンション東館\s+101号室\s+¥50,000\s+¥5,000\s+¥55,000/);
    const all = pages.join('\n');
    expect(all).toMatch(/AP1059\s+サンプルマンション西館\s+160号室\s+¥122,806\s+¥10,900\s+¥133,706/);
    expect(all).toMatch(new RegExp(`小計\\s+${formatYen(subtotal)}`));
    expect(all).toMatch(new RegExp(`消費税（10%）\\s+${formatYen(tax)}`));
    expect(all).toContain('備考：本書は電子的に発行されたものです。');
  });

  it('repeats the table header on every page, never splits rows, and numbers the pages', () => {
    const printed = pages.filter((p) => p.trim() !== '');
    expect(printed).toHaveLength(3);
    printed.forEach((page, i) => {
      expect(page.match(/物件名/g)).toHaveLength(1);
      expect(page).toMatch(new RegExp(`${i + 1}\\s*/\\s*3`));
      expect(page).toMatch(/株式会社ポータル管理\s+法人WEBシステム/);
    });
    const rowsPerPage = printed.map((p) => (p.match(/AP1\d{3}/g) ?? []).length);
    expect(rowsPerPage.reduce((s, n) => s + n, 0)).toBe(60);
    expect(rowsPerPage.every((n) => n > 0)).toBe(true);
  });

  it('renders page 1 to PNG (pdftoppm) for a visual check', () => {
    poppler('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page-1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // 60 dpi A4 ≈ 496 × 702 pixels (poppler rounds up)
    expect(Math.abs(png.readUInt32BE(16) - 496)).toBeLessThanOrEqual(1);
    expect(Math.abs(png.readUInt32BE(20) - 702)).toBeLessThanOrEqual(1);
  });

  it('is deterministic: the same spec gives the same bytes, another creation date other bytes', async () => {
    expect((await renderPdf(statement())).equals(pdf)).toBe(true);
    const other = await renderPdf(statement({ createdAt: new Date('2026-04-03T01:00:00Z') }));
    expect(other.equals(pdf)).toBe(false);
  });

  it('takes the creation date from issuedOn (00:00 in Japan)', () => {
    expect(poppler('pdfinfo', ['-isodates', file])).toMatch(/CreationDate:\s+2026-04-02T15:00:00Z/);
  });

  it('renders a minimal document (title only) on one page', async () => {
    const f = join(dir, 'minimal.pdf');
    writeFileSync(f, await renderPdf({ title: '返金明細書', blocks: [] }));
    expect(poppler('pdfinfo', [f])).toMatch(/Pages:\s+1\n/);
    expect(poppler('pdftotext', [f, '-'])).toMatch(/1\s*\/\s*1/);
  });

  it('flows a long paragraph onto the next page', async () => {
    const f = join(dir, 'long.pdf');
    const text = '賃貸借契約の解約に伴う精算金額は、日割計算により算出いたします。'.repeat(120);
    writeFileSync(f, await renderPdf({ title: 'ご案内', blocks: [{ kind: 'text', text }] }));
    const out = poppler('pdftotext', [f, '-']);
    expect(poppler('pdfinfo', [f])).toMatch(/Pages:\s+2\n/);
    expect(out).toMatch(/2\s*\/\s*2/);
  });

  it('refuses a malformed spec', async () => {
    await expect(renderPdf(statement({ issuer: { name: 'x', registrationNumber: '1234567890123' } }))).rejects.toThrow(/T' \+ 13 digits/);
    await expect(renderPdf(statement({ issuer: { name: 'x', registrationNumber: 'T123456789012' } }))).rejects.toThrow(RangeError);
    // 13 digits, but the check digit is wrong (the one of 123456789012 is 7).
    await expect(renderPdf(statement({ issuer: { name: 'x', registrationNumber: 'T1123456789012' } }))).rejects.toThrow(/check digit/);
    await expect(
      renderPdf({ title: 't', blocks: [{ kind: 'table', columns: [{ header: 'a', width: 1 }, { header: 'b', width: 1 }], rows: [['only one']] }] }),
    ).rejects.toThrow(/1 cells for 2 columns/);
  });
});

describe('renderPdf: column widths (no cell breaks across lines)', () => {
  // The statement's nine columns, as billing printed them before: weights alone made the member number,
  // the long headers and the grand total wrap on every row.
  const columns = [
    { header: 'APNo', width: 1.1 }, { header: '物件名', width: 3, wrap: true }, { header: '部屋', width: 0.8 }, { header: '会員番号', width: 1.2 },
    { header: '翌月利用料', width: 1.3, align: 'right' as const }, { header: '年会費等', width: 1.2, align: 'right' as const }, { header: '少額短期保険等', width: 1.3, align: 'right' as const },
    { header: '退室清算金', width: 1.3, align: 'right' as const }, { header: '合計', width: 1.3, align: 'right' as const },
  ];
  const rows = Array.from({ length: 12 }, (_, i) => [`${12500 + i}`, `レオパレス増泉${i % 3 ? 'Ⅱ' : 'サンガーデン'}`, `${201 + i}`, `${12518543 + i}`, formatYen(147550 + i), formatYen(19800), formatYen(1537), formatYen(141800), formatYen(310687 + i)]);
  const grand = formatYen(12_345_678);
  const text = async (orientation: 'portrait' | 'landscape') => {
    const pdf = await renderPdf({ title: '請求明細書', orientation, blocks: [{ kind: 'table', columns, rows, totals: [['合計', grand]] }] });
    const file = join(dir, `widths-${orientation}.pdf`);
    writeFileSync(file, pdf);
    return { lines: poppler('pdftotext', ['-layout', file, '-']).split('\n'), file };
  };
  const oneLine = (lines: string[], needles: string[]) => lines.some((l) => needles.every((n) => l.includes(n)));

  it.each(['portrait', 'landscape'] as const)('%s: the header, every row and the grand total each stay on one line', async (orientation) => {
    const { lines, file } = await text(orientation);
    expect(oneLine(lines, columns.map((c) => c.header))).toBe(true);
    for (const row of rows) expect(oneLine(lines, [row[0]!, row[2]!, row[3]!, row[4]!, row[8]!]), row[3]).toBe(true);
    expect(oneLine(lines, ['合計', grand])).toBe(true);
    expect(poppler('pdfinfo', [file])).toMatch(orientation === 'landscape' ? /Page size:\s+841\.89 x 595\.28/ : /Page size:\s+595\.28 x 841\.89/);
  });

  it('a long name may wrap in a column that allows it, the numbers beside it still do not', async () => {
    const long = 'レオパレスとても長い物件名のサンプルマンション東館別棟'.repeat(2);
    const pdf = await renderPdf({ title: 't', blocks: [{ kind: 'table', columns, rows: [[rows[0]![0]!, long, ...rows[0]!.slice(2)]] }] });
    const file = join(dir, 'widths-long.pdf');
    writeFileSync(file, pdf);
    const lines = poppler('pdftotext', ['-layout', file, '-']).split('\n');
    expect(oneLine(lines, [long])).toBe(false); // it did wrap…
    expect(oneLine(lines, ['レオパレス'])).toBe(true);
    expect(oneLine(lines, [rows[0]![3]!, rows[0]![8]!])).toBe(true);
  });
});
