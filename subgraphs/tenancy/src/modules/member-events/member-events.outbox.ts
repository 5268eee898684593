import { ACCOUNT_EVENTS, MEMBER_EVENTS, accountUpserted, memberUpdated } from '@portal/events';
import type { SqlExecutor } from '@portal/platform';

/**
 * Writes `member.updated` / `account.upserted` into `tenancy.event_outbox` through the caller's
 * transaction (`fromMikroOrm(em)` inside `em.transactional`), so the event commits or rolls back
 * with the change; the room events' relay publishes them (`version` = the row's `seq`). The payload
 * is read from the tables as they are in that transaction.
 *
 * Ordering: the member's (accounts') rows are locked before the sequence is drawn, so for one
 * member (account) `seq` grows in commit order and the consumers' version check holds.
 */
export async function recordMemberUpdated(exec: SqlExecutor, memberId: string): Promise<number> {
  await exec.query('SELECT id FROM tenancy.member WHERE id = $1 FOR UPDATE', [memberId]);
  const { rows } = await exec.query(
    `INSERT INTO tenancy.event_outbox (event, payload)
     SELECT '${MEMBER_EVENTS.updated}', jsonb_build_object(
              'v', ${memberUpdated.version}, 'memberId', m.id, 'memberNumber', m.member_number, 'name', m.name,
              'headOfficePostalCode', m.head_office_postal_code, 'headOfficeAddress', m.head_office_address,
              'mailingPostalCode', m.mailing_postal_code, 'mailingCity', m.mailing_city, 'mailingStreet', m.mailing_street,
              'mailingBuilding', m.mailing_building, 'addresseeKind', m.addressee_kind, 'addresseeDepartment', m.addressee_department,
              'addresseeContactName', m.addressee_contact_name, 'addresseeContactKana', m.addressee_contact_kana,
              'phone', m.phone, 'fax', m.fax)
       FROM tenancy.member m WHERE m.id = $1
     RETURNING seq`,
    [memberId],
  );
  return rows.length;
}

/** `account.upserted` for accounts created or renamed in this transaction (two statements, whatever the number). */
export async function recordAccountUpserts(exec: SqlExecutor, accountIds: readonly string[]): Promise<number> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return 0;
  const list = JSON.stringify(ids);
  await exec.query(`SELECT id FROM tenancy.account WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid) ORDER BY id FOR UPDATE`, [list]);
  const { rows } = await exec.query(
    `INSERT INTO tenancy.event_outbox (event, payload)
     SELECT '${ACCOUNT_EVENTS.upserted}', jsonb_build_object('v', ${accountUpserted.version}, 'accountId', a.id, 'memberId', a.member_id, 'name', a.name)
       FROM tenancy.account a
      WHERE a.id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)
      ORDER BY a.id
     RETURNING seq`,
    [list],
  );
  return rows.length;
}
