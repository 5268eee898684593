export * from './world.ts';
export * from './load.ts';
