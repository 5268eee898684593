import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createRfc3161Client, type TimeStampAuthority } from './rfc3161.ts';
import { startLocalTsa } from './local-tsa.ts';

/** The time-stamping authority a process uses, with the CA certificate its tokens verify against. */
export interface ConfiguredTsa {
  /** For command lines (`openssl ts -verify -CAfile`), when the CA is a file. */
  caCertPath?: string;
  tsa: TimeStampAuthority;
  caCertPem: string;
  /** 'local' in development and tests (openssl on this machine), else the configured URL. */
  source: string;
  stop(): Promise<void>;
}

const registry = new WeakMap<object, ConfiguredTsa>();

/**
 * The deployment's TSA (`PORTAL_TSA_URL` + `PORTAL_TSA_CA_FILE`), or, when none is configured (npm start,
 * tests), a local RFC 3161 TSA on openssl with its keys under `<dataDir>/tsa`: real tokens, not fakes. Every
 * subgraph that stamps (billing's statements and qualified invoices, tenancy's settlement statements) calls
 * this with the same settings, so one CA verifies every document; the local TSA's keys are made once per
 * directory (race-safe), so two subgraphs on one data directory share them too.
 * `owner` (a subgraph's services object) is the key `tsaOf` finds it by.
 */
export async function configureTsa(owner: object, settings: { url?: string | undefined; caFile?: string | undefined; dataDir: string }): Promise<ConfiguredTsa> {
  let configured: ConfiguredTsa;
  if (settings.url) {
    if (!settings.caFile) throw new Error('PORTAL_TSA_URL needs PORTAL_TSA_CA_FILE (the PEM of the CA its tokens verify against)');
    configured = { tsa: createRfc3161Client(settings.url, { timeoutMs: 10_000 }), caCertPem: await readFile(settings.caFile, 'utf8'), caCertPath: settings.caFile, source: settings.url, stop: async () => undefined };
  } else {
    const local = await startLocalTsa(path.join(settings.dataDir, 'tsa'));
    configured = { tsa: createRfc3161Client(local.url, { timeoutMs: 10_000 }), caCertPem: local.caCertPem, caCertPath: local.caCertPath, source: 'local', stop: () => local.stop() };
  }
  registry.set(owner, configured);
  return configured;
}

/** The TSA configured for `owner`; throws when none was (a wiring bug, not a user error). */
export function tsaOf(owner: object): ConfiguredTsa {
  const tsa = registry.get(owner);
  if (!tsa) throw new Error('no time-stamping authority configured for this process');
  return tsa;
}
