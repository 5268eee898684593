import { bootSubgraph } from '@portal/subgraph-kit';
import { contracts } from './app.ts';

await bootSubgraph(contracts);
