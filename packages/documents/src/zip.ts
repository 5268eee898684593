/**
 * ZIP archives (yazl to write, yauzl to read).
 *
 * File names are stored as UTF-8 with the language-encoding flag (general purpose bit 11) set on every entry (yazl
 * always does), so '解約精算書_101号室.pdf' opens correctly in Windows Explorer, macOS Archive Utility, 7-Zip and unzip.
 *
 * Names: NFC-normalised; relative paths with '/' allowed ('2026年4月/明細.pdf'); refused with a {@link ZipNameError}
 * (never silently renamed — the caller chose the names, a clash is a bug there): empty names, absolute paths, '..'
 * segments, backslashes, control characters, characters Windows cannot store (< > : " | ? *), and DUPLICATES, compared
 * the way Windows and macOS compare them (NFC, case-insensitive: 'A.pdf' and 'a.pdf' clash).
 *
 * Times: every entry gets `modifiedAt` (default 2000-01-01 00:00 JST) as an MS-DOS timestamp in Japan time (DOS times
 * carry no zone and extractors show them as local time, which is Japan time for our users). The same input gives the
 * same bytes.
 */
import yazl from 'yazl';
import yauzl from 'yauzl';

export interface ZipInputFile {
  /** Path inside the archive (UTF-8). */
  name: string;
  bytes: Uint8Array;
}

export interface ZipOptions {
  /** Modification time of every entry (default 2000-01-01T00:00:00+09:00). Pass the clock's now for downloads. */
  modifiedAt?: Date;
  /** Deflate the entries (default true; PDFs are already compressed, but CSV/text shrink a lot). */
  compress?: boolean;
}

export type ZipNameProblem = 'empty' | 'absolute' | 'parent' | 'backslash' | 'control' | 'reserved' | 'duplicate';

/** Thrown by {@link zipFiles} for a name it refuses. */
export class ZipNameError extends Error {
  readonly code = 'ZIP_INVALID_NAME';
  constructor(
    readonly fileName: string,
    readonly problem: ZipNameProblem,
  ) {
    super(`zipFiles: refused file name ${JSON.stringify(fileName)} (${problem})`);
    this.name = 'ZipNameError';
  }
}

const DEFAULT_MTIME = new Date('2000-01-01T00:00:00+09:00');

function checkName(raw: string): string {
  const name = raw.normalize('NFC');
  if (name === '' || name.endsWith('/')) throw new ZipNameError(raw, 'empty');
  if (name.includes('\\')) throw new ZipNameError(raw, 'backslash');
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) throw new ZipNameError(raw, 'absolute');
  const segments = name.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) throw new ZipNameError(raw, 'parent');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ZipNameError(raw, 'control');
  if (/[<>:"|?*]/.test(name) || segments.some((s) => /[. ]$/.test(s))) throw new ZipNameError(raw, 'reserved');
  return name;
}

/** Japan wall-clock time as a local Date, so yazl's DOS timestamp (local fields) holds the time in Japan. */
function jstWallClock(date: Date): Date {
  const j = new Date(date.getTime() + 9 * 3600_000);
  return new Date(j.getUTCFullYear(), j.getUTCMonth(), j.getUTCDate(), j.getUTCHours(), j.getUTCMinutes(), j.getUTCSeconds());
}

/** Build a ZIP archive from in-memory files, in the given order. */
export async function zipFiles(files: ZipInputFile[], options: ZipOptions = {}): Promise<Buffer> {
  const seen = new Set<string>();
  const names = files.map((f) => {
    const name = checkName(f.name);
    const key = name.toLowerCase();
    if (seen.has(key)) throw new ZipNameError(f.name, 'duplicate');
    seen.add(key);
    return name;
  });
  const mtime = jstWallClock(options.modifiedAt ?? DEFAULT_MTIME);
  const zip = new yazl.ZipFile();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  files.forEach((f, i) => {
    zip.addBuffer(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), names[i]!, {
      mtime,
      forceDosTimestamp: true,
      compress: options.compress ?? true,
      mode: 0o100644,
    });
  });
  zip.end();
  return done;
}

/** Read every file of a ZIP archive (names decoded as UTF-8 when the flag is set, as CP437 otherwise). For tests and imports. */
export async function unzipFiles(archive: Uint8Array): Promise<{ name: string; bytes: Buffer; utf8Flag: boolean }[]> {
  const buffer = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const out: { name: string; bytes: Buffer; utf8Flag: boolean }[] = [];
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve(out));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          out.push({ name: entry.fileName, bytes: Buffer.concat(parts), utf8Flag: (entry.generalPurposeBitFlag & 0x800) !== 0 });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}
