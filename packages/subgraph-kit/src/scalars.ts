import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value)) throw new GraphQLError('Date must be YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw new GraphQLError(`Not a calendar date: ${value}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return value;
}

/** A calendar date in Asia/Tokyo as `YYYY-MM-DD`; the ORM maps `date` columns to the same strings. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  // Outgoing dates come from `date` columns (always real calendar dates): the shape check is
  // enough, and building a Date for each of an invoice's thousands of dates is not free.
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' && DATE.test(v) ? v : parseDate(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

function parseDateTime(value: unknown): Date {
  const d = typeof value === 'string' ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime()) || !/T/.test(value as string)) throw new GraphQLError('DateTime must be ISO 8601 with time and offset', { extensions: { code: 'BAD_USER_INPUT' } });
  return d;
}

/** An instant, serialised as ISO 8601 UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : parseDateTime(v).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});
