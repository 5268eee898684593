import { fileURLToPath } from 'node:url';
import { DateScalar, DateTimeScalar, mergeResolvers, type SubgraphDefinition, RoomRef, registerRoomRefConsumer } from '@portal/subgraph-kit';
import type { Resolvers } from './generated/resolvers-types.ts';
import { createLoaders, type ContractsLoaders } from './loaders.ts';
import { FireInsurancePolicy } from './modules/fire-insurance/fire-insurance-policy.entity.ts';
import { Approver } from './modules/approver/approver.entity.ts';
import { fireInsuranceResolvers } from './modules/fire-insurance/fire-insurance.resolvers.ts';
import { approverResolvers } from './modules/approver/approver.resolvers.ts';
import { Migration20261123000000_initial } from './migrations/Migration20261123000000_initial.ts';
import { Migration20261124000000_room_ref } from './migrations/Migration20261124000000_room_ref.ts';
import { Migration20261207000000_row_level_security } from './migrations/Migration20261207000000_row_level_security.ts';

/** The contracts subgraph: the member's fire insurance policies and e-contract approvers (guarantees come later). */
export const contracts: SubgraphDefinition<ContractsLoaders> = {
  name: 'contracts',
  defaultPort: 4004,
  dir: fileURLToPath(new URL('..', import.meta.url)),
  entities: [FireInsurancePolicy, Approver, RoomRef],
  sharedTables: {
    mikro_orm_migrations: 'migration history (not granted to the run-time role)',
  },
  migrations: [
    { name: 'Migration20261123000000_initial', class: Migration20261123000000_initial },
    { name: 'Migration20261124000000_room_ref', class: Migration20261124000000_room_ref },
    { name: 'Migration20261207000000_row_level_security', class: Migration20261207000000_row_level_security },
  ],
  resolvers: mergeResolvers<Resolvers>({ Date: DateScalar, DateTime: DateTimeScalar }, fireInsuranceResolvers, approverResolvers),
  loaders: createLoaders,
  // The member's rooms (for blanket policies and the room searches) come from tenancy's room events (@portal/subgraph-kit room-read-model.ts).
  events: true,
  jobs: (deps) => registerRoomRefConsumer('contracts', deps),
};
