import type pg from 'pg';
import { bulkInsert, type DemoWorld } from '@portal/demo-world';

/**
 * Fills `billing.member_ref` and `billing.account_ref` (billing's read models of tenancy's members
 * and account names, billing member-ref.read-model.ts) straight from the demo world, as `room_ref` is
 * filled: the demo members' refund statements then carry their addressee and billing names who did
 * what. Version 0: any real `member.updated` / `account.upserted` replaces these rows. The demo
 * members have no mailing address or 宛先 yet: the statement goes to the head office.
 */
export async function seedMemberRefs(client: pg.ClientBase, world: DemoWorld): Promise<void> {
  await bulkInsert(client, 'billing.member_ref', {
    member_id: 'uuid', member_number: 'varchar', name: 'text', head_office_postal_code: 'text', head_office_address: 'text', addressee_kind: 'text', phone: 'text', version: 'int8',
  }, world.members.map((m) => ({
    member_id: m.id, member_number: m.memberNumber, name: m.name, head_office_postal_code: m.headOfficePostalCode, head_office_address: m.headOfficeAddress,
    addressee_kind: 'CONTACT_PERSON', phone: m.phone, version: 0,
  })));
  await bulkInsert(client, 'billing.account_ref', { account_id: 'uuid', member_id: 'uuid', name: 'text', version: 'int8' },
    world.accounts.map((a) => ({ account_id: a.id, member_id: a.memberId, name: a.name, version: 0 })));
}
