export { billing } from './app.ts';
