import type pg from 'pg';
import { addDays, isYearEndClosure, jstDate, type JstDate } from '@portal/platform';
import { bulkInsert, CANCELLATION_PLANS, DEMO_PASSWORD, demoCancellationId, planRoom, stableUuid, type DemoSeeder, type DemoWorld } from '@portal/demo-world';
import { hashPassword } from '../modules/identity/password.ts';

/** Writes members, accounts, properties, rooms, leases and a few cancellations into the tenancy schema only; every demo login (and the operator) has DEMO_PASSWORD. */
export const seedDemo: DemoSeeder = async (client, world) => {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const operatorId = world.uuid();
  await bulkInsert(client, 'tenancy.member', { id: 'uuid', member_number: 'varchar', name: 'text', head_office_postal_code: 'varchar', head_office_address: 'text', phone: 'varchar', created_at: 'timestamptz' },
    world.members.map((m) => ({ id: m.id, member_number: m.memberNumber, name: m.name, head_office_postal_code: m.headOfficePostalCode, head_office_address: m.headOfficeAddress, phone: m.phone, created_at: m.createdAt })));
  await bulkInsert(client, 'tenancy.account', {
    id: 'uuid', member_id: 'uuid', login_id: 'varchar', name: 'text', email: 'text', password_hash: 'text', is_admin: 'boolean',
    billing_level: 'tenancy.billing_level', cancellation_level: 'tenancy.cancellation_level', residents_level: 'tenancy.use_level',
    smartlock_level: 'tenancy.view_use_level', fire_insurance_level: 'tenancy.view_use_level', cancellation_notify: 'boolean', created_at: 'timestamptz',
  }, world.accounts.map((a) => ({
    id: a.id, member_id: a.memberId, login_id: a.loginId, name: a.name, email: a.email, password_hash: passwordHash, is_admin: a.isAdmin,
    billing_level: a.billing, cancellation_level: a.cancellation, residents_level: a.residents, smartlock_level: a.smartlock, fire_insurance_level: a.fireInsurance,
    cancellation_notify: a.cancellation !== 'NONE', created_at: a.createdAt,
  })));
  await client.query(
    `insert into tenancy.operator_account (id, login_id, name, email, password_hash) values ($1, 'demo-operator', 'レオパレス21 法人営業管理', 'operator@example.co.jp', $2)`,
    [operatorId, passwordHash],
  );
  await bulkInsert(client, 'tenancy.property', { id: 'uuid', ap_no: 'varchar', name: 'text', prefecture: 'text', city: 'text', street: 'text' },
    world.properties.map((p) => ({ id: p.id, ap_no: p.apNo, name: p.name, prefecture: p.prefecture, city: p.city, street: p.street })));
  await bulkInsert(client, 'tenancy.room', { id: 'uuid', member_id: 'uuid', property_id: 'uuid', room_number: 'varchar', has_smartlock: 'boolean', move_in_date: 'date' },
    world.rooms.map((r) => ({ id: r.id, member_id: r.memberId, property_id: r.property.id, room_number: r.roomNumber, has_smartlock: r.hasSmartlock, move_in_date: r.moveInDate })));
  await bulkInsert(client, 'tenancy.lease', { id: 'uuid', member_id: 'uuid', room_id: 'uuid', contract_number: 'varchar', start_date: 'date', penalty_until: 'date', penalty_amount: 'int4' },
    world.rooms.map((r) => ({ id: r.lease.id, member_id: r.memberId, room_id: r.id, contract_number: r.lease.contractNumber, start_date: r.lease.startDate, penalty_until: r.lease.penaltyUntil, penalty_amount: r.lease.penaltyAmount })));
  await seedCancellations(client, world, operatorId);
};

const REASONS = ['TRANSFER_TO_OTHER_PROPERTY', 'PROJECT_END', 'RETIREMENT', 'TRANSFER_TO_OUR_PROPERTY', 'DORMITORY_TERM_END'];
/**
 * A few cancellations of member 10000001 in every status, each with the dates and history the rules
 * would have given it by the demo's today: filed by demo-clerk at least 7 days ahead of the date, no
 * date in the year-end closure, approvals by demo-admin, a date change entered at night waiting for
 * the 8:00 decision, a move-out recorded by the operator. The rooms are spread over the member's list
 * so a search shows them among the others.
 */
