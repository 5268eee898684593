/**
 * Japanese business PDFs (帳票) with pdfkit and Noto Sans JP (Regular + Bold, TrueType, subset-embedded).
 *
 * One declarative spec → one A4 portrait document:
 *
 *   ┌──────────────────────────────────────────────┐
 *   │                                No. 2026-0001 │  documentNumber / issuedOn (top right)
 *   │                               発行日 2026年4月1日 │
 *   │                  請 求 書                     │  title
 *   │ ───────────────────────────────────────────── │
 *   │ 株式会社〇〇 御中                 株式会社発行元 │  recipient (left) / issuer (right:
 *   │ ─────────────────                〒… 住所      │  name, address, TEL, 登録番号)
 *   │                                  登録番号 T…   │
 *   │ [blocks: keyValues | table | text | heading | spacer, in order]
 *   │ footerNote                              1 / 3 │  footer on every page
 *   └──────────────────────────────────────────────┘
 *
 * Tables break across pages and repeat their header row; totals rows follow the last row.
 * The output is deterministic: the same spec (and the same library versions) gives the same bytes,
 * because the PDF's CreationDate/ModDate and file ID come from the spec, never from the clock.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { jstDateParts, formatJstDate, type DateInput } from './format.ts';
import { isRegistrationNumber } from './qualified-invoice.ts';

/** Horizontal alignment of a table column (amounts: 'right'). */
export type PdfAlign = 'left' | 'center' | 'right';

/** The party issuing the document (発行者). */
export interface PdfIssuer {
  /** Company name, e.g. '株式会社ポータル管理'. */
  name: string;
  /** Postal address; an array prints one line per element (e.g. ['〒100-0001', '東京都千代田区…']). */
  address?: string | readonly string[];
  /** Qualified-invoice issuer registration number (適格請求書発行事業者登録番号): 'T' + 13 digits with a valid check digit. Printed as '登録番号 T…'. */
  registrationNumber?: string;
  /** Phone number, printed as 'TEL …'. */
  phone?: string;
}

/** The addressee (宛先). */
export interface PdfRecipient {
  /** Company (or person) name. */
  name: string;
  /** Honorific after the name: '御中' for companies (default), '様' for persons; '' when `attention` names the person. */
  honorific?: string;
  /** Postal address lines printed above the name (〒…, street, building), as on an envelope. */
  address?: string[];
  /** Lines under the name: department, then the contact person with 様 (or an organisation with 御中). */
  attention?: string[];
}

/** A table column. */
export interface PdfTableColumn {
  /** Header text. */
  header: string;
  /**
   * Relative width. The space left after the columns that may not wrap have their widest cell is
   * shared by weight (and, when no column may wrap, the spare space too), so weights (1, 2, 1) and
   * points (100, 200, 100) both work.
   */
  width: number;
  /** Alignment of the header and the cells (default 'left'; use 'right' for amounts). */
  align?: PdfAlign;
  /**
   * Whether the column's cells may wrap onto several lines (default false). A column that may not wrap is
   * at least as wide as its widest cell (numbers, dates, member numbers must never break); one that may
   * (names, descriptions) shares the rest of the width by `width`. A header never wraps.
   */
  wrap?: boolean;
}

/** Label/value rows, e.g. [['ご請求金額', '¥110,000'], ['お支払期限', '2026年4月30日']]. */
export interface PdfKeyValuesBlock {
  kind: 'keyValues';
  rows: [label: string, value: string][];
  /** Width of the label column as a fraction of the text width (default 0.3). */
  labelWidth?: number;
  /** Emphasise the values (bold, larger): for the 'ご請求金額' box. */
  emphasis?: boolean;
}

/** A table; breaks across pages and repeats its header row. Every row must have one cell per column. */
export interface PdfTableBlock {
  kind: 'table';
  columns: PdfTableColumn[];
  rows: string[][];
  /** Totals rows under the table: the label spans all columns but the last, the value sits right-aligned in the last. */
  totals?: [label: string, value: string][];
}

/** A paragraph; wraps and continues on the next page when needed. */
export interface PdfTextBlock {
  kind: 'text';
  text: string;
  /** Font size in points (default 9.5). */
  size?: number;
  /** Bold face. */
  bold?: boolean;
  align?: PdfAlign;
}

/** A section heading (bold, with a rule underneath). */
export interface PdfHeadingBlock {
  kind: 'heading';
  text: string;
}

