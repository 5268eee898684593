import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettableClock } from './clock.ts';
import {
  assertFileKey,
  checkUpload,
  contentDisposition,
  createDownloadHandler,
  createLinkSigner,
  createLocalFileStore,
  linkBindingAllows,
  type DownloadCaller,
  type DownloadUse,
  type FileStore,
  type LinkPayload,
  type UploadKind,
} from './files.ts';

// --- sample files, built from their real signatures --------------------------------------------
const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
]);
const zip = storedZip('data.csv', Buffer.from('a,b\n1,2\n'));
const utf8Csv = new TextEncoder().encode('\uFEFF氏名,金額\r\n山田太郎,1000\r\n');
// "氏名,金額\r\n山田,1000\r\n" in Shift_JIS, as Excel in Japan saves it.
const sjisCsv = Buffer.from([
  0x8e, 0x81, 0x96, 0xbc, 0x2c, 0x8b, 0xe0, 0x8a, 0x7a, 0x0d, 0x0a, 0x8e, 0x52, 0x93, 0x63, 0x2c, 0x31, 0x30, 0x30, 0x30, 0x0d, 0x0a,
]);
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(64)]);
const binaryWithNul = Buffer.from([0x41, 0x42, 0x00, 0x43, 0x0a]);
const invalidText = Buffer.from([0x41, 0x2c, 0x80, 0xff, 0xfe, 0x0a]); // neither UTF-8 nor Shift_JIS

/** A ZIP with one stored (uncompressed) entry. */
function storedZip(name: string, content: Buffer): Buffer {
  const nameBytes = Buffer.from(name);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, content, central, nameBytes, end]);
}

const all: UploadKind[] = ['pdf', 'png', 'jpeg', 'zip', 'csv'];

describe('checkUpload (by content)', () => {
  it('decodes the Shift_JIS sample as intended', () => {
    expect(new TextDecoder('shift_jis').decode(sjisCsv)).toBe('氏名,金額\r\n山田,1000\r\n');
  });

  it.each([
    ['pdf', pdf, 'application/pdf', undefined],
    ['png', png, 'image/png', undefined],
    ['jpeg', jpeg, 'image/jpeg', undefined],
    ['zip', zip, 'application/zip', undefined],
    ['csv', utf8Csv, 'text/csv', 'utf-8'],
    ['csv', sjisCsv, 'text/csv', 'shift_jis'],
  ] as const)('recognises %s (%s)', async (kind, bytes, mime, encoding) => {
    const result = await checkUpload(bytes, { maxBytes: 1024 * 1024, allowed: all });
    expect(result).toEqual({ ok: true, file: { kind, mime, ...(encoding ? { encoding } : {}) } });
  });

  it.each([
    ['a PNG where only CSV is allowed', png, ['csv']],
    ['a PDF where only images are allowed', pdf, ['png', 'jpeg']],
    ['a Windows executable', exe, all],
    ['binary with NUL bytes', binaryWithNul, all],
    ['bytes that are neither UTF-8 nor Shift_JIS', invalidText, all],
    ['an empty file', new Uint8Array(), all],
  ] as const)('refuses %s', async (_, bytes, allowed) => {
    const result = await checkUpload(bytes, { maxBytes: 1024 * 1024, allowed });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
      expect(result.error.message.ja).toContain('ファイル形式');
      expect(result.error.message.en).toContain('allowed:');
    }
  });

  it('refuses files over the size limit before looking at them (the limit itself is fine)', async () => {
    expect((await checkUpload(pdf, { maxBytes: pdf.byteLength, allowed: ['pdf'] })).ok).toBe(true);
    const result = await checkUpload(pdf, { maxBytes: pdf.byteLength - 1, allowed: ['pdf'] });
    expect(result).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE' } });
    const big = await checkUpload(new Uint8Array(11 * 1024 * 1024), { maxBytes: 10 * 1024 * 1024, allowed: all });
    expect(big).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE', message: { ja: expect.stringContaining('10 MB') } } });
  });
});

