/**
 * A REAL RFC 3161 time-stamping authority for development and tests, built on the `openssl` CLI.
 *
 * - Once per `dir`, creates `dir/pki/`: a self-signed CA ('Portal Development Time-Stamping CA', RSA 2048, 10 years)
 *   and a TSA certificate it issues (RSA 2048, 5 years, extendedKeyUsage = critical, timeStamping; keyUsage
 *   digitalSignature, nonRepudiation). Made in a temporary directory and renamed into place, so parallel test
 *   processes sharing `dir` end up with one CA.
 * - Serves `POST /` (any path) with `Content-Type: application/timestamp-query` on http://127.0.0.1:<random port>,
 *   answering `openssl ts -reply` output as `application/timestamp-reply` (SHA-256 ESSCertIDv2, the signer's
 *   certificate in the token when certReq is set, accuracy 1 s, policy 1.3.6.1.4.1.4146.99.1 — a placeholder OID).
 * - genTime is the machine's real clock (openssl has no way to take the app's clock).
 *
 * NOT for production: the CA key lies unencrypted in `dir`. Production configures a commercial TSA URL and its CA.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openssl, opensslOrThrow } from './openssl.ts';

export interface LocalTsa {
  /** 'http://127.0.0.1:<port>/' — pass it to createRfc3161Client. */
  url: string;
  /** The development CA (trust anchor for verification: `-CAfile`). */
  caCertPem: string;
  /** The TSA's own certificate (`-untrusted`). */
  tsaCertPem: string;
  /** Files on disk, for command lines: `openssl ts -verify … -CAfile <caCertPath> -untrusted <tsaCertPath>`. */
  caCertPath: string;
  tsaCertPath: string;
  /** How many requests were answered. */
  requests(): number;
  stop(): Promise<void>;
}

export const LOCAL_TSA_POLICY = '1.3.6.1.4.1.4146.99.1';
const MAX_REQUEST_BYTES = 64 * 1024;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const CA_REQ_CONFIG = `[ req ]
prompt = no
distinguished_name = dn
x509_extensions = v3_ca
[ dn ]
C = JP
O = Portal Development
CN = Portal Development Time-Stamping CA
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;
const TSA_REQ_CONFIG = `[ req ]
prompt = no
distinguished_name = dn
[ dn ]
C = JP
O = Portal Development
CN = Portal Development TSA
`;
const TSA_EXT = `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
`;

/** Create dir/pki once (CA + TSA certificate). Returns the pki directory. */
async function ensurePki(dir: string): Promise<string> {
  const pki = join(dir, 'pki');
  if (await exists(join(pki, 'tsa.pem'))) return pki;
  await mkdir(dir, { recursive: true });
  const tmp = await mkdtemp(join(dir, '.pki-'));
  try {
    await writeFile(join(tmp, 'ca-req.cnf'), CA_REQ_CONFIG);
    await writeFile(join(tmp, 'tsa-req.cnf'), TSA_REQ_CONFIG);
    await writeFile(join(tmp, 'tsa-ext.cnf'), TSA_EXT);
    await opensslOrThrow(['req', '-x509', '-config', 'ca-req.cnf', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-sha256'], { cwd: tmp });
    await opensslOrThrow(['req', '-new', '-config', 'tsa-req.cnf', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-sha256'], { cwd: tmp });
    await opensslOrThrow(
      ['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '1825', '-sha256', '-extfile', 'tsa-ext.cnf', '-out', 'tsa.pem'],
      { cwd: tmp },
    );
    try {
      await rename(tmp, pki);
    } catch (e) {
      // Another process created it first: use theirs.
      if (!(await exists(join(pki, 'tsa.pem')))) throw e;
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return pki;
}

function tsaConfig(pki: string, run: string): string {
  return `[ tsa ]
default_tsa = local_tsa
[ local_tsa ]
serial = ${join(run, 'serial')}
crypto_device = builtin
signer_cert = ${join(pki, 'tsa.pem')}
signer_key = ${join(pki, 'tsa.key')}
certs = ${join(pki, 'ca.pem')}
signer_digest = sha256
default_policy = ${LOCAL_TSA_POLICY}
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 0
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error('request too large'));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Start a local TSA whose keys live in `dir` (created on first use, reused afterwards). */
export async function startLocalTsa(dir: string): Promise<LocalTsa> {
  const pki = await ensurePki(dir);
  const run = await mkdtemp(join(dir, 'run-'));
  // A random 63-bit start serial per instance: instances sharing the CA never issue the same serial.
  await writeFile(join(run, 'serial'), `${(randomBytes(1)[0]! % 0x70 + 0x10).toString(16)}${randomBytes(7).toString('hex')}\n`);
  await writeFile(join(run, 'tsa.cnf'), tsaConfig(pki, run));
  const caCertPath = join(pki, 'ca.pem');
  const tsaCertPath = join(pki, 'tsa.pem');
  const [caCertPem, tsaCertPem] = await Promise.all([readFile(caCertPath, 'utf8'), readFile(tsaCertPath, 'utf8')]);

  let counter = 0;
  let answered = 0;
  // openssl rewrites the serial file on every reply: one reply at a time per instance.
  let queue: Promise<unknown> = Promise.resolve();
  const reply = (query: Buffer): Promise<Buffer> => {
    const next = queue.then(async () => {
      const n = ++counter;
      const q = join(run, `${n}.tsq`);
      const r = join(run, `${n}.tsr`);
      await writeFile(q, query);
      try {
        const out = await openssl(['ts', '-reply', '-config', join(run, 'tsa.cnf'), '-queryfile', q, '-out', r]);
        if (out.code !== 0) throw new Error(`openssl ts -reply failed: ${out.stderr.trim()}`);
        return await readFile(r);
      } finally {
        await rm(q, { force: true });
        await rm(r, { force: true });
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/timestamp-query')) {
      res.writeHead(415).end();
      return;
    }
    readBody(req)
      .then(reply)
      .then((bytes) => {
        answered++;
        res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': bytes.length }).end(bytes);
      })
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end((e as Error).message);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    caCertPem,
    tsaCertPem,
    caCertPath,
    tsaCertPath,
    requests: () => answered,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue;
      await rm(run, { recursive: true, force: true });
    },
  };
}
