/**
 * RFC 3161 time stamps (タイムスタンプ): request building and response parsing with pkijs/asn1js.
 *
 * A {@link TimeStampAuthority} stamps the SHA-256 of a document and returns the DER TimeStampToken (a CMS SignedData
 * whose content is a TSTInfo). Keep the token next to the exact bytes that were hashed: anyone can later check them
 * with `openssl ts -verify` (see README.md and ./verify.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** A time-stamping authority. */
export interface TimeStampAuthority {
  /** Stamp a SHA-256 digest (32 bytes). Resolves to the DER TimeStampToken (ContentInfo of a CMS SignedData). */
  stamp(sha256: Buffer): Promise<Buffer>;
}

export type TimeStampErrorCode =
  | 'TSA_BAD_INPUT'
  | 'TSA_TIMEOUT'
  | 'TSA_UNREACHABLE'
  | 'TSA_HTTP_ERROR'
  | 'TSA_BAD_RESPONSE'
  | 'TSA_REJECTED'
  | 'TSA_NONCE_MISMATCH'
  | 'TSA_IMPRINT_MISMATCH';

/** Every failure of {@link createRfc3161Client}'s `stamp`: a system fault for the caller (retry the batch later). */
export class TimeStampError extends Error {
  constructor(
    readonly code: TimeStampErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TimeStampError';
  }
}

export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';
const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
const HASH_OIDS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

/** SHA-256 of some bytes (what {@link TimeStampAuthority.stamp} takes). */
export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** A positive, minimally encoded 64-bit nonce (first byte 0x01–0x7f). */
function newNonce(): Buffer {
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! % 0x7f) + 1;
  return nonce;
}

/** DER TimeStampReq for a SHA-256 digest: version 1, the nonce, certReq TRUE (the TSA puts its certificate in the token). */
export function buildTimeStampRequest(digest: Buffer, options: { nonce?: Buffer; policy?: string } = {}): Buffer {
  if (digest.length !== 32) throw new TimeStampError('TSA_BAD_INPUT', `a SHA-256 digest has 32 bytes, got ${digest.length}`);
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(digest) }),
    }),
    ...(options.nonce ? { nonce: new asn1js.Integer({ valueHex: new Uint8Array(options.nonce) }) } : {}),
    ...(options.policy ? { reqPolicy: options.policy } : {}),
    certReq: true,
  });
  return Buffer.from(req.toSchema().toBER(false));
}

/** What a TimeStampToken says (parsed, NOT verified: use verifyTimeStampToken for that). */
export interface TimeStampTokenInfo {
  /** The time the TSA vouches for. */
  genTime: Date;
  /** The TSA's serial number of this token, hex. */
  serialNumber: string;
  /** The TSA policy OID. */
  policy: string;
  /** 'sha256' (or the algorithm's OID when unknown). */
  hashAlgorithm: string;
  /** The stamped digest. */
  hashedMessage: Buffer;
  /** The nonce, hex, when the request had one. */
  nonce?: string;
}

function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  const asn = asn1js.fromBER(new Uint8Array(bytes));
  if (asn.offset === -1) throw new TimeStampError('TSA_BAD_RESPONSE', `${what} is not valid BER/DER: ${asn.result.error}`);
  return asn.result;
}

/** Parse a DER TimeStampToken (ContentInfo → SignedData → TSTInfo). Throws TimeStampError('TSA_BAD_RESPONSE') when malformed. */
export function inspectTimeStampToken(token: Uint8Array): TimeStampTokenInfo {
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: parseDer(token, 'the TimeStampToken') });
    if (contentInfo.contentType !== SIGNED_DATA_OID) throw new Error(`content type ${contentInfo.contentType} is not SignedData`);
    const signed = new pkijs.SignedData({ schema: contentInfo.content });
    if (signed.encapContentInfo.eContentType !== TST_INFO_OID) throw new Error(`eContentType ${signed.encapContentInfo.eContentType} is not TSTInfo`);
    const eContent = signed.encapContentInfo.eContent;
    if (!eContent) throw new Error('the token has no TSTInfo');
    const tst = new pkijs.TSTInfo({ schema: parseDer(new Uint8Array(eContent.getValue()), 'the TSTInfo') });
    const alg = tst.messageImprint.hashAlgorithm.algorithmId;
    return {
      genTime: tst.genTime,
      serialNumber: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
      policy: tst.policy,
      hashAlgorithm: HASH_OIDS[alg] ?? alg,
      hashedMessage: Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
      ...(tst.nonce ? { nonce: Buffer.from(tst.nonce.valueBlock.valueHexView).toString('hex') } : {}),
    };
  } catch (e) {
    if (e instanceof TimeStampError) throw e;
    throw new TimeStampError('TSA_BAD_RESPONSE', `malformed TimeStampToken: ${(e as Error).message}`, { cause: e });
  }
}

