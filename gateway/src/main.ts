import { startGateway } from './gateway.ts';

await startGateway();
