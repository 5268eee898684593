import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvContentType, CsvEncodingError, toCsv, type CsvUnmappable } from '../src/index.ts';

const header = ['APNo', '物件名', '部屋', '翌月利用料', '備考'];
const rows = [
  ['AP1001', 'サンプルマンション東館', '101号室', 55_000, null],
  ['AP1002', 'パーク・ハイツ "青山"', '202号室', 120_000, '保留, 変更あり'],
  ['AP1003', '髙橋ビル①', '3F', -1_500, '1行目\n2行目'],
];
const expectedText =
  'APNo,物件名,部屋,翌月利用料,備考\r\n' +
  'AP1001,サンプルマンション東館,101号室,55000,\r\n' +
  'AP1002,"パーク・ハイツ ""青山""",202号室,120000,"保留, 変更あり"\r\n' +
  'AP1003,髙橋ビル①,3F,-1500,"1行目\n2行目"\r\n';

describe('toCsv utf8-bom', () => {
  it('starts with the BOM, ends lines with CRLF, quotes per RFC 4180 and round-trips the Japanese text', () => {
    const bytes = toCsv(header, rows, 'utf8-bom');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(iconv.decode(bytes, 'utf8', { stripBOM: true })).toBe(expectedText);
    expect(bytes.subarray(-2).toString('latin1')).toBe('\r\n');
  });

  it('keeps characters Shift_JIS lacks', () => {
    const bytes = toCsv(['名前'], [['𠮷野家〜😀']], 'utf8-bom');
    expect(iconv.decode(bytes, 'utf8', { stripBOM: true })).toBe('名前\r\n𠮷野家〜😀\r\n');
  });
});

describe('toCsv cp932', () => {
  it('round-trips the Japanese text (incl. NEC/IBM extensions ①, 髙) without a BOM', () => {
    const bytes = toCsv(header, rows, 'cp932');
    expect(bytes[0]).toBe(0x41); // 'A', no BOM
    expect(iconv.decode(bytes, 'cp932')).toBe(expectedText);
    // 'ア' is 0x83 0x41 in Shift_JIS: the bytes really are cp932, not UTF-8
    expect(bytes.includes(Buffer.from([0x83, 0x41]))).toBe(false);
    expect(bytes.includes(iconv.encode('サンプル', 'cp932'))).toBe(true);
  });

  it('maps the JIS look-alikes to the characters Windows uses instead of failing', () => {
    const bytes = toCsv(['x'], [['1〜3丁目 −5 ¥100 ‖ — ¢£¬']], 'cp932');
    expect(iconv.decode(bytes, 'cp932')).toBe('x\r\n1～3丁目 －5 ￥100 ∥ ― ￠￡￢\r\n');
  });

  it('NFC-normalises decomposed kana (macOS input) so it encodes', () => {
    const decomposed = 'か\u3099'; // か + combining dakuten
    expect(iconv.decode(toCsv(['x'], [[decomposed]], 'cp932'), 'cp932')).toBe('x\r\nが\r\n');
  });

  it('throws a CsvEncodingError naming every character cp932 cannot encode (never a silent "?")', () => {
    let error: unknown;
    try {
      toCsv(['名前', '備考'], [['株式会社𠮷野', 'ok'], ['ok', '絵文字😀']], 'cp932');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvEncodingError);
    const e = error as CsvEncodingError;
    expect(e.code).toBe('CSV_UNMAPPABLE_CHARACTER');
    expect(e.unmappable).toEqual([
      { row: 1, column: 0, char: '𠮷', codePoint: 'U+20BB7' },
      { row: 2, column: 1, char: '😀', codePoint: 'U+1F600' },
    ]);
    expect(e.message).toContain("'𠮷' (U+20BB7) row 1 column 1");
    expect(e.messageJa).toContain('「𠮷」(1行目 1列目)');
    expect(e.messageJa).toContain('UTF-8');
  });

  it("with unmappable 'replace' writes 〓 and reports each replacement", () => {
    const reported: CsvUnmappable[][] = [];
    const bytes = toCsv(['名前'], [['𠮷野家😀']], 'cp932', { unmappable: 'replace', onReplace: (r) => reported.push(r) });
    expect(iconv.decode(bytes, 'cp932')).toBe('名前\r\n〓野家〓\r\n');
    expect(bytes.includes(0x3f)).toBe(false); // no '?'
    expect(reported).toEqual([
      [
        { row: 1, column: 0, char: '𠮷', codePoint: 'U+20BB7' },
        { row: 1, column: 0, char: '😀', codePoint: 'U+1F600' },
      ],
    ]);
  });

  it('does not call onReplace when nothing was replaced', () => {
    const reported: unknown[] = [];
    toCsv(['名前'], [['山田']], 'cp932', { unmappable: 'replace', onReplace: (r) => reported.push(r) });
    expect(reported).toEqual([]);
  });
});

describe('toCsv formula guard', () => {
  const decode = (cells: (string | number | null)[], formulaGuard?: boolean): string =>
    iconv.decode(toCsv(['h'], cells.map((c) => [c]), 'utf8-bom', formulaGuard === undefined ? {} : { formulaGuard }), 'utf8', { stripBOM: true });

  it('prefixes text that Excel would run as a formula', () => {
    expect(decode(['=SUM(A1:A9)', '+cmd', '-2+3', '@A1', '\tx'])).toBe("h\r\n'=SUM(A1:A9)\r\n'+cmd\r\n'-2+3\r\n'@A1\r\n'\tx\r\n");
  });

  it('leaves numbers, numbers written as text and a lone dash alone', () => {
    expect(decode([-1500, '-1,200', '+81', '-', '-0.5', 'A-1'])).toBe('h\r\n-1500\r\n"-1,200"\r\n+81\r\n-\r\n-0.5\r\nA-1\r\n');
  });

  it('can be switched off', () => {
    expect(decode(['=1+1'], false)).toBe('h\r\n=1+1\r\n');
  });
});

describe('csvContentType', () => {
  it('names the charset of each encoding', () => {
    expect(csvContentType('utf8-bom')).toBe('text/csv; charset=utf-8');
    expect(csvContentType('cp932')).toBe('text/csv; charset=Shift_JIS');
  });
});
