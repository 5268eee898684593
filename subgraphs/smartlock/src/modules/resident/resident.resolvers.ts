import type { Resolvers } from '../../generated/resolvers-types.ts';

export const residentResolvers: Resolvers = {
  Resident: {
    room: (resident) => ({ __typename: 'Room', id: resident.roomId }),
  },
};
