import { configureTsa as configure, type ConfiguredTsa } from '@portal/documents';
import type { PlatformServices } from '@portal/subgraph-kit';

export { tsaOf, type ConfiguredTsa } from '@portal/documents';

/** Billing's TSA from its settings (PORTAL_TSA_URL + PORTAL_TSA_CA_FILE; unset: the local openssl TSA). */
export function configureTsa(services: PlatformServices): Promise<ConfiguredTsa> {
  return configure(services, { url: services.settings.PORTAL_TSA_URL as string | undefined, caFile: services.settings.PORTAL_TSA_CA_FILE as string | undefined, dataDir: services.dataDir });
}
