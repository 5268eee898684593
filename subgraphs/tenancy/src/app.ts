import { fileURLToPath } from 'node:url';
import { DateScalar, DateTimeScalar, mergeResolvers, type SubgraphDefinition } from '@portal/subgraph-kit';
import { createLoaders, type TenancyLoaders } from './loaders.ts';
import { Member } from './modules/member/member.entity.ts';
import { Account } from './modules/identity/account.entity.ts';
import { Session } from './modules/identity/session.entity.ts';
import { IpAllowEntry } from './modules/identity/ip-allow-entry.entity.ts';
import { Lease, Property, Room } from './modules/room/room.entity.ts';
import { identityResolvers } from './modules/identity/identity.resolvers.ts';
import { roomResolvers } from './modules/room/room.resolvers.ts';
import { OperatorAccount } from './modules/operator/operator-account.entity.ts';
import { operatorResolvers } from './modules/operator/operator.resolvers.ts';
import { Migration20261122010000_operators } from './migrations/Migration20261122010000_operators.ts';
import { Migration20261122000000_initial } from './migrations/Migration20261122000000_initial.ts';

/** The tenancy subgraph: members, accounts and sessions, rooms and leases (cancellation comes later). */
export const tenancy: SubgraphDefinition<TenancyLoaders> = {
  name: 'tenancy',
  defaultPort: 4002,
  dir: fileURLToPath(new URL('..', import.meta.url)),
  entities: [Member, Account, Session, IpAllowEntry, Property, Room, Lease, OperatorAccount],
  migrations: [
    { name: 'Migration20261122000000_initial', class: Migration20261122000000_initial },
    { name: 'Migration20261122010000_operators', class: Migration20261122010000_operators },
  ],
  mail: true,
  resolvers: mergeResolvers({ Date: DateScalar, DateTime: DateTimeScalar }, identityResolvers, roomResolvers, operatorResolvers) as SubgraphDefinition<TenancyLoaders>['resolvers'],
  loaders: createLoaders,
};
