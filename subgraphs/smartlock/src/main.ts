import { bootSubgraph } from '@portal/subgraph-kit';
import { smartlock } from './app.ts';

await bootSubgraph(smartlock);
