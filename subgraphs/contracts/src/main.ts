import { bootSubgraph } from '@portal/subgraph-kit';
import { stopOnSignal } from '@portal/platform';
import { contracts } from './app.ts';

const running = await bootSubgraph(contracts);
stopOnSignal(running.stop, console, running.stopGraceMs);
