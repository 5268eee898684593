import { GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { existing, mergeResolvers } from './resolvers.ts';

describe('mergeResolvers', () => {
  it("joins the modules' fields of one type and keeps scalars as they are", () => {
    const Date = new GraphQLScalarType({ name: 'Date' });
    const room = () => 'room';
    const lease = () => 'lease';
    const merged = mergeResolvers<Record<string, unknown>>({ Date }, { Room: { room } }, { Room: { lease } });
    expect(merged).toEqual({ Date, Room: { room, lease } });
    expect(merged['Date']).toBe(Date);
  });
});

describe('existing', () => {
  it('returns a present value, falsy ones included', () => {
    expect(existing(0, 'count')).toBe(0);
    expect(existing('', 'name')).toBe('');
    expect(existing(false, 'flag')).toBe(false);
  });

  it('fails with the name of what is missing', () => {
    expect(() => existing(null, 'room r1 of cancellation c1')).toThrow('room r1 of cancellation c1 is missing');
    expect(() => existing(undefined, 'member of account a1')).toThrow('member of account a1 is missing');
  });
});
