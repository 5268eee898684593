import { GraphQLError } from 'graphql';

/** Page size bounds shared by every list of this subgraph. */
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

/** Validates `first`; a wrong value is the caller's fault (BAD_USER_INPUT), not a system fault. */
export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  }
  return n;
}

/** Opaque keyset cursors: a base64url JSON tuple of strings. */
export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes a cursor of `arity` strings; a malformed one is BAD_USER_INPUT. */
export function decodeCursor(cursor: string | null | undefined, arity: number): string[] | null {
  if (!cursor) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  if (!Array.isArray(values) || values.length !== arity || !values.every((v) => typeof v === 'string')) {
    throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  }
  return values as string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A malformed id behaves like an unknown one, never like a database error. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