describe('createLinkSigner', () => {
  const secret = randomBytes(32);
  const clock = createSettableClock(new Date('2025-11-21T00:00:00Z'));
  const signer = createLinkSigner(secret, clock);
  const input = { key: 'billing/invoices/2025-11/inv-1.pdf', filename: '請求書_2025年11月.pdf', contentType: 'application/pdf' };

  it('round-trips a URL-safe token that expires after the default 300 s', () => {
    clock.set(new Date('2025-11-21T00:00:00Z'));
    const token = signer.sign({ ...input, memberId: 'member-7' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const verified = signer.verify(token);
    expect(verified).toEqual({
      ok: true,
      payload: { ...input, memberId: 'member-7', expiresAt: new Date('2025-11-21T00:05:00Z') },
    });
    clock.advance(299_999);
    expect(signer.verify(token).ok).toBe(true);
    clock.advance(1);
    expect(signer.verify(token)).toMatchObject({ ok: false, error: { code: 'LINK_EXPIRED', message: { ja: expect.stringContaining('有効期限') } } });
  });

  it('honours a custom ttl and carries no secret', () => {
    clock.set(new Date('2025-11-21T00:00:00Z'));
    const token = signer.sign({ ...input, ttlSeconds: 60 });
    const verified = signer.verify(token);
    expect(verified.ok && verified.payload.expiresAt.toISOString()).toBe('2025-11-21T00:01:00.000Z');
    const decoded = Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8');
    expect(decoded).not.toContain(secret.toString('hex'));
    expect(JSON.parse(decoded)).toEqual({ k: input.key, f: input.filename, c: input.contentType, e: 1763683260 });
  });

  it('refuses tampered, foreign and malformed tokens', () => {
    clock.set(new Date('2025-11-21T00:00:00Z'));
    const token = signer.sign(input);
    const [body, signature] = token.split('.') as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ k: 'billing/other.pdf', f: 'x.pdf', c: 'application/pdf', e: 9_999_999_999 })).toString('base64url');
    const otherSigner = createLinkSigner(randomBytes(32), clock);
    const flipped = signature.slice(0, -2) + (signature.endsWith('A') ? 'B' : 'A') + signature.slice(-1);
    expect(signer.verify(`${forgedBody}.${signature}`)).toMatchObject({ ok: false, error: { code: 'LINK_BAD_SIGNATURE' } });
    expect(signer.verify(otherSigner.sign(input))).toMatchObject({ ok: false, error: { code: 'LINK_BAD_SIGNATURE' } });
    expect(signer.verify(`${body}.${flipped}`)).toMatchObject({ ok: false, error: { code: 'LINK_BAD_SIGNATURE' } });
    expect(signer.verify(`${body}.${signature.slice(0, 10)}`)).toMatchObject({ ok: false, error: { code: 'LINK_BAD_SIGNATURE' } });
    for (const bad of ['', 'abc', 'a.b.c', `${body}.`, `${body}.${signature}%00`]) {
      expect(signer.verify(bad)).toMatchObject({ ok: false, error: { code: 'LINK_MALFORMED' } });
    }
  });

  it('refuses weak secrets, bad ttls and unsafe keys', () => {
    expect(() => createLinkSigner(randomBytes(16), clock)).toThrow(/32 bytes/);
    expect(() => signer.sign({ ...input, ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => signer.sign({ ...input, ttlSeconds: 1.5 })).toThrow(RangeError);
    expect(() => signer.sign({ ...input, key: '../etc/passwd' })).toThrow(/Invalid file key/);
  });
});

describe('createLocalFileStore', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'platform-files-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('puts, replaces, gets and deletes bytes by key', async () => {
    const store = createLocalFileStore(root);
    await store.put('contracts/c-1/jyuyo.pdf', pdf);
    expect(await store.get('contracts/c-1/jyuyo.pdf')).toEqual(new Uint8Array(pdf));
    await store.put('contracts/c-1/jyuyo.pdf', png);
    expect(Buffer.from((await store.get('contracts/c-1/jyuyo.pdf'))!)).toEqual(png);
    expect(await readdir(join(root, 'contracts/c-1'))).toEqual(['jyuyo.pdf']); // no temp files left
    await store.delete('contracts/c-1/jyuyo.pdf');
    await store.delete('contracts/c-1/jyuyo.pdf');
    expect(await store.get('contracts/c-1/jyuyo.pdf')).toBeNull();
  });

  it.each(['../escape.pdf', '/abs.pdf', 'a//b', 'a/../b', '.hidden', 'a/./b', 'with space.pdf', 'a\\b', ''])(
    'rejects the key %j',
    async (key) => {
      expect(() => assertFileKey(key)).toThrow(/Invalid file key/);
      await expect(createLocalFileStore(root).get(key)).rejects.toThrow(/Invalid file key/);
    },
  );
});

