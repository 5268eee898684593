import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { member } from './seed.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'contracts'] });
});
afterAll(async () => {
  await stack?.stop();
});

describe('rooms when the contracts subgraph is down', () => {
  it('still returns tenancy\'s room data, with null insurance fields and an error for the missing part', async () => {
    const m = await member(stack).build();
    const rooms = await m.rooms(2);
    await m.blanketPolicy();
    const viewer = await m.account({ fireInsurance: 'VIEW' });
    const query = '{ rooms { edges { node { id apNo roomNumber fireInsurance { policyNumber } hasFireInsurance } } } }';
    type Data = { rooms: { edges: { node: { id: string; apNo: string; fireInsurance: unknown; hasFireInsurance: boolean | null } }[] } };

    const up = await stack.gql<Data>(query, {}, { token: viewer.token });
    expect(up.body.errors).toBeUndefined();
    expect(up.body.data?.rooms.edges.every((e) => e.node.hasFireInsurance === true)).toBe(true);

    await stack.stopSubgraph('contracts');
    const down = await stack.gql<Data>(query, {}, { token: viewer.token });
    expect(down.body.errors?.length).toBeGreaterThan(0);
    expect(down.body.data?.rooms.edges.map((e) => e.node.id).sort()).toEqual(rooms.map((r) => r.id).sort());
    for (const { node } of down.body.data!.rooms.edges) {
      expect(node.apNo).toEqual(expect.any(String));
      expect(node.fireInsurance).toBeNull();
      expect(node.hasFireInsurance).toBeNull();
    }
  });
});
