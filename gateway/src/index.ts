export { startGateway, type RunningGateway } from './gateway.ts';
