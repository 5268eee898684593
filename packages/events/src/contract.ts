import { z } from 'zod';

/**
 * One event one subgraph publishes for others: its name on the bus, who publishes it, the version
 * of its payload's shape and the zod schema every consumer parses it with. A change to the shape
 * gets a new version, and a consumer refuses one it does not know rather than guessing.
 */
export interface EventContract<Name extends string = string, Schema extends z.ZodType = z.ZodType, Version extends number = number> {
  readonly name: Name;
  readonly version: Version;
  /** The subgraph whose outbox writes it (documentation, and the architecture test's inventory). */
  readonly publisher: 'tenancy' | 'billing' | 'smartlock' | 'contracts';
  readonly schema: Schema;
}

export function defineEvent<const Name extends string, Schema extends z.ZodType, const Version extends number>(
  contract: EventContract<Name, Schema, Version>,
): EventContract<Name, Schema, Version> {
  return Object.freeze(contract);
}

/**
 * The payload's contract version, `v`. Room and audit events were first written without it: an
 * absent `v` is version 1 (the only shape there was), so events already in an outbox or a queue
 * still parse. Member and account events always carried it and still must.
 */
export const contractVersion = <V extends number>(v: V) => z.literal(v).default(v);

/** The outbox sequence (`version`): text when it comes from jsonb or bigint, so coerced. */
export const outboxSequence = z.coerce.number().int().positive();
