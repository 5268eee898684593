import { describe, expect, it } from 'vitest';
import { canonicalKey, copyJson, dedupeRepresentations, fanOutEntities } from '../src/entity-dedup.ts';

const room = (id: string) => ({ __typename: 'Room', id });

describe('entity representations deduplicated before _entities', () => {
  it('keeps one per distinct entity in first-seen order and maps every position to it', () => {
    const d = dedupeRepresentations([room('a'), room('b'), room('a'), { id: 'b', __typename: 'Room' }, room('c')]);
    expect(d).toEqual({ distinct: [room('a'), room('b'), room('c')], slotOf: [0, 1, 0, 1, 2] });
  });

  it('leaves an already distinct list alone (nothing to rewrite)', () => {
    expect(dedupeRepresentations([room('a'), room('b')])).toBeNull();
  });

  it('gives one key per entity whatever the key order, nested keys and composite keys included', () => {
    expect(canonicalKey({ __typename: 'Room', id: 'a' })).toBe(canonicalKey({ id: 'a', __typename: 'Room' }));
    const nested = { __typename: 'Lease', room: { id: 'r', __typename: 'Room' }, no: 1 };
    expect(canonicalKey(nested)).toBe(canonicalKey({ no: 1, room: { __typename: 'Room', id: 'r' }, __typename: 'Lease' }));
    expect(canonicalKey({ __typename: 'Room', id: 'a' })).not.toBe(canonicalKey({ __typename: 'Room', id: 'b' }));
    expect(canonicalKey({ __typename: 'Room', id: '1' })).not.toBe(canonicalKey({ __typename: 'Room', id: 1 }));
    expect(canonicalKey({ __typename: 'Room', id: null })).not.toBe(canonicalKey({ __typename: 'Room' }));
  });

  it('tells apart entities of different types with the same id', () => {
    const d = dedupeRepresentations([room('a'), { __typename: 'Lease', id: 'a' }, room('a')]);
    expect(d?.distinct).toHaveLength(2);
    expect(d?.slotOf).toEqual([0, 1, 0]);
  });

  it('fans answers back out to the planner\'s positions, nulls included', () => {
    const out = fanOutEntities({ data: { _entities: [{ n: 'A' }, null] } }, [0, 1, 0, 1]);
    expect(out.data).toEqual({ _entities: [{ n: 'A' }, null, { n: 'A' }, null] });
  });

  it('repeats an entity\'s error at every position that entity had, with the rest of its path', () => {
    const out = fanOutEntities(
      { data: { _entities: [{ n: 'A' }, null] }, errors: [{ message: 'no', path: ['_entities', 1, 'residents'] } as never, { message: 'other' } as never] },
      [1, 0, 1],
    );
    expect(out.errors?.map((e) => [e.message, e.path])).toEqual([
      ['no', ['_entities', 0, 'residents']],
      ['no', ['_entities', 2, 'residents']],
      ['other', undefined],
    ]);
    const out2 = fanOutEntities({ data: { _entities: [null, { n: 'B' }] }, errors: [{ message: 'no', path: ['_entities', 0] } as never] }, [0, 1, 0]);
    expect(out2.errors?.map((e) => e.path)).toEqual([['_entities', 0], ['_entities', 2]]);
  });

  it('gives every position its own object, nested objects included: a change at one position never shows at another', () => {
    const answer = { __typename: 'Media', id: 'm1', rating: 5, tags: [{ name: 'x' }], owner: { id: 'o', nested: { deep: [1, 2] } } };
    const out = fanOutEntities({ data: { _entities: [answer, null] } }, [0, 1, 0, 0]);
    const positions = (out.data as { _entities: (typeof answer | null)[] })._entities;
    expect(positions[0]).toBe(answer);
    expect(positions[2]).toEqual(answer);
    expect(positions[3]).toEqual(answer);
    const objects = (v: unknown): object[] => (v && typeof v === 'object' ? [v, ...Object.values(v).flatMap(objects)] : []);
    const first = new Set(objects(positions[0]));
    for (const i of [2, 3]) for (const o of objects(positions[i])) expect(first.has(o), `position ${i} shares an object with position 0`).toBe(false);
    positions[2]!.__typename = 'Book';
    positions[3]!.owner.nested.deep.push(3);
    expect(positions[0]).toMatchObject({ __typename: 'Media', owner: { nested: { deep: [1, 2] } } });
  });

  it('copies a __proto__ key as data, never as a prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "id": "a"}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'id']);
  });
});
