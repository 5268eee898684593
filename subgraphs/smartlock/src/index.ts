export { smartlock } from './app.ts';
