import { describe, expect, it } from 'vitest';
import { ADMIN_PERMISSIONS, KNOWN_SCOPES, MEMBER_SCOPES, isKnownScope, scopesFor, type Permissions } from '../src/scopes.ts';

const NOTHING: Permissions = { billing: 'VIEW', cancellation: 'NONE', residents: 'NONE', smartlock: 'NONE', fireInsurance: 'NONE', admin: false };

describe('scopesFor', () => {
  const cases: [string, Partial<Permissions>, string[]][] = [
    ['lowest levels: billing VIEW is the floor', {}, ['billing:view']],
    ['billing UPDATE implies VIEW', { billing: 'UPDATE' }, ['billing:view', 'billing:update']],
    ['cancellation VIEW', { cancellation: 'VIEW' }, ['billing:view', 'cancellation:view']],
    ['cancellation REQUEST implies VIEW', { cancellation: 'REQUEST' }, ['billing:view', 'cancellation:view', 'cancellation:request']],
    ['residents USE', { residents: 'USE' }, ['billing:view', 'residents:use']],
    ['smartlock VIEW', { smartlock: 'VIEW' }, ['billing:view', 'smartlock:view']],
    ['smartlock USE implies VIEW', { smartlock: 'USE' }, ['billing:view', 'smartlock:view', 'smartlock:use']],
    ['fire insurance VIEW', { fireInsurance: 'VIEW' }, ['billing:view', 'fire-insurance:view']],
    ['fire insurance USE implies VIEW', { fireInsurance: 'USE' }, ['billing:view', 'fire-insurance:view', 'fire-insurance:use']],
    [
      'every area at its highest, not admin: no access restriction, no admin',
      { billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' },
      ['billing:view', 'billing:update', 'cancellation:view', 'cancellation:request', 'residents:use', 'smartlock:view', 'smartlock:use', 'fire-insurance:view', 'fire-insurance:use'],
    ],
  ];
  it.each(cases)('%s', (_name, permissions, expected) => {
    expect([...scopesFor({ ...NOTHING, ...permissions })].sort()).toEqual([...expected].sort());
  });

  it('an administrator gets every member scope even when the stored levels are the lowest', () => {
    const scopes = scopesFor({ ...NOTHING, admin: true });
    expect([...scopes].sort()).toEqual([...MEMBER_SCOPES].sort());
    expect(scopes.has('access-restriction:manage')).toBe(true);
    expect(scopes.has('admin')).toBe(true);
  });

  it('ADMIN_PERMISSIONS grant exactly the member scopes', () => {
    expect([...scopesFor(ADMIN_PERMISSIONS)].sort()).toEqual([...MEMBER_SCOPES].sort());
  });

  it('no member permission ever yields the operator scope', () => {
    expect(scopesFor(ADMIN_PERMISSIONS).has('operator' as never)).toBe(false);
    expect(KNOWN_SCOPES).toContain('operator');
  });

  it('does not mutate the permissions it is given', () => {
    const p: Permissions = { ...NOTHING, admin: true };
    scopesFor(p);
    expect(p).toEqual({ ...NOTHING, admin: true });
  });
});

describe('isKnownScope', () => {
  it.each([
    ['billing:view', true],
    ['operator', true],
    ['admin', true],
    ['billing:delete', false],
    ['', false],
    ['ADMIN', false],
  ])('%s -> %s', (scope, known) => {
    expect(isKnownScope(scope)).toBe(known);
  });
});
