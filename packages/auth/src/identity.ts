import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { jwtVerify, importSPKI, generateKeyPair, exportPKCS8, exportSPKI, type CryptoKey } from 'jose';
import { isKnownScope, type Scope } from './scopes.ts';

/**
 * The identity the gateway vouches for on every subgraph call. Subgraphs trust nothing else:
 * no client header, no session token, only this short-lived signed token.
 */
export interface Identity {
  /** `member`: a logged-in account of a corporate member; `operator`: the back office; `anonymous`: no session. */
  kind: 'member' | 'operator' | 'anonymous';
  accountId: string | null;
  memberId: string | null;
  sessionId: string | null;
  scopes: ReadonlySet<Scope>;
  clientIp: string;
  requestId: string;
  /** When the signed token expires (epoch ms); set by the verifier, bounds the request's deadline. */
  expiresAt?: number;
}

/** Header carrying the signed identity from the gateway to a subgraph. Clients may never set it. */
export const IDENTITY_HEADER = 'x-portal-identity';
const ISSUER = 'portal-gateway';
const ALG = 'EdDSA';
/** Long enough for a slow subgraph call to start, short enough that a leaked token is useless. */
export const IDENTITY_TTL_SECONDS = 60;

export interface IdentityKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh Ed25519 key pair (PEM), for development start-up and tests. */
export async function generateIdentityKeys(): Promise<IdentityKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

export interface IdentitySigner {
  sign(identity: Identity, audience: string): Promise<string>;
}

/**
 * Signs with node:crypto's one-shot Ed25519 (about 40 µs here) rather than jose's WebCrypto path
 * (about 160 µs, plus a thread hop per call): the gateway signs once per request and subgraph, so
 * this is on every request's path (BENCHMARKS.md). The token is a standard compact JWS (EdDSA) with
 * the same claims; subgraphs verify it with jose (`createIdentityVerifier`).
 */
export async function createIdentitySigner(privateKeyPem: string): Promise<IdentitySigner> {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('The identity signing key must be an Ed25519 private key (PKCS#8 PEM).');
  const header = base64url(JSON.stringify({ alg: ALG }));
  return {
    async sign(identity, audience) {
      const iat = Math.floor(Date.now() / 1000);
      const payload = {
        knd: identity.kind,
        mid: identity.memberId,
        sid: identity.sessionId,
        scp: [...identity.scopes],
        ip: identity.clientIp,
        rid: identity.requestId,
        iss: ISSUER,
        aud: audience,
        sub: identity.accountId ?? 'anonymous',
        iat,
        exp: iat + IDENTITY_TTL_SECONDS,
      };
      const input = `${header}.${base64url(JSON.stringify(payload))}`;
      return `${input}.${cryptoSign(null, Buffer.from(input), key).toString('base64url')}`;
    },
  };
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

export interface IdentityVerifier {
  /** The identity, or null when the token is missing, forged, expired or meant for another audience. */
  verify(token: string | undefined | null): Promise<Identity | null>;
}

export async function createIdentityVerifier(publicKeyPem: string, audience: string): Promise<IdentityVerifier> {
  const key: CryptoKey = await importSPKI(publicKeyPem, ALG);
  return {
    async verify(token) {
      if (!token) return null;
      try {
        // `exp` is required: jose only checks an expiry that is present, and a token that never
        // expires would defeat the short-lived identity (a leaked one would be valid forever).
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience, algorithms: [ALG], requiredClaims: ['exp'] });
        const kind = payload.knd;
        if (kind !== 'member' && kind !== 'operator' && kind !== 'anonymous') return null;
        const scopes = Array.isArray(payload.scp) ? payload.scp.filter((s): s is Scope => typeof s === 'string' && isKnownScope(s)) : [];
        const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
        const accountId = payload.sub && payload.sub !== 'anonymous' ? payload.sub : null;
        if (kind !== 'anonymous' && !accountId) return null;
        if (kind === 'member' && !str(payload.mid)) return null;
        return {
          kind,
          accountId,
          memberId: str(payload.mid),
          sessionId: str(payload.sid),
          scopes: new Set(scopes),
          clientIp: str(payload.ip) ?? '',
          requestId: str(payload.rid) ?? '',
          expiresAt: (payload.exp as number) * 1000,
        };
      } catch {
        return null;
      }
    },
  };
}

/** The identity of a request without a session (login, public links). */
export function anonymousIdentity(clientIp: string, requestId: string): Identity {
  return { kind: 'anonymous', accountId: null, memberId: null, sessionId: null, scopes: new Set(), clientIp, requestId };
}
