import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Serialises changes to one member's accounts, allow-list and member info: taken first in the
 * transaction (SELECT … FOR UPDATE on the member row), so two administrators acting at once
 * cannot, say, demote each other and leave no administrator, or both pass a lock-out check.
 */
export async function lockMember(em: EntityManager, memberId: string): Promise<void> {
  await em.execute('select id from tenancy.member where id = ? for update', [memberId]);
}
