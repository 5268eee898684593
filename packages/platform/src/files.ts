/**
 * File storage, upload checks and short-lived signed download links.
 *
 * GraphQL fields that may show a file (with the same access rules as the data) hand out a link
 * `/files/<token>`; the token is an HMAC-signed, expiring capability for one stored key, served by
 * a plain HTTP handler beside GraphQL. Uploads are accepted by content, never by file name.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, resolve, sep } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import type { Clock } from './clock.ts';

/** A message in both portal languages. */
export interface LocalizedMessage {
  readonly ja: string;
  readonly en: string;
}

// ---------------------------------------------------------------------------------------------
// Storage

/** Where file bytes live. The local store is for development and single-host setups; an S3 adapter can implement the same interface. */
export interface FileStore {
  /** Stores (or replaces) the bytes under `key`. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under `key`, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Checks a storage key: '/'-separated segments of [A-Za-z0-9._-], no '..' and no leading dot, ≤ 512 chars. */
export function assertFileKey(key: string): string {
  if (key.length > 512 || !KEY_PATTERN.test(key) || key.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new Error(`Invalid file key: ${JSON.stringify(key)}`);
  }
  return key;
}

/** A FileStore on the local disk under `rootDir`; writes are atomic (temp file + rename). */
export function createLocalFileStore(rootDir: string): FileStore {
  const root = resolve(rootDir);
  const pathOf = (key: string): string => {
    const path = resolve(root, assertFileKey(key));
    // Defence in depth: the key pattern already forbids escaping the root.
    if (!path.startsWith(root + sep)) throw new Error(`File key escapes the store: ${key}`);
    return path;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Upload checks

/** File kinds the portal accepts; each endpoint allows a subset. */
export type UploadKind = 'pdf' | 'png' | 'jpeg' | 'zip' | 'csv';

/** Why an upload was refused (codes are part of the API contract). */
export interface UploadError {
  readonly code: 'FILE_TOO_LARGE' | 'FILE_TYPE_NOT_ALLOWED';
  readonly message: LocalizedMessage;
}

/** An accepted upload: its kind, the MIME type to serve it with, and for CSV the text encoding found. */
export interface AcceptedUpload {
  readonly kind: UploadKind;
  readonly mime: string;
  readonly encoding?: 'utf-8' | 'shift_jis';
}

/** Result of `checkUpload`: expected refusals are values, not exceptions. */
export type UploadCheck = { ok: true; file: AcceptedUpload } | { ok: false; error: UploadError };

const KIND_BY_DETECTED_EXT: Readonly<Record<string, { kind: UploadKind; mime: string }>> = {
  pdf: { kind: 'pdf', mime: 'application/pdf' },
  png: { kind: 'png', mime: 'image/png' },
  jpg: { kind: 'jpeg', mime: 'image/jpeg' },
  zip: { kind: 'zip', mime: 'application/zip' },
};

/**
 * Decides what an upload is by its bytes and whether it may be accepted.
 *
 * Binary kinds come from file-type's magic-number detection (so a renamed .exe is refused, and
 * Office files, which are ZIP containers, are reported as docx/xlsx and are not 'zip').
 * CSV has no signature, so when nothing binary is detected the bytes count as CSV text if they
 * (1) contain no NUL and no other control character except TAB, CR, LF, and
 * (2) decode as strict UTF-8 (a BOM is allowed) or, failing that, as strict Shift_JIS (Windows-31J,
 * what Excel in Japan saves). Anything else is refused.
 */
export async function checkUpload(
  bytes: Uint8Array,
  options: { maxBytes: number; allowed: readonly UploadKind[] },
): Promise<UploadCheck> {
  if (bytes.byteLength > options.maxBytes) {
    const limit = formatBytes(options.maxBytes);
    return {
      ok: false,
      error: {
        code: 'FILE_TOO_LARGE',
        message: { ja: `ファイルサイズが上限（${limit}）を超えています。`, en: `The file is larger than the limit (${limit}).` },
      },
    };
  }
  const file = await detectKind(bytes);
  if (!file || !options.allowed.includes(file.kind)) {
    const allowed = options.allowed.map((kind) => kind.toUpperCase()).join(', ');
    return {
      ok: false,
      error: {
        code: 'FILE_TYPE_NOT_ALLOWED',
        message: {
          ja: `このファイル形式はアップロードできません（可能な形式: ${allowed}）。`,
          en: `This file type cannot be uploaded (allowed: ${allowed}).`,
        },
      },
    };
  }
  return { ok: true, file };
}

async function detectKind(bytes: Uint8Array): Promise<AcceptedUpload | null> {
  if (bytes.byteLength === 0) return null;
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) return KIND_BY_DETECTED_EXT[detected.ext] ?? null;
  const encoding = textEncodingOf(bytes);
  return encoding ? { kind: 'csv', mime: 'text/csv', encoding } : null;
}

function textEncodingOf(bytes: Uint8Array): 'utf-8' | 'shift_jis' | null {
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return null;
  }
  if (decodes('utf-8', bytes)) return 'utf-8';
  if (decodes('shift_jis', bytes)) return 'shift_jis';
  return null;
}

function decodes(encoding: string, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} B`;
}

// ---------------------------------------------------------------------------------------------
// Signed links

/** What a download link grants. */
export interface LinkPayload {
  readonly key: string;
  /** Name the browser saves the file as (Japanese is fine). */
  readonly filename: string;
  readonly contentType: string;
  /** Expiry instant. */
  readonly expiresAt: Date;
  /** Who the link was issued to, for the download audit log. */
  readonly memberId?: string;
}

/** Why a link was refused. */
export interface LinkError {
  readonly code: 'LINK_MALFORMED' | 'LINK_BAD_SIGNATURE' | 'LINK_EXPIRED';
  readonly message: LocalizedMessage;
}

/** Result of `verify`. */
export type LinkVerification = { ok: true; payload: LinkPayload } | { ok: false; error: LinkError };

/** Issues and checks download tokens. */
export interface LinkSigner {
  /** An opaque, URL-safe token for `key`, valid for `ttlSeconds` (default 300) from the clock's now. */
  sign(input: { key: string; filename: string; contentType: string; ttlSeconds?: number; memberId?: string }): string;
  /** The payload of a genuine, unexpired token, or why it is refused. */
  verify(token: string): LinkVerification;
}

const TOKEN_VERSION = 'v1';
const MAX_TTL_SECONDS = 7 * 24 * 3600;
const compactPayload = z.object({
  k: z.string().min(1),
  f: z.string().min(1),
  c: z.string().min(1),
  e: z.number().int().positive(),
  m: z.string().min(1).optional(),
});

const linkErrors: Record<LinkError['code'], LocalizedMessage> = {
  LINK_MALFORMED: { ja: 'ダウンロードリンクが正しくありません。', en: 'The download link is invalid.' },
  LINK_BAD_SIGNATURE: { ja: 'ダウンロードリンクが正しくありません。', en: 'The download link is invalid.' },
  LINK_EXPIRED: {
    ja: 'ダウンロードリンクの有効期限が切れています。画面から再度ダウンロードしてください。',
    en: 'The download link has expired. Please download the file again from the portal.',
  },
};

/**
 * Creates a signer. Token = base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, 'v1.' +
 * payload)). The payload is readable by whoever holds the link (key, file name, type, expiry,
 * member id) but carries no secret; the signature makes it unforgeable. `secret` ≥ 32 bytes.
 */
export function createLinkSigner(secret: Uint8Array, clock: Clock): LinkSigner {
  if (secret.byteLength < 32) throw new Error('Link signing secret must be at least 32 bytes');
  const key = Buffer.from(secret);
  const mac = (body: string): Buffer => createHmac('sha256', key).update(`${TOKEN_VERSION}.${body}`).digest();
  const refuse = (code: LinkError['code']): LinkVerification => ({ ok: false, error: { code, message: linkErrors[code] } });

  return {
    sign({ key: fileKey, filename, contentType, ttlSeconds = 300, memberId }) {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TTL_SECONDS) {
        throw new RangeError(`ttlSeconds must be an integer in 1..${MAX_TTL_SECONDS}`);
      }
      assertFileKey(fileKey);
      const payload = {
        k: fileKey,
        f: filename,
        c: contentType,
        e: Math.floor(clock.now().getTime() / 1000) + ttlSeconds,
        ...(memberId !== undefined ? { m: memberId } : {}),
      };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },

    verify(token) {
      const parts = token.split('.');
      if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) {
        return refuse('LINK_MALFORMED');
      }
      const [body, signature] = parts as [string, string];
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('LINK_BAD_SIGNATURE');
      let parsed: z.infer<typeof compactPayload>;
      try {
        const result = compactPayload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
        if (!result.success) return refuse('LINK_MALFORMED');
        parsed = result.data;
      } catch {
        return refuse('LINK_MALFORMED');
      }
      if (clock.now().getTime() >= parsed.e * 1000) return refuse('LINK_EXPIRED');
      return {
        ok: true,
        payload: {
          key: parsed.k,
          filename: parsed.f,
          contentType: parsed.c,
          expiresAt: new Date(parsed.e * 1000),
          ...(parsed.m !== undefined ? { memberId: parsed.m } : {}),
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Download endpoint

/** Who presented a download link, as the gateway vouched for it (no session: `memberId` null). */
export interface DownloadCaller {
  readonly kind: 'member' | 'operator' | 'anonymous';
  readonly accountId: string | null;
  readonly memberId: string | null;
  readonly clientIp: string;
  readonly requestId: string;
}

/** One use of a download link, accepted or refused, for the download log. */
export interface DownloadUse {
  readonly outcome: 'served' | 'refused';
  /** HTTP status answered. */
  readonly status: number;
  /** Why it was refused (LINK_EXPIRED, LINK_NOT_YOURS, FILE_NOT_FOUND, …). */
  readonly code?: string;
  /** The link's content when its signature was genuine (file key and name, the member it was issued to). */
  readonly payload?: LinkPayload;
  /** Who presented it; null when the caller is unknown (no vouched identity on the request). */
  readonly caller: DownloadCaller | null;
}

/** Options of `createDownloadHandler`. */
export interface DownloadHandlerOptions {
  store: FileStore;
  signer: LinkSigner;
  /** URL path prefix the handler owns (default '/files/'). */
  prefix?: string;
  /**
   * Who presents the link (the gateway's signed identity); null: nobody vouched. When the caller has
   * a session (a member) and the link was issued to another member, the download is refused.
   */
  callerOf?: (req: IncomingMessage) => Promise<DownloadCaller | null>;
  /** Called for every use, served or refused (the download log). */
  onUse?: (use: DownloadUse) => void;
  /** Called after a file was served (download audit log). */
  onServed?: (payload: LinkPayload) => void;
  /** Called when serving failed unexpectedly (storage error); the client gets a 500. */
  onError?: (error: unknown) => void;
}

/** A Node http handler: returns false when the URL is not under its prefix (pass it on), true when it answers. */
export type DownloadHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Serves `GET|HEAD <prefix><token>`: 200 with the file as an attachment, 403 for a forged or
 * malformed token or one issued to another member than the caller's session, 410 for an expired
 * one, 404 when the file is gone, 405 for other methods. Responses are `Cache-Control: private,
 * no-store` and `Referrer-Policy: no-referrer` (the token is in the URL). Every use is reported to
 * `onUse`.
 */
export function createDownloadHandler(options: DownloadHandlerOptions): DownloadHandler {
  const prefix = options.prefix ?? '/files/';
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(prefix)) return false;
    serve(path.slice(prefix.length), req, res, options).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) sendError(res, 500, { ja: 'サーバーエラーが発生しました。', en: 'Server error.' }, 'INTERNAL');
      else res.destroy();
    });
    return true;
  };
}

const LINK_NOT_YOURS: LocalizedMessage = {
  ja: 'このダウンロードリンクは別の法人会員に発行されたものです。ご自身の画面から再度ダウンロードしてください。',
  en: "This download link was issued to another member. Please download the file from your own portal screen.",
};

/**
 * Whether a caller may use a link: a link stays a bearer capability (no session: allowed), but a
 * member's session presenting a link issued to another member is refused. Operators have no member
 * and may open any member's link; a link issued without a member binds nobody.
 */
export function linkBindingAllows(payload: LinkPayload, caller: DownloadCaller | null): boolean {
  if (!caller || caller.kind !== 'member' || !caller.memberId || payload.memberId === undefined) return true;
  return caller.memberId === payload.memberId;
}

async function serve(token: string, req: IncomingMessage, res: ServerResponse, options: DownloadHandlerOptions): Promise<void> {
  const caller = options.callerOf ? await options.callerOf(req) : null;
  const refuse = (status: number, message: LocalizedMessage, code: string, payload?: LinkPayload) => {
    sendError(res, status, message, code);
    options.onUse?.({ outcome: 'refused', status, code, caller, ...(payload ? { payload } : {}) });
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return refuse(405, { ja: '許可されていないメソッドです。', en: 'Method not allowed.' }, 'METHOD_NOT_ALLOWED');
  }
  const verification = options.signer.verify(token);
  if (!verification.ok) return refuse(verification.error.code === 'LINK_EXPIRED' ? 410 : 403, verification.error.message, verification.error.code);
  const { payload } = verification;
  if (!linkBindingAllows(payload, caller)) return refuse(403, LINK_NOT_YOURS, 'LINK_NOT_YOURS', payload);
  const bytes = await options.store.get(payload.key);
  if (!bytes) return refuse(404, { ja: 'ファイルが見つかりません。', en: 'File not found.' }, 'FILE_NOT_FOUND', payload);
  res.writeHead(200, {
    'Content-Type': payload.contentType,
    'Content-Length': String(bytes.byteLength),
    'Content-Disposition': contentDisposition(payload.filename),
    ...securityHeaders,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
  options.onServed?.(payload);
  options.onUse?.({ outcome: 'served', status: 200, payload, caller });
}

const securityHeaders = {
  'Cache-Control': 'private, no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

function sendError(res: ServerResponse, status: number, message: LocalizedMessage, code: string): void {
  const body = JSON.stringify({ code, message });
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...securityHeaders,
  });
  res.end(body);
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<RFC 5987>` so Japanese names
 * survive in every current browser while old clients still get a usable name.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'download';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
