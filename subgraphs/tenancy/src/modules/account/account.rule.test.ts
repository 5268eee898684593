import { describe, expect, it } from 'vitest';
import { accountChangeViolation, isValidLoginId, mustBeAdministrator, normalizeLoginId } from './account.rule.ts';

const admin = (id: string) => ({ id, isAdmin: true });
const clerk = (id: string) => ({ id, isAdmin: false });

describe('accountChangeViolation', () => {
  it.each([
    ['deleting the only account (an administrator)', [admin('a')], { kind: 'delete', id: 'a' }, 'LAST_ACCOUNT'],
    ['deleting the only account (not an administrator)', [clerk('a')], { kind: 'delete', id: 'a' }, 'LAST_ACCOUNT'],
    ['deleting the only administrator of two accounts', [admin('a'), clerk('b')], { kind: 'delete', id: 'a' }, 'LAST_ADMINISTRATOR'],
    ['deleting one of two administrators', [admin('a'), admin('b')], { kind: 'delete', id: 'a' }, null],
    ['deleting a clerk of two accounts', [admin('a'), clerk('b')], { kind: 'delete', id: 'b' }, null],
    ['demoting the only administrator', [admin('a'), clerk('b')], { kind: 'set-admin', id: 'a', isAdmin: false }, 'LAST_ADMINISTRATOR'],
    ['demoting the only account', [admin('a')], { kind: 'set-admin', id: 'a', isAdmin: false }, 'LAST_ADMINISTRATOR'],
    ['demoting one of two administrators', [admin('a'), admin('b'), clerk('c')], { kind: 'set-admin', id: 'b', isAdmin: false }, null],
    ['promoting a clerk', [admin('a'), clerk('b')], { kind: 'set-admin', id: 'b', isAdmin: true }, null],
    ['a member with no administrator can still be repaired', [clerk('a'), clerk('b')], { kind: 'set-admin', id: 'b', isAdmin: false }, null],
    ['…and can delete one of its accounts', [clerk('a'), clerk('b')], { kind: 'delete', id: 'b' }, null],
  ] as const)('%s', (_name, accounts, change, expected) => {
    expect(accountChangeViolation(accounts, change)).toBe(expected);
  });
});

describe('mustBeAdministrator', () => {
  it('makes the first account the administrator and leaves the second to the request', () => {
    expect(mustBeAdministrator(0)).toBe(true);
    expect(mustBeAdministrator(1)).toBe(false);
  });
});

describe('login IDs', () => {
  it.each([
    ['ab', false],
    ['abc', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['00000@leopalace.ne.jp', true],
    ['-abc', false],
    ['.abc', false],
    ['tanaka taro', false],
    ['田中', false],
    ['ok+tag_1.x-y', true],
  ])('%s → %s', (raw, valid) => {
    expect(isValidLoginId(normalizeLoginId(raw))).toBe(valid);
  });

  it('folds full-width and case before checking', () => {
    expect(normalizeLoginId('  ＴＡＮＡＫＡ＠Example.jp ')).toBe('tanaka@example.jp');
  });
});
