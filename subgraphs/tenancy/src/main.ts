import { bootSubgraph } from '@portal/subgraph-kit';
import { stopOnSignal } from '@portal/platform';
import { tenancy } from './app.ts';

const running = await bootSubgraph(tenancy);
stopOnSignal(running.stop, console, running.stopGraceMs);
