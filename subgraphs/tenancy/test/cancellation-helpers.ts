import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { GqlResponse, SeedAccountOptions, SeedRoomOptions, Stack } from '@portal/testing';
import { hashPassword } from '../src/index.ts';

/** A member with the accounts the cancellation tests need, each logged in through the gateway. */
export interface CancellationWorld {
  member: { id: string; memberNumber: string };
  accounts: Record<'clerk' | 'approver1' | 'approver2' | 'viewer' | 'none', { id: string; token: string; email: string }>;
  room(options?: SeedRoomOptions): Promise<{ id: string; leaseId: string }>;
}

export async function cancellationWorld(stack: Stack, options: { notify?: boolean } = {}): Promise<CancellationWorld> {
  const member = await stack.seed.member();
  const make = async (name: string, o: SeedAccountOptions) => {
    const a = await stack.seed.account(member.id, { name, ...o });
    return { id: a.id, token: await stack.login(a.loginId, a.password), email: `${a.loginId}@example.co.jp` };
  };
  const notify = options.notify ?? true;
  const accounts = {
    clerk: await make('申請 一郎', { cancellation: 'REQUEST', cancellationNotify: notify }),
    approver1: await make('承認 二郎', { cancellation: 'REQUEST', cancellationNotify: notify }),
    approver2: await make('承認 三郎', { cancellation: 'REQUEST', cancellationNotify: false }),
    viewer: await make('閲覧 四郎', { cancellation: 'VIEW', cancellationNotify: notify }),
    none: await make('権限なし 五郎', { cancellation: 'NONE' }),
  };
  return {
    member,
    accounts,
    room: (o) => stack.seed.room(member.id, o),
  };
}

/** An operator account (back office), logged in with `operatorLogin`. */
export async function operatorToken(stack: Stack): Promise<string> {
  const loginId = `op-${randomUUID().slice(0, 8)}`;
  const password = 'Operator-Passw0rd!';
  await stack.sql(`insert into tenancy.operator_account (id, login_id, name, email, password_hash) values ($1, $2, '営業管理 花子', 'op@example.co.jp', $3)`, [
    randomUUID(),
    loginId,
    await hashPassword(password),
  ]);
  const r = await stack.gql<{ operatorLogin: { token: string | null } }>('mutation($i: LoginInput!) { operatorLogin(input: $i) { token } }', { i: { loginId, password } });
  const token = r.body.data?.operatorLogin.token;
  if (!token) throw new Error(`operator login failed: ${JSON.stringify(r.body)}`);
  return token;
}

/** 10:00 JST on a Tuesday; 8 days later is 2026-11-18. */
export const TODAY = '2026-11-10';
export const at = (date: string, time: string) => new Date(`${date}T${time}:00+09:00`);

export const CANCELLATION_FIELDS = `id status statusLabel cancellationDate originalDate reasons contactName contactPhone approvalsRequired approvalsRemaining
  requestedByName requestedByMe dateChangeUsed withdrawalUsed canChangeDate canWithdraw nextLeaseDecided witnessConsent
  apNo propertyName roomNumber memberNumber
  pendingRequest { kind newDate requestedAt decidedAfter }
  changeError { code message messageJa }
  denial { deniedByName reason }
  approvals { accountName decision reason }
  penalty { penaltyUntil amount messageJa }
  history { event fromStatus toStatus actorType }`;

export const FILE = `mutation File($input: FileCancellationInput!) {
  fileCancellation(input: $input) { cancellation { ${CANCELLATION_FIELDS} } penalty { penaltyUntil amount message messageJa } userErrors { code field message messageJa } }
}`;
export const PREVIEW = `query Preview($input: FileCancellationInput!) {
  cancellationPreview(input: $input) { acceptable earliestDate requiresApproval verdicts { rule passed error { code field } } userErrors { code field } penalty { penaltyUntil amount } }
}`;
export const APPROVE = `mutation Approve($id: ID!) { approveCancellation(input: { cancellationId: $id }) { cancellation { ${CANCELLATION_FIELDS} } userErrors { code field } } }`;
export const DENY = `mutation Deny($id: ID!, $reason: String!) { denyCancellation(input: { cancellationId: $id, reason: $reason }) { cancellation { ${CANCELLATION_FIELDS} } userErrors { code field } } }`;
export const CHANGE = `mutation Change($input: ChangeCancellationDateInput!) {
  changeCancellationDate(input: $input) { outcome cancellation { ${CANCELLATION_FIELDS} } userErrors { code field message messageJa } }
}`;
export const WITHDRAW = `mutation Withdraw($id: ID!, $confirm: Boolean!) {
  withdrawCancellation(input: { cancellationId: $id, confirm: $confirm }) { outcome cancellation { ${CANCELLATION_FIELDS} } userErrors { code field } }
}`;
export const GET = `query Get($id: ID!) { cancellation(id: $id) { ${CANCELLATION_FIELDS} } }`;

export function filing(roomId: string, o: Partial<{ cancellationDate: string; reasons: string[]; contactName: string; contactPhone: string; approvalsRequired: number }> = {}) {
  return { roomId, cancellationDate: '2026-12-15', reasons: ['DORMITORY_TERM_END'], contactName: '管理太郎', contactPhone: '010-1111-2222', approvalsRequired: 0, ...o };
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function data(r: GqlResponse<Json>): Json {
  if (r.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.body.errors)}`);
  return r.body.data!;
}

export const codes = (r: GqlResponse<Json>) => (r.body.errors ?? []).map((e) => e.extensions?.code);

/** Files a cancellation that must succeed; returns it. */
export async function fileOk(stack: Stack, token: string, input: ReturnType<typeof filing>): Promise<Json> {
  const payload = data(await stack.gql(FILE, { input }, { token })).fileCancellation;
  expect(payload.userErrors).toEqual([]);
  return payload.cancellation;
}
