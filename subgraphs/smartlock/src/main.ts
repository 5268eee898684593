import { bootSubgraph } from '@portal/subgraph-kit';
import { stopOnSignal } from '@portal/platform';
import { smartlock } from './app.ts';

const running = await bootSubgraph(smartlock);
stopOnSignal(running.stop, console, running.stopGraceMs);
