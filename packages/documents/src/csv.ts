/**
 * CSV for Excel users (RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled; CRLF line ends;
 * a CRLF after the last record).
 *
 * Encodings:
 * - 'utf8-bom': UTF-8 with a byte order mark, so Excel (Windows and Mac) opens it as UTF-8. Every character survives.
 * - 'cp932': Shift_JIS as Windows writes it (Microsoft code page 932, incl. NEC/IBM extensions: ①, ㈱, 髙…), for older
 *   Excel and tools that expect it. Before encoding, text is NFC-normalised and the JIS-vs-Microsoft look-alikes are
 *   mapped to the characters cp932 has (〜→～, −→－, ‖→∥, —→―, ¢→￠, £→￡, ¬→￢, ¥→￥). A character cp932 still cannot
 *   encode (𠮷, emoji, most non-Japanese scripts) is NEVER turned into '?' silently:
 *     - unmappable: 'throw' (default) → a {@link CsvEncodingError} listing every offending cell (row, column, character),
 *       with an English and a Japanese message — return it to the user as a userError and offer the UTF-8 file;
 *     - unmappable: 'replace' → the character becomes '〓' (geta mark, the customary placeholder) and every replacement
 *       is reported through `onReplace`.
 *
 * Formula guard (on by default, CSV/formula injection): a text cell starting with = + - @ TAB or CR is prefixed with
 * an apostrophe so Excel shows it as text instead of running it — except plain numbers written as text ('-1,200', '+81')
 * and a lone '-'. Pass numbers as numbers: they are written as is (no thousands separators). null → empty field.
 */
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf8-bom' | 'cp932';
export type CsvCell = string | number | null;

/** One character that cp932 cannot encode. `row` 0 is the header; `column` is 0-based. */
export interface CsvUnmappable {
  row: number;
  column: number;
  /** The character (a whole code point, e.g. '𠮷'). */
  char: string;
  /** 'U+20BB7'. */
  codePoint: string;
}

export interface CsvOptions {
  /** cp932 only: what to do with a character cp932 cannot encode (default 'throw'). */
  unmappable?: 'throw' | 'replace';
  /** cp932 with unmappable 'replace': called once with every replacement made (not called when there is none). */
  onReplace?: (replaced: CsvUnmappable[]) => void;
  /** Prefix formula-like text with an apostrophe (default true). */
  formulaGuard?: boolean;
}

/** Thrown by {@link toCsv} for cp932 output with characters Shift_JIS cannot represent. */
export class CsvEncodingError extends Error {
  readonly code = 'CSV_UNMAPPABLE_CHARACTER';
  readonly messageJa: string;
  constructor(readonly unmappable: CsvUnmappable[]) {
    const list = unmappable
      .slice(0, 5)
      .map((u) => `'${u.char}' (${u.codePoint}) row ${u.row} column ${u.column + 1}`)
      .join(', ');
    const more = unmappable.length > 5 ? ` and ${unmappable.length - 5} more` : '';
    super(`Shift_JIS (cp932) cannot encode: ${list}${more}. Download the UTF-8 CSV instead.`);
    this.name = 'CsvEncodingError';
    const listJa = unmappable
      .slice(0, 5)
      .map((u) => `「${u.char}」(${u.row}行目 ${u.column + 1}列目)`)
      .join('、');
    this.messageJa = `Shift_JISで表現できない文字が含まれています: ${listJa}${unmappable.length > 5 ? ` ほか${unmappable.length - 5}件` : ''}。UTF-8形式のCSVをご利用ください。`;
  }
}

/** The geta mark used in place of a character cp932 cannot encode. */
export const CP932_REPLACEMENT = '〓';

const CP932_LOOKALIKES: Record<string, string> = {
  '\u301C': '\uFF5E', // 〜 WAVE DASH → ～ FULLWIDTH TILDE
  '\u2212': '\uFF0D', // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
  '\u2016': '\u2225', // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
  '\u2014': '\u2015', // — EM DASH → ― HORIZONTAL BAR
  '\u00A2': '\uFFE0', // ¢ → ￠
  '\u00A3': '\uFFE1', // £ → ￡
  '\u00AC': '\uFFE2', // ¬ → ￢
  '\u00A5': '\uFFE5', // ¥ → ￥ (cp932 would otherwise write a backslash)
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(CP932_LOOKALIKES).join('')}]`, 'g');

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

function guardFormula(value: string): string {
  if (!FORMULA_START.test(value) || value === '-' || PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

function cp932Prepare(value: string): string {
  return value.normalize('NFC').replace(LOOKALIKE_RE, (c) => CP932_LOOKALIKES[c] ?? c);
}

function encodable(char: string): boolean {
  return iconv.decode(iconv.encode(char, 'cp932'), 'cp932') === char;
}

/** Build a CSV file (header + rows). See the module comment for quoting, encodings and the formula guard. */
export function toCsv(header: string[], rows: CsvCell[][], encoding: CsvEncoding, options: CsvOptions = {}): Buffer {
  const guard = options.formulaGuard ?? true;
  const records: string[][] = [header, ...rows].map((record, r) =>
    record.map((cell) => {
      if (cell === null) return '';
      if (typeof cell === 'number') {
        if (!Number.isFinite(cell)) throw new RangeError(`toCsv: row ${r} has a non-finite number`);
        return String(cell);
      }
      const text = encoding === 'cp932' ? cp932Prepare(cell) : cell;
      return guard && r > 0 ? guardFormula(text) : text;
    }),
  );

  if (encoding === 'cp932') {
    const problems: CsvUnmappable[] = [];
    records.forEach((record, r) =>
      record.forEach((cell, c) => {
        if (encodable(cell)) return;
        let fixed = '';
        for (const char of cell) {
          if (encodable(char)) {
            fixed += char;
          } else {
            problems.push({ row: r, column: c, char, codePoint: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` });
            fixed += CP932_REPLACEMENT;
          }
        }
        record[c] = fixed;
      }),
    );
    if (problems.length > 0) {
      if ((options.unmappable ?? 'throw') === 'throw') throw new CsvEncodingError(problems);
      options.onReplace?.(problems);
    }
  }

  const text = stringify(records, { record_delimiter: 'windows', eof: true, quoted_match: /[\r\n]/ });
  if (encoding === 'cp932') return iconv.encode(text, 'cp932');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** The Content-Type of a CSV made by {@link toCsv} in this encoding (for downloads). */
export function csvContentType(encoding: CsvEncoding): string {
  return encoding === 'cp932' ? 'text/csv; charset=Shift_JIS' : 'text/csv; charset=utf-8';
}
