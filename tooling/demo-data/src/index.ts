export * from '@portal/demo-world';
export * from './load.ts';
