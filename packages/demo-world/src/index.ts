export * from './world.ts';
export * from './seeder.ts';
export { bulkInsert, stableUuid } from './bulk.ts';
export { seedRoomRefs } from './room-ref.ts';
export * from './cancellations.ts';
export { NAME_READINGS, toHalfWidthKana } from './names.ts';
