import { bootSubgraph } from '@portal/subgraph-kit';
import { stopOnSignal } from '@portal/platform';
import { billing } from './app.ts';

const running = await bootSubgraph(billing);
stopOnSignal(running.stop, console, running.stopGraceMs);
