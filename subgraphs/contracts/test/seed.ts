import { randomUUID } from 'node:crypto';
import type { SeedAccountOptions, Stack } from '@portal/testing';

export interface PolicyOptions {
  insurer?: string;
  insurerOtherName?: string | null;
  policyNumber?: string;
  startDate?: string;
  endDate?: string;
  premium?: number;
  coverageBasic?: number | null;
  registrationKind?: 'NEW' | 'RENEWAL' | 'MODIFIED' | 'CANCELLED_MIDTERM';
  certificateFileKey?: string | null;
}

export interface ApproverOptions {
  name?: string;
  email?: string;
  poaValidFrom?: string;
  poaValidTo?: string;
  status?: string;
  createdAt?: string;
}

let n = 0;
const policyNumber = () => `P${Date.now().toString(36)}${(n++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.toUpperCase();

/**
 * A member of its own for one test, with accounts, rooms, policies and approvers, written straight
 * into tenancy's and contracts' tables:
 *   const m = await member(stack).build();
 *   const viewer = await m.account({ fireInsurance: 'VIEW' });
 *   const policy = await m.blanketPolicy({ endDate: '2027-05-31' });
 */
export function member(stack: Stack) {
  return {
    async build() {
      const { id: memberId, memberNumber } = await stack.seed.member();
      return {
        memberId,
        memberNumber,
        /** An account with these permissions, logged in through the gateway. */
        async account(options: SeedAccountOptions = {}) {
          const account = await stack.seed.account(memberId, options);
          return { ...account, token: await stack.login(account.loginId, account.password) };
        },
        rooms: (count: number) => stack.seed.rooms(memberId, count),
        blanketPolicy: (o: PolicyOptions = {}) => insertPolicy(stack, memberId, null, o),
        roomPolicy: (roomId: string, o: PolicyOptions = {}) => insertPolicy(stack, memberId, roomId, o),
        approver: (o: ApproverOptions = {}) => insertApprover(stack, memberId, o),
      };
    },
  };
}

async function insertPolicy(stack: Stack, memberId: string, roomId: string | null, o: PolicyOptions) {
  const id = randomUUID();
  const number = o.policyNumber ?? policyNumber();
  await stack.sql(
    `insert into contracts.fire_insurance_policy (id, member_id, room_id, coverage_kind, insurer, insurer_other_name, policy_number,
       start_date, end_date, premium, coverage_basic, registration_kind, certificate_file_key)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
    [id, memberId, roomId, roomId ? 'PER_ROOM' : 'BLANKET', o.insurer ?? 'あいおいニッセイ同和損害保険㈱', o.insurerOtherName ?? null, number,
      o.startDate ?? '2025-06-01', o.endDate ?? '2099-05-31', o.premium ?? 100_000, o.coverageBasic === undefined ? 10_000 : o.coverageBasic,
      o.registrationKind ?? 'NEW', o.certificateFileKey ?? null],
  );
  return { id, policyNumber: number };
}

async function insertApprover(stack: Stack, memberId: string, o: ApproverOptions) {
  const id = randomUUID();
  await stack.sql(
    `insert into contracts.approver (id, member_id, name, kana, title, phone, email, poa_valid_from, poa_valid_to, status, created_at)
     values ($1,$2,$3,'テスト タロウ','社員','0353500001',$4,$5,$6,$7,coalesce($8::timestamptz, now()))`,
    [id, memberId, o.name ?? 'テスト 太郎', o.email ?? `approver-${id.slice(0, 8)}@example.co.jp`, o.poaValidFrom ?? '2025-10-23', o.poaValidTo ?? '2028-10-22',
      o.status ?? 'COMPLETED', o.createdAt ?? null],
  );
  return { id };
}
