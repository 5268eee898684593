import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unzipFiles, ZipNameError, zipFiles } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'documents-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = [
  { name: '解約精算書_101号室.pdf', bytes: Buffer.from('%PDF-1.7 一つ目') },
  { name: '解約精算書_102号室.pdf', bytes: new Uint8Array([0, 1, 2, 255, 254]) },
  { name: '明細/返金明細（2026年4月）.csv', bytes: Buffer.from('APNo,金額\r\nAP1,100\r\n') },
];

describe('zipFiles', () => {
  it('stores three Japanese-named files under UTF-8 names; unzip lists them and extracts the same bytes', async () => {
    const zip = await zipFiles(files);
    const archive = join(dir, 'files.zip');
    writeFileSync(archive, zip);

    const listing = execFileSync('unzip', ['-Z1', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(files.map((f) => f.name));
    execFileSync('unzip', ['-q', archive, '-d', join(dir, 'out')]);
    for (const f of files) expect(readFileSync(join(dir, 'out', f.name)).equals(Buffer.from(f.bytes))).toBe(true);

    const read = await unzipFiles(zip);
    expect(read.map((f) => f.name)).toEqual(files.map((f) => f.name));
    expect(read.every((f) => f.utf8Flag)).toBe(true);
    read.forEach((f, i) => expect(f.bytes.equals(Buffer.from(files[i]!.bytes))).toBe(true));
  });

  it('sets the UTF-8 flag (general purpose bit 11) in the local headers', async () => {
    const zip = await zipFiles(files.slice(0, 1));
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(6) & 0x0800).toBe(0x0800);
  });

  it('writes the modification time as Japan wall-clock time, the same bytes for the same input', async () => {
    const at = new Date('2026-04-01T00:30:00Z'); // 09:30 in Japan
    const zip = await zipFiles(files, { modifiedAt: at });
    expect((await zipFiles(files, { modifiedAt: at })).equals(zip)).toBe(true);
    writeFileSync(join(dir, 'a.zip'), zip);
    expect(execFileSync('unzip', ['-l', join(dir, 'a.zip')], { encoding: 'utf8' })).toContain('2026-04-01 09:30   解約精算書_101号室.pdf');
  });

  it('refuses duplicate names, also when they differ only by case or Unicode normalisation', async () => {
    const dup = (a: string, b: string) => zipFiles([{ name: a, bytes: new Uint8Array() }, { name: b, bytes: new Uint8Array() }]);
    await expect(dup('明細.pdf', '明細.pdf')).rejects.toMatchObject({ name: 'ZipNameError', problem: 'duplicate', fileName: '明細.pdf' });
    await expect(dup('Statement.PDF', 'statement.pdf')).rejects.toMatchObject({ problem: 'duplicate' });
    await expect(dup('ガス.pdf', 'ガス.pdf'.normalize('NFD'))).rejects.toMatchObject({ problem: 'duplicate' });
  });

  it.each([
    ['', 'empty'],
    ['dir/', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['C:/x.pdf', 'absolute'],
    ['../x.pdf', 'parent'],
    ['a//b.pdf', 'parent'],
    ['a\\b.pdf', 'backslash'],
    ['a\nb.pdf', 'control'],
    ['請求書?.pdf', 'reserved'],
    ['請求書.pdf.', 'reserved'],
  ])('refuses the name %j (%s)', async (name, problem) => {
    const error = await zipFiles([{ name, bytes: new Uint8Array() }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipNameError);
    expect(error).toMatchObject({ problem, code: 'ZIP_INVALID_NAME' });
  });

  it('stores NFD names as NFC', async () => {
    const [entry] = await unzipFiles(await zipFiles([{ name: 'ガス.pdf'.normalize('NFD'), bytes: new Uint8Array([1]) }]));
    expect(entry!.name).toBe('ガス.pdf'.normalize('NFC'));
  });
});