/** Vertical space in points (default 12). */
export interface PdfSpacerBlock {
  kind: 'spacer';
  height?: number;
}

export type PdfBlock = PdfKeyValuesBlock | PdfTableBlock | PdfTextBlock | PdfHeadingBlock | PdfSpacerBlock;

/** A whole document. */
export interface PdfDocumentSpec {
  /** Title, centred at the top (e.g. '請求書', '適格請求書', '返金明細書'). Also the PDF's Title metadata. */
  title: string;
  /** Document number, printed top right as 'No. …'. */
  documentNumber?: string;
  /** Issue date (an instant, or a 'YYYY-MM-DD' calendar date), printed top right as '発行日 2026年4月1日'. */
  issuedOn?: DateInput;
  issuer?: PdfIssuer;
  recipient?: PdfRecipient;
  blocks: PdfBlock[];
  /** Small print at the bottom of every page (left of the page number). */
  footerNote?: string;
  /**
   * PDF CreationDate/ModDate metadata. Default: issuedOn at 00:00 JST, else 2000-01-01T00:00:00Z.
   * Never the clock: the same spec must give the same bytes (tests, time stamps, download counts).
   */
  createdAt?: Date;
  /** PDF Subject metadata. */
  subject?: string;
  /** A4 portrait (default) or landscape: wide tables (a statement's nine columns) print landscape rather than wrap. */
  orientation?: 'portrait' | 'landscape';
}

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
} as const;
let fontCache: { regular: Buffer; bold: Buffer } | undefined;
function fonts(): { regular: Buffer; bold: Buffer } {
  fontCache ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return fontCache;
}

const REGULAR = 'NotoSansJP';
const BOLD = 'NotoSansJP-Bold';

// Layout (points; A4 = 595.28 × 841.89).
const PAGE = { width: 595.28, height: 841.89 }; // portrait; landscape swaps them
const MARGIN = { top: 48, bottom: 60, left: 48, right: 48 };
const COLOR = {
  text: '#1a1a1a',
  muted: '#555555',
  rule: '#9aa3ad',
  grid: '#c4cad1',
  headerFill: '#e6ebf1',
  labelFill: '#f2f4f7',
  zebra: '#fafbfc',
  accent: '#2f4a6d',
};
const CELL_PAD_X = 5;
const CELL_PAD_Y = 3.5;
const TABLE_SIZE = 9;
const MIN_TABLE_SIZE = 7;
const YIELD_EVERY_ROWS = 50;

type Doc = PDFKit.PDFDocument;

