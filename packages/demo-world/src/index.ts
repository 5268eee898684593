export * from './world.ts';
export * from './seeder.ts';
export { bulkInsert } from './bulk.ts';
export { seedRoomRefs } from './room-ref.ts';
