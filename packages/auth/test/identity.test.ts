import { beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair, importPKCS8, importSPKI, jwtVerify, exportPKCS8, type CryptoKey } from 'jose';
import {
  IDENTITY_TTL_SECONDS,
  anonymousIdentity,
  createIdentitySigner,
  createIdentityVerifier,
  generateIdentityKeys,
  type Identity,
  type IdentityKeyPair,
  type IdentitySigner,
  type IdentityVerifier,
} from '../src/identity.ts';

const member: Identity = {
  kind: 'member',
  accountId: 'acc-1',
  memberId: 'mem-1',
  sessionId: 'ses-1',
  scopes: new Set(['billing:view', 'cancellation:view']),
  clientIp: '203.0.113.7',
  requestId: 'req-1',
};

let keys: IdentityKeyPair;
let privateKey: CryptoKey;
let signer: IdentitySigner;
let tenancy: IdentityVerifier;
let billing: IdentityVerifier;

beforeAll(async () => {
  keys = await generateIdentityKeys();
  privateKey = await importPKCS8(keys.privateKeyPem, 'EdDSA');
  signer = await createIdentitySigner(keys.privateKeyPem);
  tenancy = await createIdentityVerifier(keys.publicKeyPem, 'tenancy');
  billing = await createIdentityVerifier(keys.publicKeyPem, 'billing');
});

/** A token exactly like the gateway's, with the claims overridden; signed with `key` (default: the real key). */
async function craft(
  claims: Record<string, unknown>,
  opts: { audience?: string; issuer?: string; subject?: string; exp?: number | null; iat?: number; key?: CryptoKey; alg?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ knd: 'member', mid: 'mem-1', sid: 'ses-1', scp: ['billing:view'], ip: '203.0.113.7', rid: 'req-1', ...claims })
    .setProtectedHeader({ alg: opts.alg ?? 'EdDSA' })
    .setIssuer(opts.issuer ?? 'portal-gateway')
    .setAudience(opts.audience ?? 'tenancy')
    .setSubject(opts.subject ?? 'acc-1')
    .setIssuedAt(opts.iat ?? now);
  if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? now + IDENTITY_TTL_SECONDS);
  return jwt.sign(opts.key ?? privateKey);
}

