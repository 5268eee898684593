import { describe, expect, it } from 'vitest';
import { countsTowardSubject, loginOutcome, type LoginFacts } from './login-outcome.rule.ts';

const facts = (f: Partial<LoginFacts>): LoginFacts => ({ accountFound: true, passwordOk: true, addressRefused: false, blocked: false, ...f });

describe('loginOutcome', () => {
  it.each([
    ['right password, allowed address, not blocked', facts({}), 'OK'],
    ['wrong password', facts({ passwordOk: false }), 'WRONG_PASSWORD'],
    ['unknown ID (whatever else)', facts({ accountFound: false, passwordOk: false, blocked: true, addressRefused: true }), 'UNKNOWN_LOGIN_ID'],
    ['refused address, right password', facts({ addressRefused: true }), 'IP_NOT_ALLOWED'],
    ['refused address, wrong password: the same outcome', facts({ addressRefused: true, passwordOk: false }), 'IP_NOT_ALLOWED'],
    ['refused address while blocked', facts({ addressRefused: true, blocked: true }), 'IP_NOT_ALLOWED'],
    ['blocked, right password: refused', facts({ blocked: true }), 'TOO_MANY_ATTEMPTS'],
    ['blocked, wrong password: the same outcome', facts({ blocked: true, passwordOk: false }), 'TOO_MANY_ATTEMPTS'],
  ] as const)('%s → %s', (_, f, expected) => {
    expect(loginOutcome(f)).toBe(expected);
  });

  it('a failure from a refused address never counts toward the login ID\'s own counter; every other failure does', () => {
    expect(countsTowardSubject('IP_NOT_ALLOWED')).toBe(false);
    for (const o of ['UNKNOWN_LOGIN_ID', 'TOO_MANY_ATTEMPTS', 'WRONG_PASSWORD'] as const) expect(countsTowardSubject(o)).toBe(true);
  });
});