export async function seedCancellations(client: pg.ClientBase, world: DemoWorld, operatorId: string): Promise<void> {
  const sample = world.members.find((m) => m.memberNumber === '10000001');
  if (!sample) return;
  const clerk = world.accounts.find((a) => a.loginId === 'demo-clerk')!;
  const admin = world.accounts.find((a) => a.loginId === 'demo-admin')!;
  const rooms = world.rooms.filter((r) => r.memberId === sample.id);
  const today = jstDate(world.options.today);
  const at = (date: JstDate, time: string) => `${date}T${time}:00+09:00`;
  // a cancellation date `days` after `from`, moved out of the year-end closure
  const dateAfter = (from: JstDate, days: number) => {
    let d = addDays(from, days);
    while (isYearEndClosure(d)) d = addDays(d, 1);
    return d;
  };
  const cancellations: Record<string, unknown>[] = [];
  const approvals: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  CANCELLATION_PLANS.forEach((plan, i) => {
    const room = planRoom(rooms, i);
    const id = demoCancellationId(room.id);
    const filedOn = addDays(today, -plan.filedDaysAgo);
    const filedAt = at(filedOn, '10:15');
    const date = dateAfter(filedOn, plan.dateIn);
    const stepAt = (days: number) => (days === 0 ? filedAt : at(addDays(filedOn, days), plan.status === 'CHANGE_PENDING' ? '21:30' : '11:00'));
    const submittedStep = plan.events.find((e) => e[2] === 'SUBMITTED');
    const last = plan.events.at(-1)!;
    const pending = plan.status === 'CHANGE_PENDING';
    cancellations.push({
      id, member_id: sample.id, room_id: room.id, lease_id: room.lease.id, status: plan.status, cancellation_date: date, original_date: date,
      reasons: [REASONS[i % REASONS.length]!], contact_name: clerk.name, contact_phone: '03-3000-0000', approvals_required: plan.approvals,
      requested_by: clerk.id, requested_by_name: clerk.name, filed_at: filedAt, submitted_at: submittedStep ? stepAt(submittedStep[4]) : null,
      date_change_count: 0, withdrawal_count: plan.status === 'WITHDRAWN' || plan.status === 'CHANGE_ERROR' ? 1 : 0,
      pending_kind: pending ? 'DATE_CHANGE' : null, pending_date: pending ? dateAfter(date, 14) : null, pending_at_witness_request: pending ? false : null, pending_consent: pending ? true : null,
      pending_requested_at: pending ? stepAt(last[4]) : null, pending_requested_by: pending ? clerk.id : null,
      // entered after 20:00: decided by the 8:00 job the next morning
      decide_after: pending ? at(addDays(filedOn, last[4] + 1), '08:00') : null,
      change_error_code: plan.status === 'CHANGE_ERROR' ? 'NEXT_LEASE_DECIDED' : null, change_error_at: plan.status === 'CHANGE_ERROR' ? stepAt(last[4]) : null,
      moved_out_on: plan.status === 'MOVED_OUT' ? date : null,
      denied_by: plan.status === 'DENIED' ? admin.id : null, denied_by_name: plan.status === 'DENIED' ? admin.name : null,
      denied_at: plan.status === 'DENIED' ? stepAt(last[4]) : null, denial_reason: plan.status === 'DENIED' ? '同じ物件で転勤者の入居予定があるため' : null,
      created_at: filedAt, updated_at: stepAt(last[4]),
    });
    for (const [k, [event, from, to, actorType, days]] of plan.events.entries()) {
      const operator = actorType === 'OPERATOR';
      const byAdmin = event === 'APPROVE_LAST' || event === 'DENY';
      events.push({
        id: stableUuid(`cancellation-event:${id}:${k}`), member_id: sample.id, cancellation_id: id, at: stepAt(days), event, from_status: from, to_status: to, actor_type: operator ? 'OPERATOR' : 'ACCOUNT',
        actor_id: operator ? operatorId : byAdmin ? admin.id : clerk.id, actor_name: operator ? 'レオパレス21 法人営業管理' : byAdmin ? admin.name : clerk.name, details: '{}',
      });
      if (byAdmin) approvals.push({ id: stableUuid(`cancellation-approval:${id}`), member_id: sample.id, cancellation_id: id, account_id: admin.id, account_name: admin.name, decision: event === 'DENY' ? 'DENIED' : 'APPROVED', reason: event === 'DENY' ? '同じ物件で転勤者の入居予定があるため' : null, decided_at: stepAt(days) });
    }
  });
  // jsonb_populate_recordset with the table's own row type: arrays and timestamps convert as the columns say
  const columns = Object.keys(cancellations[0]!).join(', ');
  await client.query(`insert into tenancy.cancellation (${columns}) select ${columns} from jsonb_populate_recordset(null::tenancy.cancellation, $1::jsonb)`, [JSON.stringify(cancellations)]);
  await bulkInsert(client, 'tenancy.cancellation_event', {
    id: 'uuid', member_id: 'uuid', cancellation_id: 'uuid', at: 'timestamptz', event: 'text', from_status: 'text', to_status: 'text', actor_type: 'text', actor_id: 'uuid', actor_name: 'text', details: 'jsonb',
  }, events);
  await bulkInsert(client, 'tenancy.cancellation_approval', { id: 'uuid', member_id: 'uuid', cancellation_id: 'uuid', account_id: 'uuid', account_name: 'text', decision: 'text', reason: 'text', decided_at: 'timestamptz' }, approvals);
}