const STATUS_NAMES = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

/**
 * Parse a DER TimeStampResp and check it answers this request: status granted (or grantedWithMods), a token present,
 * the token's messageImprint = SHA-256 `digest`, its nonce = `nonce`. Returns the token's exact DER bytes (as the TSA
 * sent them: never re-encoded, so the signature stays valid).
 */
export function parseTimeStampResponse(response: Uint8Array, digest: Buffer, nonce?: Buffer): Buffer {
  const asn = parseDer(response, 'the TimeStampResp');
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: asn });
  } catch (e) {
    throw new TimeStampError('TSA_BAD_RESPONSE', `malformed TimeStampResp: ${(e as Error).message}`, { cause: e });
  }
  const status = resp.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw new TimeStampError('TSA_REJECTED', `the TSA answered ${STATUS_NAMES[status] ?? status}${text ? `: ${text}` : ''}`);
  }
  const tokenBlock = (asn as asn1js.Sequence).valueBlock.value[1];
  if (!resp.timeStampToken || !tokenBlock) throw new TimeStampError('TSA_BAD_RESPONSE', 'granted, but no TimeStampToken');
  const token = Buffer.from(tokenBlock.valueBeforeDecodeView);
  const info = inspectTimeStampToken(token);
  if (info.hashAlgorithm !== 'sha256' || !bytesEqual(info.hashedMessage, digest)) {
    throw new TimeStampError('TSA_IMPRINT_MISMATCH', 'the token stamps another digest than the one requested');
  }
  if (nonce && info.nonce !== nonce.toString('hex')) {
    throw new TimeStampError('TSA_NONCE_MISMATCH', 'the token does not carry the nonce of the request (replayed or foreign response)');
  }
  return token;
}

export interface Rfc3161ClientOptions {
  /** Abort the HTTP exchange after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Ask for a TSA policy OID (reqPolicy). */
  policy?: string;
  /** Extra HTTP headers (e.g. Authorization for a commercial TSA). */
  headers?: Record<string, string>;
}

/**
 * A TSA over HTTP (RFC 3161 §3.4): POST the DER TimeStampReq as `application/timestamp-query`, expect
 * `application/timestamp-reply`. Every request carries a fresh random nonce and certReq TRUE.
 * Failures are {@link TimeStampError}s (timeout, network, HTTP status, rejection, nonce or imprint mismatch).
 */
export function createRfc3161Client(url: string, options: Rfc3161ClientOptions = {}): TimeStampAuthority {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async stamp(digest: Buffer): Promise<Buffer> {
      const nonce = newNonce();
      const body = buildTimeStampRequest(digest, { nonce, ...(options.policy ? { policy: options.policy } : {}) });
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply', ...options.headers },
          body: new Uint8Array(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const name = (e as Error).name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new TimeStampError('TSA_TIMEOUT', `no answer from the TSA within ${timeoutMs} ms`, { cause: e });
        throw new TimeStampError('TSA_UNREACHABLE', `cannot reach the TSA at ${url}: ${(e as Error).message}`, { cause: e });
      }
      let bytes: Buffer;
      try {
        bytes = Buffer.from(await res.arrayBuffer());
      } catch (e) {
        const name = (e as Error).name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new TimeStampError('TSA_TIMEOUT', `no answer from the TSA within ${timeoutMs} ms`, { cause: e });
        throw new TimeStampError('TSA_UNREACHABLE', `reading the TSA's answer failed: ${(e as Error).message}`, { cause: e });
      }
      if (!res.ok) throw new TimeStampError('TSA_HTTP_ERROR', `the TSA answered HTTP ${res.status}`);
      const type = res.headers.get('content-type') ?? '';
      if (!type.startsWith('application/timestamp-reply')) {
        throw new TimeStampError('TSA_BAD_RESPONSE', `the TSA answered content type '${type}', not application/timestamp-reply`);
      }
      return parseTimeStampResponse(bytes, digest, nonce);
    },
  };
}

/** A stamped document: what to store next to the exact bytes that were hashed. */
export interface StampedDocument {
  /** DER TimeStampToken; serve it as '<file>.tsr' (application/timestamp-reply is for responses; use application/octet-stream). */
  token: Buffer;
  /** SHA-256 of the document, hex. */
  sha256: string;
  /** The TSA's time. */
  genTime: Date;
  /** The TSA's serial number of the token, hex. */
  serialNumber: string;
}

/** Hash `document`, stamp it with `tsa` and read the token back: one call for the nightly batch. */
export async function timeStampDocument(tsa: TimeStampAuthority, document: Uint8Array): Promise<StampedDocument> {
  const digest = sha256(document);
  const token = await tsa.stamp(digest);
  const info = inspectTimeStampToken(token);
  return { token, sha256: digest.toString('hex'), genTime: info.genTime, serialNumber: info.serialNumber };
}
