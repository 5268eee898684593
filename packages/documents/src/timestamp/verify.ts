/**
 * Verify a TimeStampToken against the document and a trusted CA with the `openssl` CLI — the same check anyone can run
 * by hand on a downloaded document and its token:
 *
 *   openssl ts -verify -data <document> -in <token.tsr> -token_in -CAfile <ca.pem> [-untrusted <tsa.pem>]
 *
 * openssl hashes <document> with the token's algorithm, compares it with the messageImprint, checks the CMS signature,
 * the ESS signing-certificate attribute and the chain up to <ca.pem> (the TSA certificate must carry the critical
 * timeStamping extended key usage). The TSA certificate comes from the token itself (certReq TRUE) or from -untrusted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from './openssl.ts';
import { inspectTimeStampToken } from './rfc3161.ts';

export interface TimeStampVerification {
  ok: boolean;
  /** The time the TSA vouches for (when ok). */
  genTime?: Date;
  /** openssl's reason (when not ok), e.g. 'message imprint mismatch'. */
  error?: string;
}

export interface VerifyOptions {
  /** The TSA certificate (PEM), for tokens that do not embed it. */
  untrustedPem?: string;
}

/** Check `token` (DER TimeStampToken) stamps exactly `document` and chains to `caCertPem`. Never throws for a bad token. */
export async function verifyTimeStampToken(token: Uint8Array, document: Uint8Array, caCertPem: string, options: VerifyOptions = {}): Promise<TimeStampVerification> {
  const dir = await mkdtemp(join(tmpdir(), 'tsverify-'));
  try {
    const files = { data: join(dir, 'document'), token: join(dir, 'token.tsr'), ca: join(dir, 'ca.pem'), tsa: join(dir, 'tsa.pem') };
    await Promise.all([writeFile(files.data, document), writeFile(files.token, token), writeFile(files.ca, caCertPem)]);
    const args = ['ts', '-verify', '-data', files.data, '-in', files.token, '-token_in', '-CAfile', files.ca];
    if (options.untrustedPem) {
      await writeFile(files.tsa, options.untrustedPem);
      args.push('-untrusted', files.tsa);
    }
    const r = await openssl(args);
    if (r.code === 0 && /Verification: OK/.test(r.stdout)) {
      return { ok: true, genTime: inspectTimeStampToken(token).genTime };
    }
    const reason = r.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('Using configuration'))
      .join(' | ');
    return { ok: false, error: reason || r.stdout.trim() || `openssl exited ${r.code}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
