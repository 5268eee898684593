export { contracts } from './app.ts';
