import { bootSubgraph } from '@portal/subgraph-kit';
import { billing } from './app.ts';

await bootSubgraph(billing);
