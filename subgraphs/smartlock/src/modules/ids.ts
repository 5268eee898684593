const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id behaves like an unknown one (no rows), never like a database error. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
