import { describe, expect, it } from 'vitest';
import { effectivePolicyForRoom, isListedByDefault, policyStatusOn, type RoomPolicy } from './policy-status.rule.ts';

const policy = (over: Partial<RoomPolicy> = {}): RoomPolicy => ({
  id: 'p1',
  roomId: null,
  coverageKind: 'BLANKET',
  startDate: '2025-06-01',
  endDate: '2027-05-31',
  registrationKind: 'NEW',
  ...over,
});

describe('policyStatusOn', () => {
  it.each([
    ['the day before the start', '2025-05-31', 'UPCOMING'],
    ['the start date', '2025-06-01', 'ACTIVE'],
    ['the end date (still covered)', '2027-05-31', 'ACTIVE'],
    ['the day after the end date (removed)', '2027-06-01', 'EXPIRED'],
    ['across a year end', '2028-01-01', 'EXPIRED'],
  ])('on %s (%s) is %s', (_label, today, expected) => {
    expect(policyStatusOn(policy(), today)).toBe(expected);
  });

  it.each(['2025-05-31', '2026-01-01', '2027-05-31', '2027-06-01'])('a mid-term cancelled policy is CANCELLED on %s', (today) => {
    expect(policyStatusOn(policy({ registrationKind: 'CANCELLED_MIDTERM' }), today)).toBe('CANCELLED');
  });

  it.each([
    ['RENEWAL', '2026-01-01', true],
    ['MODIFIED', '2027-05-31', true],
    ['NEW', '2025-05-01', true],
    ['NEW', '2027-06-01', false],
    ['CANCELLED_MIDTERM', '2026-01-01', false],
  ] as const)('a %s policy is listed by default on %s: %s', (registrationKind, today, listed) => {
    expect(isListedByDefault(policy({ registrationKind }), today)).toBe(listed);
  });
});

describe('effectivePolicyForRoom', () => {
  const blanket = policy({ id: 'blanket' });
  const perRoom = policy({ id: 'per-room', coverageKind: 'PER_ROOM', roomId: 'room-1', startDate: '2026-01-01', endDate: '2026-12-31' });

  it.each([
    ['no policy at all', [], '2026-06-01', null],
    ['only a blanket policy', [blanket], '2026-06-01', 'blanket'],
    ['a per-room policy wins over the blanket one', [blanket, perRoom], '2026-06-01', 'per-room'],
    ['the per-room policy wins on its end date', [perRoom, blanket], '2026-12-31', 'per-room'],
    ['the blanket one covers again the day after', [blanket, perRoom], '2027-01-01', 'blanket'],
    ['the blanket one covers before the per-room one starts', [blanket, perRoom], '2025-12-31', 'blanket'],
    ['nothing covers after every end date', [blanket, perRoom], '2027-06-01', null],
    ['another room\'s policy does not count', [policy({ id: 'other', coverageKind: 'PER_ROOM', roomId: 'room-2' })], '2026-06-01', null],
    ['a cancelled per-room policy yields to the blanket', [blanket, { ...perRoom, registrationKind: 'CANCELLED_MIDTERM' as const }], '2026-06-01', 'blanket'],
  ] as const)('%s', (_label, policies, today, expected) => {
    expect(effectivePolicyForRoom('room-1', policies, today)?.id ?? null).toBe(expected);
  });

  it('picks the renewal over the policy it overlaps, whatever the row order', () => {
    const old = policy({ id: 'a-old', coverageKind: 'PER_ROOM', roomId: 'room-1', startDate: '2024-06-01', endDate: '2026-05-31' });
    const renewal = policy({ id: 'b-new', coverageKind: 'PER_ROOM', roomId: 'room-1', startDate: '2026-05-01', endDate: '2028-04-30', registrationKind: 'RENEWAL' });
    expect(effectivePolicyForRoom('room-1', [old, renewal], '2026-05-15')?.id).toBe('b-new');
    expect(effectivePolicyForRoom('room-1', [renewal, old], '2026-05-15')?.id).toBe('b-new');
    expect(effectivePolicyForRoom('room-1', [renewal, old], '2026-04-30')?.id).toBe('a-old');
  });
});