/** Render a spec to PDF bytes. Throws a RangeError/TypeError for a malformed spec (a bug in the caller). */
export async function renderPdf(spec: PdfDocumentSpec): Promise<Buffer> {
  validate(spec);
  const createdAt = spec.createdAt ?? defaultCreationDate(spec.issuedOn);
  const doc = new PDFDocument({
    size: 'A4',
    layout: spec.orientation ?? 'portrait',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    compress: true,
    pdfVersion: '1.7',
    lang: 'ja-JP',
    displayTitle: true,
    info: {
      Title: spec.title,
      ...(spec.subject ? { Subject: spec.subject } : {}),
      ...(spec.issuer ? { Author: spec.issuer.name } : {}),
      Creator: '@portal/documents',
      Producer: 'PDFKit',
      CreationDate: createdAt,
      ModDate: createdAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const f = fonts();
  doc.registerFont(REGULAR, f.regular);
  doc.registerFont(BOLD, f.bold);
  doc.font(REGULAR).fillColor(COLOR.text);

  const layout = new Layout(doc, spec.orientation ?? 'portrait');
  layout.header(spec);
  for (const block of spec.blocks) await layout.block(block);
  layout.footers(spec.footerNote);
  doc.end();
  return done;
}

function defaultCreationDate(issuedOn: DateInput | undefined): Date {
  if (issuedOn === undefined) return new Date('2000-01-01T00:00:00Z');
  const { year, month, day } = jstDateParts(issuedOn);
  return new Date(Date.UTC(year, month - 1, day) - 9 * 3600_000);
}

function validate(spec: PdfDocumentSpec): void {
  if (!spec.title) throw new TypeError('renderPdf: title is required');
  if (spec.issuer?.registrationNumber !== undefined && !isRegistrationNumber(spec.issuer.registrationNumber)) {
    throw new RangeError(`renderPdf: issuer.registrationNumber must be 'T' + 13 digits with a valid check digit, got '${spec.issuer.registrationNumber}'`);
  }
  spec.blocks.forEach((block, i) => {
    if (block.kind !== 'table') return;
    if (block.columns.length === 0) throw new RangeError(`renderPdf: blocks[${i}] has no columns`);
    if (block.columns.some((c) => !(c.width > 0))) throw new RangeError(`renderPdf: blocks[${i}] has a column width ≤ 0`);
    block.rows.forEach((row, r) => {
      if (row.length !== block.columns.length) {
        throw new RangeError(`renderPdf: blocks[${i}].rows[${r}] has ${row.length} cells for ${block.columns.length} columns`);
      }
    });
  });
}

class Layout {
  private y = MARGIN.top;
  /** Text width: ≈499pt portrait, ≈746pt landscape. */
  private readonly cw: number;
  private readonly pageHeight: number;
  constructor(
    private readonly doc: Doc,
    orientation: 'portrait' | 'landscape',
  ) {
    const [width, height] = orientation === 'landscape' ? [PAGE.height, PAGE.width] : [PAGE.width, PAGE.height];
    this.cw = width - MARGIN.left - MARGIN.right;
    this.pageHeight = height;
  }

  private get bottom(): number {
    return this.pageHeight - MARGIN.bottom;
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  /** Start a new page unless `height` still fits on this one. */
  private ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > MARGIN.top) this.newPage();
  }

  private textHeight(text: string, width: number, size: number, bold = false): number {
    this.doc.font(bold ? BOLD : REGULAR).fontSize(size);
    return this.doc.heightOfString(text === '' ? ' ' : text, { width, lineGap: 1 });
  }

  private put(text: string, x: number, y: number, width: number, size: number, opts: { bold?: boolean; align?: PdfAlign; color?: string; characterSpacing?: number } = {}): void {
    this.doc
      .font(opts.bold ? BOLD : REGULAR)
      .fontSize(size)
      .fillColor(opts.color ?? COLOR.text)
      .text(text, x, y, { width, align: opts.align ?? 'left', lineGap: 1, lineBreak: true, characterSpacing: opts.characterSpacing ?? 0 });
  }

  private hline(y: number, x1 = MARGIN.left, x2 = MARGIN.left + this.cw, width = 0.6, color = COLOR.rule): void {
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  header(spec: PdfDocumentSpec): void {
    const right = MARGIN.left + this.cw;
    const metaWidth = 220;
    let metaY = this.y;
    if (spec.documentNumber) {
      this.put(`No. ${spec.documentNumber}`, right - metaWidth, metaY, metaWidth, 9, { align: 'right', color: COLOR.muted });
      metaY += 13;
    }
    if (spec.issuedOn !== undefined) {
      this.put(`発行日 ${formatJstDate(spec.issuedOn)}`, right - metaWidth, metaY, metaWidth, 9, { align: 'right', color: COLOR.muted });
      metaY += 13;
    }
    // Short titles ('請求書') read better letter-spaced, as on printed forms.
    const spacing = [...spec.title].length <= 6 ? 6 : 1;
    const titleY = Math.max(this.y + 18, metaY + 4);
    // pdfkit adds the spacing after the last character too: shift right by half of it to stay centred.
    this.put(spec.title, MARGIN.left + spacing / 2, titleY, this.cw, 20, { bold: true, align: 'center', characterSpacing: spacing });
    this.y = titleY + this.textHeight(spec.title, this.cw, 20, true) + 4;
    this.hline(this.y, MARGIN.left, right, 1.2, COLOR.accent);
    this.hline(this.y + 2.5, MARGIN.left, right, 0.4, COLOR.accent);
    this.y += 18;

    if (!spec.recipient && !spec.issuer) return;
    const top = this.y;
    let leftBottom = top;
    let rightBottom = top;
    if (spec.recipient) {
      const width = this.cw * 0.55;
      let y = top;
      for (const line of spec.recipient.address ?? []) {
        this.put(line, MARGIN.left, y, width, 9, { color: COLOR.muted });
        y += this.textHeight(line, width, 9);
      }
      if (spec.recipient.address?.length) y += 4;
      const honorific = spec.recipient.honorific ?? '御中';
      const text = honorific ? `${spec.recipient.name}　${honorific}` : spec.recipient.name;
      this.put(text, MARGIN.left, y, width, 14, { bold: true });
      leftBottom = y + this.textHeight(text, width, 14, true) + 2;
      for (const line of spec.recipient.attention ?? []) {
        this.put(line, MARGIN.left, leftBottom, width, 10.5);
        leftBottom += this.textHeight(line, width, 10.5);
      }
      this.hline(leftBottom, MARGIN.left, MARGIN.left + width, 0.8, COLOR.text);
      leftBottom += 6;
    }
    if (spec.issuer) {
      const width = this.cw * 0.4;
      const x = right - width;
      let y = top;
      this.put(spec.issuer.name, x, y, width, 11, { bold: true });
      y += this.textHeight(spec.issuer.name, width, 11, true) + 2;
      const lines = [
        ...(spec.issuer.address === undefined ? [] : typeof spec.issuer.address === 'string' ? [spec.issuer.address] : spec.issuer.address),
        ...(spec.issuer.phone ? [`TEL ${spec.issuer.phone}`] : []),
        ...(spec.issuer.registrationNumber ? [`登録番号 ${spec.issuer.registrationNumber}`] : []),
      ];
      for (const line of lines) {
        this.put(line, x, y, width, 8.5, { color: COLOR.muted });
        y += this.textHeight(line, width, 8.5);
      }
      rightBottom = y;
    }
    this.y = Math.max(leftBottom, rightBottom) + 16;
  }

  async block(block: PdfBlock): Promise<void> {
    switch (block.kind) {
      case 'keyValues':
        return this.keyValues(block);
      case 'table':
        return this.table(block);
      case 'text':
        return this.text(block);
      case 'heading':
        return this.heading(block);
      case 'spacer':
        this.y += block.height ?? 12;
        return;
    }
  }

  private heading(block: PdfHeadingBlock): void {
    const h = this.textHeight(block.text, this.cw, 11, true);
    this.ensure(h + 40); // never leave a heading alone at the bottom of a page
    this.doc.save().rect(MARGIN.left, this.y + 1, 3, h - 2).fill(COLOR.accent).restore();
    this.put(block.text, MARGIN.left + 8, this.y, this.cw - 8, 11, { bold: true });
    this.y += h + 3;
    this.hline(this.y, MARGIN.left, MARGIN.left + this.cw, 0.5, COLOR.grid);
    this.y += 6;
  }

  private text(block: PdfTextBlock): void {
    const size = block.size ?? 9.5;
    this.doc
      .font(block.bold ? BOLD : REGULAR)
      .fontSize(size)
      .fillColor(COLOR.text);
    this.ensure(size * 2);
    // pdfkit flows a long paragraph onto new pages by itself (within the margins); follow its cursor.
    this.doc.text(block.text, MARGIN.left, this.y, { width: this.cw, align: block.align ?? 'left', lineGap: 3 });
    this.y = this.doc.y + 6;
  }

  private keyValues(block: PdfKeyValuesBlock): void {
    const labelWidth = this.cw * (block.labelWidth ?? 0.3);
    const valueWidth = this.cw - labelWidth;
    const size = block.emphasis ? 12 : 9.5;
    for (const [label, value] of block.rows) {
      const h =
        Math.max(this.textHeight(label, labelWidth - 2 * CELL_PAD_X, 9.5, true), this.textHeight(value, valueWidth - 2 * CELL_PAD_X, size, block.emphasis)) +
        2 * CELL_PAD_Y + (block.emphasis ? 4 : 0);
      this.ensure(h);
      const x = MARGIN.left;
      this.doc.save().rect(x, this.y, labelWidth, h).fill(COLOR.labelFill).restore();
      this.doc.save().lineWidth(0.5).strokeColor(COLOR.grid).rect(x, this.y, labelWidth, h).rect(x + labelWidth, this.y, valueWidth, h).stroke().restore();
      const labelY = this.y + (h - this.textHeight(label, labelWidth - 2 * CELL_PAD_X, 9.5, true)) / 2;
      const valueY = this.y + (h - this.textHeight(value, valueWidth - 2 * CELL_PAD_X, size, block.emphasis)) / 2;
      this.put(label, x + CELL_PAD_X, labelY, labelWidth - 2 * CELL_PAD_X, 9.5, { bold: true });
      this.put(value, x + labelWidth + CELL_PAD_X, valueY, valueWidth - 2 * CELL_PAD_X, size, { bold: !!block.emphasis });
      this.y += h;
    }
    this.y += 10;
  }

  private textWidth(text: string, size: number, bold: boolean): number {
    this.doc.font(bold ? BOLD : REGULAR).fontSize(size);
    return this.doc.widthOfString(text);
  }

  /**
   * Column widths: a column that may not wrap gets its widest cell (header, cells, and for the last
   * column the totals' values); the columns that may wrap share what is left by weight, never
   * narrower than their header. When that does not fit, the table's type shrinks (9pt → 7pt) before
   * anything is allowed to break; only past 7pt do the weights alone decide (the old behaviour).
   */
  private columnWidths(block: PdfTableBlock): { widths: number[]; size: number } {
    const last = block.columns.length - 1;
    const slack = 2 * CELL_PAD_X + 1; // pdfkit wraps a string that fills its box exactly
    // Widths scale with the type size: measure once (per 1pt), then try sizes. One pass over the cells.
    const perPoint = block.columns.map((c, i) => {
      let w = this.textWidth(c.header, TABLE_SIZE, true);
      if (!c.wrap) for (const row of block.rows) w = Math.max(w, this.textWidth(row[i]!, TABLE_SIZE, false));
      if (i === last && last > 0) for (const [, value] of block.totals ?? []) w = Math.max(w, (this.textWidth(value, TABLE_SIZE + 0.5, true) * TABLE_SIZE) / (TABLE_SIZE + 0.5));
      return w / TABLE_SIZE;
    });
    for (let size = TABLE_SIZE; size >= MIN_TABLE_SIZE; size -= 0.5) {
      // The totals are set 0.5pt larger than the cells: allow for it in the last column.
      const natural = perPoint.map((w, i) => w * (i === last ? size + 0.5 : size) + slack);
      const fixed = natural.reduce((s, w, i) => s + (block.columns[i]!.wrap ? 0 : w), 0);
      const flexible = block.columns.map((c, i) => (c.wrap ? i : -1)).filter((i) => i >= 0);
      const rest = this.cw - fixed;
      if (flexible.length === 0) {
        if (rest < 0) continue;
        // Spare space by weight, so a table keeps its proportions when everything fits.
        const weight = block.columns.reduce((s, c) => s + c.width, 0);
        return { widths: natural.map((w, i) => w + (rest * block.columns[i]!.width) / weight), size };
      }
      const weight = flexible.reduce((s, i) => s + block.columns[i]!.width, 0);
      const widths = natural.map((w, i) => (block.columns[i]!.wrap ? (rest * block.columns[i]!.width) / weight : w));
      if (flexible.every((i) => widths[i]! >= natural[i]!)) return { widths, size };
    }
    const weight = block.columns.reduce((s, c) => s + c.width, 0);
    return { widths: block.columns.map((c) => (c.width / weight) * this.cw), size: MIN_TABLE_SIZE };
  }

  private async table(block: PdfTableBlock): Promise<void> {
    const { widths, size: tableSize } = this.columnWidths(block);
    const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
    const rowHeight = (cells: string[], bold: boolean): number =>
      Math.max(...cells.map((cell, i) => this.textHeight(cell, widths[i]! - 2 * CELL_PAD_X, tableSize, bold))) + 2 * CELL_PAD_Y;
    const headerCells = block.columns.map((c) => c.header);
    const headerHeight = rowHeight(headerCells, true);

    const drawRow = (cells: string[], h: number, kind: 'header' | 'body' | 'zebra'): void => {
      if (kind !== 'body') {
        // Inset by the rule's half width so the fill does not cover the rule above it.
        this.doc.save().rect(MARGIN.left, this.y + 0.3, this.cw, h - 0.3).fill(kind === 'header' ? COLOR.headerFill : COLOR.zebra).restore();
      }
      cells.forEach((cell, i) => {
        const align = kind === 'header' ? (block.columns[i]!.align === 'right' ? 'right' : 'center') : (block.columns[i]!.align ?? 'left');
        this.put(cell, xs[i]! + CELL_PAD_X, this.y + CELL_PAD_Y, widths[i]! - 2 * CELL_PAD_X, tableSize, { bold: kind === 'header', align });
      });
      // Vertical grid lines and the bottom rule.
      this.doc.save().lineWidth(0.5).strokeColor(COLOR.grid);
      for (const x of [...xs, MARGIN.left + this.cw]) this.doc.moveTo(x, this.y).lineTo(x, this.y + h);
      this.doc.moveTo(MARGIN.left, this.y + h).lineTo(MARGIN.left + this.cw, this.y + h).stroke().restore();
      this.y += h;
    };
    const drawHeader = (): void => {
      this.hline(this.y, MARGIN.left, MARGIN.left + this.cw, 0.5, COLOR.grid);
      drawRow(headerCells, headerHeight, 'header');
    };

    // Keep the header with at least the first row.
    const first = block.rows[0];
    this.ensure(headerHeight + (first ? rowHeight(first, false) : 0));
    drawHeader();
    for (const [r, row] of block.rows.entries()) {
      // Long tables take ~1.5 ms a row: let the event loop breathe (other requests of the subgraph) now and then.
      if (r > 0 && r % YIELD_EVERY_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const h = rowHeight(row, false);
      if (this.y + h > this.bottom) {
        this.newPage();
        drawHeader();
      }
      drawRow(row, h, r % 2 === 1 ? 'zebra' : 'body');
    }

    if (block.totals?.length) {
      const last = block.columns.length - 1;
      const labelX = MARGIN.left;
      const labelWidth = last === 0 ? this.cw / 2 : xs[last]! - MARGIN.left;
      const valueX = last === 0 ? MARGIN.left + this.cw / 2 : xs[last]!;
      const valueWidth = MARGIN.left + this.cw - valueX;
      const heights = block.totals.map(([label, value]) =>
        Math.max(this.textHeight(label, labelWidth - 2 * CELL_PAD_X, tableSize + 0.5, true), this.textHeight(value, valueWidth - 2 * CELL_PAD_X, tableSize + 0.5, true)) + 2 * CELL_PAD_Y,
      );
      // Totals stay together (and with the table's last row when they fit).
      const all = heights.reduce((s, h) => s + h, 0) + 2;
      if (this.y + all > this.bottom) {
        this.newPage();
        drawHeader();
      }
      this.hline(this.y + 0.8, MARGIN.left, MARGIN.left + this.cw, 0.8, COLOR.text);
      this.y += 2;
      block.totals.forEach(([label, value], i) => {
        const h = heights[i]!;
        this.doc.save().rect(labelX, this.y + 0.3, labelWidth + valueWidth, h - 0.3).fill(COLOR.labelFill).restore();
        this.put(label, labelX + CELL_PAD_X, this.y + CELL_PAD_Y, labelWidth - 2 * CELL_PAD_X, tableSize + 0.5, { bold: true, align: 'right' });
        this.put(value, valueX + CELL_PAD_X, this.y + CELL_PAD_Y, valueWidth - 2 * CELL_PAD_X, tableSize + 0.5, { bold: true, align: 'right' });
        this.doc.save().lineWidth(0.5).strokeColor(COLOR.grid);
        this.doc.moveTo(labelX, this.y).lineTo(labelX, this.y + h);
        this.doc.moveTo(valueX, this.y).lineTo(valueX, this.y + h);
        this.doc.moveTo(MARGIN.left + this.cw, this.y).lineTo(MARGIN.left + this.cw, this.y + h);
        this.doc.moveTo(labelX, this.y + h).lineTo(MARGIN.left + this.cw, this.y + h).stroke().restore();
        this.y += h;
      });
    }
    this.y += 12;
  }

  /** Page numbers ('n / N') and the footer note on every page, drawn once the page count is known. */
  footers(note: string | undefined): void {
    const range = this.doc.bufferedPageRange();
    const count = range.count;
    for (let i = range.start; i < range.start + count; i++) {
      this.doc.switchToPage(i);
      const savedBottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0; // writing below the bottom margin must not add a page
      const y = this.pageHeight - MARGIN.bottom + 22;
      this.hline(y - 6, MARGIN.left, MARGIN.left + this.cw, 0.4, COLOR.grid);
      if (note) {
        this.doc.font(REGULAR).fontSize(7.5).fillColor(COLOR.muted).text(note, MARGIN.left, y, { width: this.cw - 70, lineBreak: false, ellipsis: true });
      }
      this.doc
        .font(REGULAR)
        .fontSize(8)
        .fillColor(COLOR.muted)
        .text(`${i - range.start + 1} / ${count}`, MARGIN.left + this.cw - 70, y, { width: 70, align: 'right', lineBreak: false });
      this.doc.page.margins.bottom = savedBottom;
    }
  }
}
