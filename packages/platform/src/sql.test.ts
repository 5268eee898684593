import { describe, expect, it } from 'vitest';
import { assertSqlIdentifier, toQuestionMarkPlaceholders } from './sql.ts';

describe('toQuestionMarkPlaceholders', () => {
  it('rewrites ordered $n placeholders for knex/MikroORM, leaving casts alone', () => {
    expect(toQuestionMarkPlaceholders('INSERT INTO s.t (a, b) VALUES ($1::jsonb, $2) RETURNING id')).toBe(
      'INSERT INTO s.t (a, b) VALUES (?::jsonb, ?) RETURNING id',
    );
    expect(toQuestionMarkPlaceholders('SELECT 1')).toBe('SELECT 1');
  });
  it.each([
    ['SELECT $2, $1', /in order/],
    ['SELECT $1, $1', /in order/],
    ["SELECT '{}'::jsonb ? 'a', $1", /already contains/],
  ])('refuses %s', (sql, message) => {
    expect(() => toQuestionMarkPlaceholders(sql)).toThrow(message);
  });
});

describe('assertSqlIdentifier', () => {
  it.each(['billing', 'mail_1', '_x'])('accepts %s', (name) => {
    expect(assertSqlIdentifier(name)).toBe(name);
  });
  it.each(['Billing', '1abc', 'a-b', 'a.b', 'x; drop', '', 'a'.repeat(64)])('rejects %j', (name) => {
    expect(() => assertSqlIdentifier(name)).toThrow(/Invalid SQL/);
  });
});