describe('identity token', () => {
  it('round-trips a member identity for its audience', async () => {
    const token = await signer.sign(member, 'tenancy');
    const identity = await tenancy.verify(token);
    expect(identity).not.toBeNull();
    expect({ ...identity!, scopes: [...identity!.scopes].sort() }).toEqual({ ...member, scopes: ['billing:view', 'cancellation:view'], expiresAt: expect.any(Number) });
  });

  it('round-trips an anonymous identity with no account', async () => {
    const identity = await tenancy.verify(await signer.sign(anonymousIdentity('198.51.100.1', 'req-2'), 'tenancy'));
    expect(identity).toMatchObject({ kind: 'anonymous', accountId: null, memberId: null, sessionId: null, clientIp: '198.51.100.1', requestId: 'req-2' });
    expect(identity!.scopes.size).toBe(0);
  });

  it('round-trips an operator identity (no member id needed)', async () => {
    const operator: Identity = { ...member, kind: 'operator', memberId: null, scopes: new Set(['operator']) };
    const identity = await tenancy.verify(await signer.sign(operator, 'tenancy'));
    expect(identity).toMatchObject({ kind: 'operator', accountId: 'acc-1', memberId: null });
    expect([...identity!.scopes]).toEqual(['operator']);
  });

  it('signs a standard compact JWS (EdDSA) that any JOSE library verifies with the public key', async () => {
    const token = await signer.sign(member, 'billing');
    const { payload, protectedHeader } = await jwtVerify(token, await importSPKI(keys.publicKeyPem, 'EdDSA'), { issuer: 'portal-gateway', audience: 'billing', algorithms: ['EdDSA'] });
    expect(protectedHeader).toEqual({ alg: 'EdDSA' });
    expect(payload).toMatchObject({ sub: 'acc-1', mid: 'mem-1', sid: 'ses-1', rid: 'req-1', ip: '203.0.113.7', knd: 'member' });
    // A flipped bit in the signature is refused.
    const [h, p, sig] = token.split('.') as [string, string, string];
    const bad = Buffer.from(sig, 'base64url');
    bad[0] = bad[0]! ^ 1;
    expect(await billing.verify(`${h}.${p}.${bad.toString('base64url')}`)).toBeNull();
  });

  it('refuses a signing key that is not Ed25519', async () => {
    const { privateKey: es } = await generateKeyPair('ES256', { extractable: true });
    await expect(createIdentitySigner(await exportPKCS8(es))).rejects.toThrow(/Ed25519/);
  });

  it('expires after IDENTITY_TTL_SECONDS (a short-lived token)', async () => {
    const token = await signer.sign(member, 'tenancy');
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; iat: number };
    expect(payload.exp - payload.iat).toBe(IDENTITY_TTL_SECONDS);
  });

  it('rejects a token for audience billing presented to tenancy (and the reverse works only for billing)', async () => {
    const token = await signer.sign(member, 'billing');
    expect(await tenancy.verify(token)).toBeNull();
    expect(await billing.verify(token)).not.toBeNull();
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await craft({}, { iat: now - 120, exp: now - 60 });
    expect(await tenancy.verify(expired)).toBeNull();
    // Control: the same claims with a future exp are accepted, so it is the expiry that is refused.
    expect(await tenancy.verify(await craft({}, { iat: now - 120, exp: now + 30 }))).not.toBeNull();
  });

  it('rejects a token without an expiry, even when correctly signed', async () => {
    expect(await tenancy.verify(await craft({}, { exp: null }))).toBeNull();
  });

  it('rejects a token signed by another key (forged)', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect(await tenancy.verify(await craft({}, { key: other.privateKey }))).toBeNull();
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const token = await signer.sign(member, 'tenancy');
    const [h, , s] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ knd: 'member', mid: 'mem-1', sub: 'acc-1', scp: ['admin'], iss: 'portal-gateway', aud: 'tenancy', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    expect(await tenancy.verify(`${h}.${forgedPayload}.${s}`)).toBeNull();
  });

  it('rejects an unsigned (alg: none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ knd: 'member', mid: 'mem-1', sub: 'acc-1', scp: ['admin'], iss: 'portal-gateway', aud: 'tenancy', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    expect(await tenancy.verify(`${header}.${body}.`)).toBeNull();
  });

  it('rejects an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(keys.publicKeyPem);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ knd: 'member', mid: 'mem-1', scp: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('portal-gateway')
      .setAudience('tenancy')
      .setSubject('acc-1')
      .setExpirationTime(now + 60)
      .sign(secret);
    expect(await tenancy.verify(token)).toBeNull();
  });

  it('rejects a token from another issuer', async () => {
    expect(await tenancy.verify(await craft({}, { issuer: 'someone-else' }))).toBeNull();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty', ''],
    ['garbage', 'not.a.jwt'],
  ])('rejects a missing or malformed token (%s)', async (_name, token) => {
    expect(await tenancy.verify(token)).toBeNull();
  });

  it.each([
    ['an unknown kind', { knd: 'root' }, {}],
    ['a missing kind', { knd: undefined }, {}],
    ['a member without a member id', { mid: null }, {}],
    ['a member with an empty member id', { mid: '' }, {}],
    ['a member without an account (sub anonymous)', {}, { subject: 'anonymous' }],
    ['an operator without an account', { knd: 'operator', mid: null }, { subject: 'anonymous' }],
  ])('rejects a correctly signed token with %s', async (_name, claims, opts) => {
    expect(await tenancy.verify(await craft(claims, opts))).toBeNull();
  });

  it('drops scopes it does not know and non-string scopes', async () => {
    const identity = await tenancy.verify(await craft({ scp: ['billing:view', 'root', 42, 'admin'] }));
    expect([...identity!.scopes].sort()).toEqual(['admin', 'billing:view']);
  });

  it('treats a non-list scope claim as no scopes', async () => {
    const identity = await tenancy.verify(await craft({ scp: 'admin' }));
    expect(identity!.scopes.size).toBe(0);
  });
});
