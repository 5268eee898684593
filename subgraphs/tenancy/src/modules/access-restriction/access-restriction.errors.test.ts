import { describe, expect, it } from 'vitest';
import { ACCESS_RESTRICTION_ERRORS } from './access-restriction.errors.ts';

describe('access-restriction messages are written for people', () => {
  it.each(Object.entries(ACCESS_RESTRICTION_ERRORS))('%s names no API identifier in either language', (_code, messages) => {
    for (const text of [messages.en, messages.ja]) {
      // camelCase input names (confirmLockout) and GraphQL literals (`: true`) mean nothing to a user.
      expect(text).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b/);
      expect(text).not.toMatch(/:\s*(true|false)\b/);
    }
  });

  it('the lock-out message still says what to do: register the current address or confirm', () => {
    expect(ACCESS_RESTRICTION_ERRORS.LOCKOUT_NOT_CONFIRMED.ja).toContain('現在のIPアドレスも登録する');
    expect(ACCESS_RESTRICTION_ERRORS.LOCKOUT_NOT_CONFIRMED.ja).toContain('ログインできなくなることを承知のうえで');
    expect(ACCESS_RESTRICTION_ERRORS.LOCKOUT_NOT_CONFIRMED.en).toContain('accept being locked out');
  });
});
