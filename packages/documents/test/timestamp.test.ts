import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTimeStampRequest,
  createRfc3161Client,
  inspectTimeStampToken,
  LOCAL_TSA_POLICY,
  renderPdf,
  sha256,
  startLocalTsa,
  TimeStampError,
  timeStampDocument,
  verifyTimeStampToken,
  type LocalTsa,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'documents-tsa-'));
const opensslVerify = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile('openssl', args, { encoding: 'utf8' }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });

/** A fake TSA server answering with fixed bytes (or never), for the client's failure paths. */
async function fakeTsa(handler: (body: Buffer) => { status: number; type: string; body: Buffer } | 'hang'): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const out = handler(Buffer.concat(parts));
      if (out === 'hang') return;
      res.writeHead(out.status, { 'content-type': out.type }).end(out.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('RFC 3161 with the local openssl TSA', () => {
  let tsa: LocalTsa;
  let document: Buffer;
  let token: Buffer;
  const servers: Server[] = [];

  beforeAll(async () => {
    tsa = await startLocalTsa(join(work, 'tsa'));
    document = await renderPdf({ title: '適格請求書', issuedOn: '2026-04-03', blocks: [{ kind: 'text', text: 'タイムスタンプの試験' }] });
    token = await createRfc3161Client(tsa.url, { timeoutMs: 10_000 }).stamp(sha256(document));
  });
  afterAll(async () => {
    await tsa.stop();
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('issues a TSA certificate with the critical timeStamping extended key usage', async () => {
    const r = await opensslVerify(['x509', '-in', tsa.tsaCertPath, '-noout', '-ext', 'extendedKeyUsage,keyUsage,basicConstraints']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping/);
  });

  it('stamps the document hash: the token carries the hash, the policy and a fresh genTime', () => {
    const info = inspectTimeStampToken(token);
    expect(info.hashAlgorithm).toBe('sha256');
    expect(info.hashedMessage.equals(sha256(document))).toBe(true);
    expect(info.policy).toBe(LOCAL_TSA_POLICY);
    expect(Math.abs(info.genTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(info.nonce).toMatch(/^[0-9a-f]{16}$/);
  });

  it('`openssl ts -verify -data … -token_in -CAfile … -untrusted …` accepts the document (the README command line)', async () => {
    const doc = join(work, 'statement.pdf');
    const tsr = join(work, 'statement.pdf.tsr');
    writeFileSync(doc, document);
    writeFileSync(tsr, token);
    const withUntrusted = await opensslVerify(['ts', '-verify', '-data', doc, '-in', tsr, '-token_in', '-CAfile', tsa.caCertPath, '-untrusted', tsa.tsaCertPath]);
    expect(withUntrusted.stdout).toContain('Verification: OK');
    expect(withUntrusted.code).toBe(0);
    // the token embeds the TSA certificate (certReq), so -untrusted is optional
    const embedded = await opensslVerify(['ts', '-verify', '-data', doc, '-in', tsr, '-token_in', '-CAfile', tsa.caCertPath]);
    expect(embedded.code).toBe(0);
  });

  it('`openssl ts -verify` refuses a tampered document', async () => {
    const tampered = Buffer.from(document);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0x01;
    const doc = join(work, 'tampered.pdf');
    const tsr = join(work, 'tampered.pdf.tsr');
    writeFileSync(doc, tampered);
    writeFileSync(tsr, token);
    const r = await opensslVerify(['ts', '-verify', '-data', doc, '-in', tsr, '-token_in', '-CAfile', tsa.caCertPath, '-untrusted', tsa.tsaCertPath]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('message imprint mismatch');
  });

  it('verifyTimeStampToken: ok with genTime for the document, not for a tampered one', async () => {
    const ok = await verifyTimeStampToken(token, document, tsa.caCertPem, { untrustedPem: tsa.tsaCertPem });
    expect(ok.ok).toBe(true);
    expect(ok.genTime).toEqual(inspectTimeStampToken(token).genTime);
    const bad = await verifyTimeStampToken(token, Buffer.concat([document, Buffer.from('\n')]), tsa.caCertPem);
    expect(bad).toMatchObject({ ok: false });
    expect(bad.error).toContain('message imprint mismatch');
  });

  it('verifyTimeStampToken refuses a token whose TSA does not chain to the given CA', async () => {
    const other = await startLocalTsa(join(work, 'other-tsa'));
    try {
      expect(other.caCertPem).not.toBe(tsa.caCertPem);
      const r = await verifyTimeStampToken(token, document, other.caCertPem);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/certificate verify error|unable to get local issuer certificate/);
    } finally {
      await other.stop();
    }
  });

  it('timeStampDocument hashes, stamps and reads the token back in one call', async () => {
    const stamped = await timeStampDocument(createRfc3161Client(tsa.url), document);
    expect(stamped.sha256).toBe(sha256(document).toString('hex'));
    expect(stamped.genTime).toEqual(inspectTimeStampToken(stamped.token).genTime);
    expect(stamped.serialNumber).toBe(inspectTimeStampToken(stamped.token).serialNumber);
    expect((await verifyTimeStampToken(stamped.token, document, tsa.caCertPem)).ok).toBe(true);
  });

  it('verifyTimeStampToken refuses garbage instead of throwing', async () => {
    const r = await verifyTimeStampToken(Buffer.from('not a token'), document, tsa.caCertPem);
    expect(r.ok).toBe(false);
  });

  it('reuses the CA of a directory: a second instance on the same dir verifies the first one’s tokens', async () => {
    const again = await startLocalTsa(join(work, 'tsa'));
    try {
      expect(again.caCertPem).toBe(tsa.caCertPem);
      expect(again.url).not.toBe(tsa.url);
      const second = await createRfc3161Client(again.url).stamp(sha256(document));
      expect(inspectTimeStampToken(second).serialNumber).not.toBe(inspectTimeStampToken(token).serialNumber);
      expect((await verifyTimeStampToken(second, document, tsa.caCertPem)).ok).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it('answers parallel requests (one openssl at a time), each with its own serial number', async () => {
    const client = createRfc3161Client(tsa.url);
    const docs = Array.from({ length: 5 }, (_, i) => Buffer.from(`document ${i}`));
    const tokens = await Promise.all(docs.map((d) => client.stamp(sha256(d))));
    const serials = new Set(tokens.map((t) => inspectTimeStampToken(t).serialNumber));
    expect(serials.size).toBe(5);
    const checks = await Promise.all(tokens.map((t, i) => verifyTimeStampToken(t, docs[i]!, tsa.caCertPem)));
    expect(checks.every((c) => c.ok)).toBe(true);
  });

  it('a TSA rejection (unsupported policy) is a TimeStampError TSA_REJECTED', async () => {
    const client = createRfc3161Client(tsa.url, { policy: '1.2.3.4.5.6.7' });
    await expect(client.stamp(sha256(document))).rejects.toMatchObject({ name: 'TimeStampError', code: 'TSA_REJECTED' });
  });

  it('refuses a digest that is not 32 bytes', async () => {
    await expect(createRfc3161Client(tsa.url).stamp(Buffer.alloc(20))).rejects.toMatchObject({ code: 'TSA_BAD_INPUT' });
  });

  it('refuses a replayed answer: another nonce → TSA_NONCE_MISMATCH, another hash → TSA_IMPRINT_MISMATCH', async () => {
    // A genuine reply of the local TSA, to a request with a nonce of our choosing.
    const captured = Buffer.from(
      await (
        await fetch(tsa.url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query' },
          body: new Uint8Array(buildTimeStampRequest(sha256(document), { nonce: Buffer.from('0102030405060708', 'hex') })),
        })
      ).arrayBuffer(),
    );
    const replay = await fakeTsa(() => ({ status: 200, type: 'application/timestamp-reply', body: captured }));
    servers.push(replay.server);
    const client = createRfc3161Client(replay.url);
    await expect(client.stamp(sha256(document))).rejects.toMatchObject({ code: 'TSA_NONCE_MISMATCH' });
    await expect(client.stamp(sha256(Buffer.from('another document')))).rejects.toMatchObject({ code: 'TSA_IMPRINT_MISMATCH' });
  });

  it('HTTP errors, wrong content types, garbage and silence are TimeStampErrors', async () => {
    const http500 = await fakeTsa(() => ({ status: 500, type: 'text/plain', body: Buffer.from('down') }));
    const html = await fakeTsa(() => ({ status: 200, type: 'text/html', body: Buffer.from('<html>') }));
    const garbage = await fakeTsa(() => ({ status: 200, type: 'application/timestamp-reply', body: Buffer.from('garbage') }));
    const silent = await fakeTsa(() => 'hang');
    servers.push(http500.server, html.server, garbage.server, silent.server);
    const digest = sha256(document);
    await expect(createRfc3161Client(http500.url).stamp(digest)).rejects.toMatchObject({ code: 'TSA_HTTP_ERROR' });
    await expect(createRfc3161Client(html.url).stamp(digest)).rejects.toMatchObject({ code: 'TSA_BAD_RESPONSE' });
    await expect(createRfc3161Client(garbage.url).stamp(digest)).rejects.toMatchObject({ code: 'TSA_BAD_RESPONSE' });
    const started = Date.now();
    await expect(createRfc3161Client(silent.url, { timeoutMs: 300 }).stamp(digest)).rejects.toMatchObject({ code: 'TSA_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const error = await createRfc3161Client('http://127.0.0.1:9/').stamp(digest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeStampError);
    expect(error).toMatchObject({ code: 'TSA_UNREACHABLE' });
  });

  it('the local TSA refuses other methods and content types', async () => {
    expect((await fetch(tsa.url)).status).toBe(405);
    expect((await fetch(tsa.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
  });
});
