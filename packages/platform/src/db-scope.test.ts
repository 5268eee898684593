import { describe, expect, it } from 'vitest';
import { currentDbScope, dbScopeStatement, runAsMember, runAsSystem, runWithoutScope } from './db-scope.ts';

const A = '11111111-1111-4111-8111-111111111111';

describe('dbScopeStatement', () => {
  it('writes both settings every time, so nothing of a previous reservation survives', () => {
    expect(dbScopeStatement({ kind: 'member', memberId: A }).params).toEqual([A, '']);
    expect(dbScopeStatement({ kind: 'system', reason: 'job' }).params).toEqual(['', 'system']);
    expect(dbScopeStatement(undefined).params).toEqual(['', '']);
    expect(dbScopeStatement(undefined).sql).toMatch(/set_config\('portal\.member_id', \$1, false\), set_config\('portal\.scope', \$2, false\)/);
  });
});

describe('the scope follows the call chain', () => {
  it('across awaits and timers, and the inner scope wins until it returns', async () => {
    expect(currentDbScope()).toBeUndefined();
    await runAsMember(A, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentDbScope()).toEqual({ kind: 'member', memberId: A });
      await runAsSystem('test', async () => {
        await Promise.resolve();
        expect(currentDbScope()).toEqual({ kind: 'system', reason: 'test' });
      });
      expect(runWithoutScope(() => currentDbScope())).toBeUndefined();
      expect(currentDbScope()).toEqual({ kind: 'member', memberId: A });
    });
    expect(currentDbScope()).toBeUndefined();
  });
});
