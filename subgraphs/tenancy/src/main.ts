import { bootSubgraph } from '@portal/subgraph-kit';
import { tenancy } from './app.ts';

await bootSubgraph(tenancy);
