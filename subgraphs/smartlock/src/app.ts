import { fileURLToPath } from 'node:url';
import { DateScalar, DateTimeScalar, mergeResolvers, type SubgraphDefinition, RoomRef, registerRoomRefConsumer } from '@portal/subgraph-kit';
import type { Resolvers } from './generated/resolvers-types.ts';
import { createLoaders, type SmartlockLoaders } from './loaders.ts';
import { Resident } from './modules/resident/resident.entity.ts';
import { RoomRecipient, SmartlockRecipient } from './modules/recipient/recipient.entity.ts';
import { roomResolvers } from './modules/room/room.resolvers.ts';
import { residentResolvers } from './modules/resident/resident.resolvers.ts';
import { recipientResolvers } from './modules/recipient/recipient.resolvers.ts';
import { Migration20261123000000_initial } from './migrations/Migration20261123000000_initial.ts';
import { Migration20261124000000_room_ref } from './migrations/Migration20261124000000_room_ref.ts';
import { Migration20261207000000_row_level_security } from './migrations/Migration20261207000000_row_level_security.ts';
import { residentSearchResolvers } from './modules/resident-search/resident-search.resolvers.ts';

/** The smartlock subgraph: residents of rooms and smartlock recipients (registration requests, key events and CSV come later). */
export const smartlock: SubgraphDefinition<SmartlockLoaders> = {
  name: 'smartlock',
  defaultPort: 4003,
  dir: fileURLToPath(new URL('..', import.meta.url)),
  entities: [Resident, SmartlockRecipient, RoomRecipient, RoomRef],
  sharedTables: {
    mikro_orm_migrations: 'migration history (not granted to the run-time role)',
  },
  migrations: [
    { name: 'Migration20261123000000_initial', class: Migration20261123000000_initial },
    { name: 'Migration20261124000000_room_ref', class: Migration20261124000000_room_ref },
    { name: 'Migration20261207000000_row_level_security', class: Migration20261207000000_row_level_security },
  ],
  resolvers: mergeResolvers<Resolvers>({ Date: DateScalar, DateTime: DateTimeScalar }, roomResolvers, residentResolvers, recipientResolvers, residentSearchResolvers),
  loaders: createLoaders,
  // Room attributes for the resident search come from tenancy's room events (@portal/subgraph-kit room-read-model.ts).
  events: true,
  jobs: (deps) => registerRoomRefConsumer('smartlock', deps),
};
