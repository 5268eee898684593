import { SignJWT, jwtVerify, importPKCS8, importSPKI, generateKeyPair, exportPKCS8, exportSPKI, type CryptoKey } from 'jose';
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

export async function createIdentitySigner(privateKeyPem: string): Promise<IdentitySigner> {
  const key = await importPKCS8(privateKeyPem, ALG);
  return {
    sign(identity, audience) {
      return new SignJWT({
        knd: identity.kind,
        mid: identity.memberId,
        sid: identity.sessionId,
        scp: [...identity.scopes],
        ip: identity.clientIp,
        rid: identity.requestId,
      })
        .setProtectedHeader({ alg: ALG })
        .setIssuer(ISSUER)
        .setAudience(audience)
        .setSubject(identity.accountId ?? 'anonymous')
        .setIssuedAt()
        .setExpirationTime(`${IDENTITY_TTL_SECONDS}s`)
        .sign(key);
    },
  };
}

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
