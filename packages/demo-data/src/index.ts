export * from './world.ts';
export * from './load.ts';
export * from './activity.ts';
