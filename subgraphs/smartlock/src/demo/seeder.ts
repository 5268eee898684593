import { bulkInsert, seedRoomRefs, type DemoSeeder } from '@portal/demo-world';
import { hashVerificationCode } from '../modules/recipient/verification-code.ts';


/**
 * Residents for most rooms (resident 1, sometimes resident 2) and, for the members with smartlock
 * rooms, a few recipients (総務部 mailboxes and staff) in every verification state, some set on rooms.
 * Writes only the smartlock schema.
 */
export const seedDemo: DemoSeeder = async (client, world) => {
  await seedRoomRefs(client, world, 'smartlock');
  const residents: Record<string, unknown>[] = [];
  for (const room of world.rooms) {
    room.residents.forEach((r, i) =>
      residents.push({
        id: world.uuid(), member_id: room.memberId, room_id: room.id, slot: i + 1, name: r.name, kana: r.kana,
        phone: r.phone, email: r.email, gender: r.gender, relation: world.random() < 0.9 ? 'EMPLOYEE' : 'OTHER', birth_date: r.birthDate, nationality: world.random() < 0.93 ? 'JAPAN' : 'OTHER',
      }),
    );
  }
  await bulkInsert(client, 'smartlock.resident', { id: 'uuid', member_id: 'uuid', room_id: 'uuid', slot: 'int2', name: 'text', kana: 'text', phone: 'varchar', email: 'varchar', gender: 'text', relation: 'text', birth_date: 'date', nationality: 'text' }, residents);

  const codeHash = await hashVerificationCode('1234');
  // Every send and verification lies before the demo's today (10:00 JST), and each status is what the
  // rules would make of its dates: a code is valid for 14 days (docs), so UNVERIFIED and FAILED were
  // sent days ago and EXPIRED more than 14 days ago; VERIFIED recipients confirmed within the hour.
  const now = Date.parse(`${world.options.today}T10:00:00+09:00`);
  const SENT_DAYS_AGO = { VERIFIED: 60, UNVERIFIED: 3, EXPIRED: 20, FAILED: 5 } as const;
  const recipients: Record<string, unknown>[] = [];
  const assignments: Record<string, unknown>[] = [];
  for (const member of world.members) {
    const smartRooms = world.rooms.filter((r) => r.memberId === member.id && r.hasSmartlock);
    if (smartRooms.length === 0) continue;
    const states = ['VERIFIED', 'VERIFIED', 'VERIFIED', 'UNVERIFIED', 'EXPIRED', 'FAILED'] as const;
    states.forEach((status, i) => {
      const id = world.uuid();
      const sentAt = new Date(now - (SENT_DAYS_AGO[status] + i) * 86_400_000);
      recipients.push({
        id, member_id: member.id, recipient_code: i === 0 ? 'soumu@hq' : `staff-${String(i).padStart(3, '0')}`,
        name_kanji: i === 0 ? '総務部' : `総務部 担当${i}`, name_kana: i === 0 ? 'ｿｳﾑﾌﾞ' : `ｿｳﾑﾌﾞ ﾀﾝﾄｳ${i}`, phone: '03-3000-0000',
        email: i === 0 ? `soumu-${member.memberNumber}@example.co.jp` : `staff${i}-${member.memberNumber}@example.co.jp`, verification_code_hash: codeHash,
        verification_status: status, verification_sent_at: sentAt, verified_at: status === 'VERIFIED' ? new Date(sentAt.getTime() + 3_600_000) : null,
        failed_attempts: status === 'FAILED' ? 5 : 0,
      });
      // The verified ones hold keys of a handful of rooms without residents.
      if (status === 'VERIFIED') {
        for (const room of smartRooms.filter((r) => r.residents.length === 0).slice(i * 10, i * 10 + 10)) {
          assignments.push({ room_id: room.id, member_id: member.id, recipient_id: id });
        }
      }
    });
  }
  await bulkInsert(client, 'smartlock.smartlock_recipient', {
    id: 'uuid', member_id: 'uuid', recipient_code: 'varchar', name_kanji: 'text', name_kana: 'text', phone: 'varchar', email: 'varchar', verification_code_hash: 'text',
    verification_status: 'text', verification_sent_at: 'timestamptz', verified_at: 'timestamptz', failed_attempts: 'int2',
  }, recipients);
  await bulkInsert(client, 'smartlock.room_recipient', { room_id: 'uuid', member_id: 'uuid', recipient_id: 'uuid' }, assignments);
};
