/**
 * `npm run seed -- [--members 500] [--rooms 200000] [--months 12] [--seed N]`: migrates every
 * subgraph's schema on DATABASE_URL and loads the demo world, in scale mode when asked (the same
 * deterministic generator as `npm start`; the two named demo members are always included).
 */
import { parseArgs } from 'node:util';
import { migrate } from '@portal/subgraph-kit';
import { tenancy } from '@portal/tenancy';
import { billing } from '@portal/billing';
import { smartlock } from '@portal/smartlock';
import { contracts } from '@portal/contracts';
import { defaultDemoOptions, loadDemoData } from '@portal/demo-data';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '0' },
    rooms: { type: 'string', default: '0' },
    months: { type: 'string', default: '12' },
    seed: { type: 'string' },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL must name the database to load into.');
  process.exit(2);
}
const started = Date.now();
for (const def of [tenancy, billing, smartlock, contracts]) {
  await migrate(databaseUrl, { schema: def.name, databaseUrl, entities: def.entities, migrations: def.migrations });
}
const options = { ...defaultDemoOptions(), extraMembers: Number(values.members), extraRooms: Number(values.rooms), invoiceMonths: Number(values.months) };
if (values.seed) options.seed = Number(values.seed);
const result = await loadDemoData(databaseUrl, options);
console.log(`${result.created ? 'Loaded' : 'Already present'}: ${result.summary} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
