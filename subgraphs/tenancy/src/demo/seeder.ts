import { bulkInsert, DEMO_PASSWORD, type DemoSeeder } from '@portal/demo-world';
import { hashPassword } from '../modules/identity/password.ts';

/** Writes members, accounts, properties, rooms and leases into the tenancy schema only; every demo login (and the operator) has DEMO_PASSWORD. */
export const seedDemo: DemoSeeder = async (client, world) => {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await bulkInsert(client, 'tenancy.member', { id: 'uuid', member_number: 'varchar', name: 'text', head_office_postal_code: 'varchar', head_office_address: 'text', phone: 'varchar' },
    world.members.map((m) => ({ id: m.id, member_number: m.memberNumber, name: m.name, head_office_postal_code: m.headOfficePostalCode, head_office_address: m.headOfficeAddress, phone: m.phone })));
  await bulkInsert(client, 'tenancy.account', {
    id: 'uuid', member_id: 'uuid', login_id: 'varchar', name: 'text', email: 'text', password_hash: 'text', is_admin: 'boolean',
    billing_level: 'tenancy.billing_level', cancellation_level: 'tenancy.cancellation_level', residents_level: 'tenancy.use_level',
    smartlock_level: 'tenancy.view_use_level', fire_insurance_level: 'tenancy.view_use_level', cancellation_notify: 'boolean',
  }, world.accounts.map((a) => ({
    id: a.id, member_id: a.memberId, login_id: a.loginId, name: a.name, email: a.email, password_hash: passwordHash, is_admin: a.isAdmin,
    billing_level: a.billing, cancellation_level: a.cancellation, residents_level: a.residents, smartlock_level: a.smartlock, fire_insurance_level: a.fireInsurance,
    cancellation_notify: a.cancellation !== 'NONE',
  })));
  await client.query(
    `insert into tenancy.operator_account (id, login_id, name, email, password_hash) values ($1, 'demo-operator', 'レオパレス21 法人営業管理', 'operator@example.co.jp', $2)`,
    [world.uuid(), passwordHash],
  );
  await bulkInsert(client, 'tenancy.property', { id: 'uuid', ap_no: 'varchar', name: 'text', prefecture: 'text', city: 'text', street: 'text' },
    world.properties.map((p) => ({ id: p.id, ap_no: p.apNo, name: p.name, prefecture: p.prefecture, city: p.city, street: p.street })));
  await bulkInsert(client, 'tenancy.room', { id: 'uuid', member_id: 'uuid', property_id: 'uuid', room_number: 'varchar', has_smartlock: 'boolean', move_in_date: 'date' },
    world.rooms.map((r) => ({ id: r.id, member_id: r.memberId, property_id: r.property.id, room_number: r.roomNumber, has_smartlock: r.hasSmartlock, move_in_date: r.moveInDate })));
  await bulkInsert(client, 'tenancy.lease', { id: 'uuid', member_id: 'uuid', room_id: 'uuid', contract_number: 'varchar', start_date: 'date', penalty_until: 'date', penalty_amount: 'int4' },
    world.rooms.map((r) => ({ id: r.lease.id, member_id: r.memberId, room_id: r.id, contract_number: r.lease.contractNumber, start_date: r.lease.startDate, penalty_until: r.lease.penaltyUntil, penalty_amount: r.lease.penaltyAmount })));
};
