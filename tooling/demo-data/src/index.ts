export * from '@portal/demo-world';
export * from './load.ts';
export * from './activity.ts';
