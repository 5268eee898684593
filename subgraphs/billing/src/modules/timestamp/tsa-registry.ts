import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createRfc3161Client, startLocalTsa, type TimeStampAuthority } from '@portal/documents';
import type { PlatformServices } from '@portal/subgraph-kit';

/** The time-stamping authority a billing process uses, with the CA certificate its tokens verify against. */
export interface ConfiguredTsa {
  /** For command lines (`openssl ts -verify -CAfile`), when the CA is a file. */
  caCertPath?: string;
  tsa: TimeStampAuthority;
  caCertPem: string;
  /** 'local' in development and tests (openssl on this machine), else the configured URL. */
  source: string;
  stop(): Promise<void>;
}

const registry = new WeakMap<PlatformServices, ConfiguredTsa>();

/**
 * The deployment's TSA (PORTAL_TSA_URL + PORTAL_TSA_CA_FILE), or, when none is configured (npm start,
 * tests), a local RFC 3161 TSA on openssl with its keys under `<data dir>/tsa`: real tokens, not fakes.
 */
export async function configureTsa(services: PlatformServices): Promise<ConfiguredTsa> {
  const url = services.settings.PORTAL_TSA_URL as string | undefined;
  const caFile = services.settings.PORTAL_TSA_CA_FILE as string | undefined;
  let configured: ConfiguredTsa;
  if (url) {
    if (!caFile) throw new Error('PORTAL_TSA_URL needs PORTAL_TSA_CA_FILE (the PEM of the CA its tokens verify against)');
    configured = { tsa: createRfc3161Client(url, { timeoutMs: 10_000 }), caCertPem: await readFile(caFile, 'utf8'), caCertPath: caFile, source: url, stop: async () => undefined };
  } else {
    const local = await startLocalTsa(path.join(services.dataDir, 'tsa'));
    configured = { tsa: createRfc3161Client(local.url, { timeoutMs: 10_000 }), caCertPem: local.caCertPem, caCertPath: local.caCertPath, source: 'local', stop: () => local.stop() };
  }
  registry.set(services, configured);
  return configured;
}

export function tsaOf(services: PlatformServices): ConfiguredTsa {
  const tsa = registry.get(services);
  if (!tsa) throw new Error('no time-stamping authority configured for this process');
  return tsa;
}
