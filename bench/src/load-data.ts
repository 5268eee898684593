/** `npx tsx bench/src/load-data.ts`: only creates/loads the bench database (run.ts does this too). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchServer, ensureBenchDatabase } from './data.ts';
import { DATA } from './config.ts';

const server = await benchServer(path.resolve(fileURLToPath(import.meta.url), '../../.work'));
try {
  await ensureBenchDatabase(server.adminUrl, DATA.database, DATA.options);
} finally {
  await server.stop();
}
