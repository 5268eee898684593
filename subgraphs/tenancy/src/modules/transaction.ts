import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserError } from '@portal/subgraph-kit';

export type Refused = { ok: false; userErrors: UserError[] };

class Refusal extends Error {
  constructor(readonly result: Refused) {
    super('refused');
  }
}

/**
 * Runs a change in one transaction where a refusal (`{ ok: false, userErrors }`) ROLLS BACK
 * everything done so far, audit records included: `em.transactional` alone would commit (and
 * flush pending entities) when the callback returns normally. A unique-constraint violation that
 * a concurrent request caused becomes the refusal `onUniqueViolation` gives, when given.
 */
export async function transactionally<T extends { ok: true }>(
  em: EntityManager,
  work: (em: EntityManager) => Promise<T | Refused>,
  onUniqueViolation?: () => Refused,
): Promise<T | Refused> {
  try {
    return await em.transactional(async (tx) => {
      const result = await work(tx);
      if (!result.ok) throw new Refusal(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    if (onUniqueViolation && error instanceof UniqueConstraintViolationException) return onUniqueViolation();
    throw error;
  }
}
