/** `npx tsx bench/src/load-data.ts`: only creates/loads the bench database (run.ts does this too). */
import { ensureBenchDatabase } from './data.ts';
import { DATA } from './config.ts';

await ensureBenchDatabase(DATA.database, DATA.options);
