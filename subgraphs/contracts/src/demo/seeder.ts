import { bulkInsert, seedRoomRefs, type DemoSeeder } from '@portal/demo-world';

const INSURERS = ['東京海上日動火災保険', '損害保険ジャパン', '三井住友海上火災保険', 'あいおいニッセイ同和損害保険'];

/**
 * Fire insurance: most rooms of member 10000001 carry their own policy (a few expired or missing, so
 * the uninsured-room alert has something to show); member 10000002 has one blanket policy. Two
 * e-contract approvers per member. Writes only the contracts schema.
 */
export const seedDemo: DemoSeeder = async (client, world) => {
  await seedRoomRefs(client, world, 'contracts');
  const year = Number(world.options.currentMonth.slice(0, 4));
  const policies: Record<string, unknown>[] = [];
  world.members.forEach((member, m) => {
    if (member.memberNumber === '10000002') {
      policies.push({ id: world.uuid(), member_id: member.id, room_id: null, coverage_kind: 'BLANKET', insurer: INSURERS[0], policy_number: `HB-${member.memberNumber}`, start_date: `${year}-04-01`, end_date: `${year + 1}-03-31`, premium: 480000, coverage_basic: 5_000_000, coverage_tenant_liability: 10_000_000, coverage_personal_liability: 100_000_000, registration_kind: 'NEW' });
      return;
    }
    world.rooms.filter((r) => r.memberId === member.id).forEach((room, i) => {
      const roll = world.random();
      if (roll < 0.08) return; // uninsured
      const expired = roll < 0.12;
      const startYear = expired ? year - 2 : year - (roll < 0.5 ? 1 : 0);
      policies.push({
        id: world.uuid(), member_id: member.id, room_id: room.id, coverage_kind: 'PER_ROOM', insurer: INSURERS[(i + m) % INSURERS.length],
        policy_number: `F${member.memberNumber.slice(-4)}-${String(i + 1).padStart(6, '0')}`, start_date: `${startYear}-0${1 + (i % 9)}-01`, end_date: `${startYear + 2}-0${1 + (i % 9)}-01`,
        premium: 15000 + (i % 5) * 1000, coverage_basic: 3_000_000, coverage_tenant_liability: 10_000_000, coverage_personal_liability: 100_000_000, registration_kind: startYear < year - 1 ? 'RENEWAL' : 'NEW',
      });
    });
  });
  await bulkInsert(client, 'contracts.fire_insurance_policy', {
    id: 'uuid', member_id: 'uuid', room_id: 'uuid', coverage_kind: 'text', insurer: 'text', policy_number: 'varchar', start_date: 'date', end_date: 'date', premium: 'int4',
    coverage_basic: 'int4', coverage_tenant_liability: 'int4', coverage_personal_liability: 'int4', registration_kind: 'text',
  }, policies);

  const approvers = world.members.flatMap((member) => [
    { id: world.uuid(), member_id: member.id, name: '高橋 誠', kana: 'ﾀｶﾊｼ ﾏｺﾄ', title: '総務部長', department: '総務部', phone: '0330000001', email: `takahashi-${member.memberNumber}@example.co.jp`, poa_valid_from: `${year}-04-01`, poa_valid_to: `${year + 3}-03-31`, status: 'COMPLETED' },
    { id: world.uuid(), member_id: member.id, name: '中村 由美', kana: 'ﾅｶﾑﾗ ﾕﾐ', title: '社員', department: '人事部', phone: '0330000002', email: `nakamura-${member.memberNumber}@example.co.jp`, poa_valid_from: `${year}-10-01`, poa_valid_to: `${year + 1}-09-30`, status: 'POA_UPLOAD' },
  ]);
  await bulkInsert(client, 'contracts.approver', { id: 'uuid', member_id: 'uuid', name: 'text', kana: 'text', title: 'text', department: 'text', phone: 'varchar', email: 'text', poa_valid_from: 'date', poa_valid_to: 'date', status: 'text' }, approvers);
};