describe('contentDisposition', () => {
  it.each([
    ['invoice.pdf', `attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`],
    ['請求書 (11月).pdf', `attachment; filename="___ (11_).pdf"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8%20%2811%E6%9C%88%29.pdf`],
    ['a"b;c.csv', `attachment; filename="a_b_c.csv"; filename*=UTF-8''a%22b%3Bc.csv`],
  ])('%s', (name, header) => {
    expect(contentDisposition(name)).toBe(header);
  });
});

describe('createDownloadHandler over HTTP', () => {
  const clock = createSettableClock(new Date('2025-11-21T00:00:00Z'));
  const signer = createLinkSigner(randomBytes(48), clock);
  const served: LinkPayload[] = [];
  let root: string;
  let store: FileStore;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'platform-download-'));
    store = createLocalFileStore(root);
    await store.put('billing/inv-1.pdf', pdf);
    await store.put('smartlock/residents.csv', sjisCsv);
    const handle = createDownloadHandler({ store, signer, prefix: '/files/', onServed: (payload) => served.push(payload) });
    server = createServer((req, res) => {
      if (!handle(req, res)) {
        res.writeHead(418).end('next handler');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  it('serves the file as an attachment with its Japanese name and no caching', async () => {
    clock.set(new Date('2025-11-21T00:00:00Z'));
    const token = signer.sign({ key: 'billing/inv-1.pdf', filename: '請求書_2025年11月.pdf', contentType: 'application/pdf', memberId: 'm-1' });
    const response = await fetch(`${base}/files/${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; /);
    const encodedName = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(encodedName)).toBe('請求書_2025年11月.pdf');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(pdf));
    expect(served.at(-1)).toMatchObject({ key: 'billing/inv-1.pdf', memberId: 'm-1' });
  });

  it('answers HEAD with headers only and ignores a query string', async () => {
    clock.set(new Date('2025-11-21T00:00:00Z'));
    const token = signer.sign({ key: 'smartlock/residents.csv', filename: '入居者一覧.csv', contentType: 'text/csv; charset=Shift_JIS' });
    const response = await fetch(`${base}/files/${token}?utm=x`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(sjisCsv.length));
    expect(response.headers.get('content-type')).toBe('text/csv; charset=Shift_JIS');
  });

  it('answers 410 for an expired link, 403 for a forged one, 404 for a deleted file, 405 for POST', async () => {
    clock.set(new Date('2025-11-21T00:00:00Z'));
    const token = signer.sign({ key: 'billing/inv-1.pdf', filename: 'a.pdf', contentType: 'application/pdf', ttlSeconds: 60 });
    clock.advance(60_000);
    const expired = await fetch(`${base}/files/${token}`);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ code: 'LINK_EXPIRED', message: { ja: expect.any(String), en: expect.any(String) } });
    expect(expired.headers.get('cache-control')).toBe('private, no-store');

    const forged = await fetch(`${base}/files/${token.split('.')[0]}.${'A'.repeat(43)}`);
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('LINK_BAD_SIGNATURE');
    expect((await fetch(`${base}/files/garbage`)).status).toBe(403);

    await store.put('billing/gone.pdf', pdf);
    const goneToken = signer.sign({ key: 'billing/gone.pdf', filename: 'gone.pdf', contentType: 'application/pdf' });
    await store.delete('billing/gone.pdf');
    expect((await fetch(`${base}/files/${goneToken}`)).status).toBe(404);

    const post = await fetch(`${base}/files/${goneToken}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('leaves other paths to the next handler', async () => {
    const response = await fetch(`${base}/graphql`);
    expect(response.status).toBe(418);
    expect(await response.text()).toBe('next handler');
  });
});

describe('download links bound to the member they were issued to', () => {
  const caller = (kind: DownloadCaller['kind'], memberId: string | null): DownloadCaller => ({ kind, accountId: kind === 'anonymous' ? null : 'a-1', memberId, clientIp: '203.0.113.9', requestId: 'r-1' });
  const link = (memberId?: string): LinkPayload => ({ key: 'k', filename: 'f.pdf', contentType: 'application/pdf', expiresAt: new Date(0), ...(memberId ? { memberId } : {}) });

  it.each([
    ['no session: a bearer link', link('m-1'), null, true],
    ['an anonymous caller (no session at the gateway)', link('m-1'), caller('anonymous', null), true],
    ['the member it was issued to', link('m-1'), caller('member', 'm-1'), true],
    ["another member's session", link('m-1'), caller('member', 'm-2'), false],
    ['an operator (no member of its own)', link('m-1'), caller('operator', null), true],
    ['a link issued without a member binds nobody', link(), caller('member', 'm-2'), true],
  ] as const)('%s', (_name, payload, who, allowed) => {
    expect(linkBindingAllows(payload, who)).toBe(allowed);
  });

  it('refuses another member over HTTP with no content, serves the owner, and reports every use with who presented it', async () => {
    const clock = createSettableClock(new Date('2025-11-21T00:00:00Z'));
    const signer = createLinkSigner(randomBytes(48), clock);
    const root = await mkdtemp(join(tmpdir(), 'platform-bound-'));
    const store = createLocalFileStore(root);
    await store.put('billing/inv-9.pdf', pdf);
    const uses: DownloadUse[] = [];
    // Stands in for the gateway's signed identity: the test names the caller's member in a header.
    const handle = createDownloadHandler({
      store,
      signer,
      callerOf: async (req) => (req.headers['x-test-member'] ? caller('member', String(req.headers['x-test-member'])) : null),
      onUse: (use) => uses.push(use),
    });
    const server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const token = signer.sign({ key: 'billing/inv-9.pdf', filename: 'inv.pdf', contentType: 'application/pdf', memberId: 'm-1' });
      const other = await fetch(`${base}/files/${token}`, { headers: { 'x-test-member': 'm-2' } });
      expect(other.status).toBe(403);
      const body = (await other.json()) as { code: string; message: { ja: string; en: string } };
      expect(body.code).toBe('LINK_NOT_YOURS');
      expect(body.message.ja).toMatch(/別の法人会員/);
      expect(uses.at(-1)).toMatchObject({ outcome: 'refused', status: 403, code: 'LINK_NOT_YOURS', payload: { key: 'billing/inv-9.pdf', memberId: 'm-1' }, caller: { memberId: 'm-2', clientIp: '203.0.113.9' } });

      const owner = await fetch(`${base}/files/${token}`, { headers: { 'x-test-member': 'm-1' } });
      expect(owner.status).toBe(200);
      expect(new Uint8Array(await owner.arrayBuffer())).toEqual(new Uint8Array(pdf));
      expect(uses.at(-1)).toMatchObject({ outcome: 'served', status: 200, caller: { memberId: 'm-1' } });

      const bearer = await fetch(`${base}/files/${token}`);
      expect(bearer.status).toBe(200);
      await bearer.arrayBuffer();
      expect(uses.at(-1)).toMatchObject({ outcome: 'served', caller: null });

      clock.advance(300_000);
      expect((await fetch(`${base}/files/${token}`)).status).toBe(410);
      expect(uses.at(-1)).toMatchObject({ outcome: 'refused', status: 410, code: 'LINK_EXPIRED', caller: null });
      expect(uses).toHaveLength(4);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(root, { recursive: true, force: true });
    }
  });
});
