import type { IResident } from './resident.entity.ts';

export const residentResolvers = {
  Resident: {
    room: (resident: IResident) => ({ __typename: 'Room', id: resident.roomId }),
  },
};
