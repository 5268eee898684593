import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildASTSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, parse, print, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { hashPassword } from '@portal/tenancy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type GqlResponse, type Stack } from '@portal/testing';
import { invoices } from '../../subgraphs/billing/test/seed.ts';

/**
 * Issue 10 item 12: idempotency keys, tried from outside through the gateway over HTTP. A client
 * that retries a mutation (a lost answer, a double click, a proxy's retry) with the same key must
 * get the first answer and no second effect: one cancellation row, one mail in the outbox, one
 * audit entry; a password rotated once. Each test builds its own member.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['billing'] });
  // 10:00 JST on a Tuesday: daytime, and 2026-12-15 is a valid cancellation date.
  stack.setClock(new Date('2026-11-10T10:00:00+09:00'));
});
afterAll(async () => {
  await stack?.stop();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ERR = 'userErrors { code field message messageJa }';
const FILE = `mutation File($input: FileCancellationInput!) {
  fileCancellation(input: $input) { cancellation { id status cancellationDate approvalsRequired requestedByName history { event } } penalty { penaltyUntil } ${ERR} }
}`;
const RESET = `mutation Reset($input: ResetAccountPasswordInput!) { resetAccountPassword(input: $input) { account { id loginId } generatedPassword ${ERR} } }`;

function data(r: GqlResponse<Json>): Json {
  expect(r.status).toBe(200);
  if (r.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.body.errors)}`);
  return r.body.data!;
}

/** A member with a clerk who files and an approver who is notified by mail, both logged in. */
async function world() {
  const member = await stack.seed.member();
  const clerk = await stack.seed.account(member.id, { cancellation: 'REQUEST', name: '申請 一郎' });
  const approver = await stack.seed.account(member.id, { cancellation: 'REQUEST', cancellationNotify: true, name: '承認 二郎' });
  const room = await stack.seed.room(member.id);
  return {
    member,
    room,
    approver,
    clerkToken: await stack.login(clerk.loginId, clerk.password),
  };
}

const filing = (roomId: string, o: Record<string, unknown> = {}) => ({
  roomId,
  cancellationDate: '2026-12-15',
  reasons: ['DORMITORY_TERM_END'],
  contactName: '管理太郎',
  contactPhone: '010-1111-2222',
  // One approval: filing then also mails the approver, an effect outside the cancellation's rows.
  approvalsRequired: 1,
  ...o,
});

const file = (token: string, input: Record<string, unknown>) => stack.gql<Json>(FILE, { input }, { token });

async function effectsOf(memberId: string, roomId: string, approverEmail: string) {
  const [rows] = await stack.sql<{ n: number }>('select count(*)::int as n from tenancy.cancellation where room_id = $1', [roomId]);
  const [mails] = await stack.sql<{ n: number }>(`select count(*)::int as n from tenancy.mail_outbox where $1 = any("to")`, [approverEmail]);
  const [audits] = await stack.sql<{ n: number }>(`select count(*)::int as n from tenancy.audit_event where member_id = $1 and action = 'CANCELLATION_FILED'`, [memberId]);
  return { cancellations: rows!.n, mails: mails!.n, audits: audits!.n };
}

describe('idempotency keys through the gateway', () => {
  it('without a key, a retried filing is a second request (the control): refused as ALREADY_CANCELLING', async () => {
    const w = await world();
    expect(data(await file(w.clerkToken, filing(w.room.id))).fileCancellation.userErrors).toEqual([]);
    const retry = data(await file(w.clerkToken, filing(w.room.id))).fileCancellation;
    expect(retry.cancellation).toBeNull();
    expect(retry.userErrors.map((e: Json) => e.code)).toEqual(['ALREADY_CANCELLING']);
  });

  it('a replayed fileCancellation files once (one row, one mail, one audit entry) and returns the same answer', async () => {
    const w = await world();
    const key = `file-${randomUUID()}`;
    const first = data(await file(w.clerkToken, { ...filing(w.room.id), idempotencyKey: key })).fileCancellation;
    expect(first.userErrors).toEqual([]);
    expect(first.cancellation.status).toBe('AWAITING_APPROVAL');
    const replay = data(await file(w.clerkToken, { ...filing(w.room.id), idempotencyKey: key })).fileCancellation;
    expect(replay).toEqual(first);
    expect(await effectsOf(w.member.id, w.room.id, `${w.approver.loginId}@example.co.jp`)).toEqual({ cancellations: 1, mails: 1, audits: 1 });
  });

  it('refuses the same key with another input (IDEMPOTENCY_KEY_REUSED, English and Japanese) and files nothing more', async () => {
    const w = await world();
    const other = await stack.seed.room(w.member.id);
    const key = `file-${randomUUID()}`;
    expect(data(await file(w.clerkToken, { ...filing(w.room.id), idempotencyKey: key })).fileCancellation.userErrors).toEqual([]);
    for (const changed of [filing(w.room.id, { cancellationDate: '2026-12-16' }), filing(other.id)]) {
      const refused = data(await file(w.clerkToken, { ...changed, idempotencyKey: key })).fileCancellation;
      expect(refused.cancellation).toBeNull();
      expect(refused.userErrors).toHaveLength(1);
      expect(refused.userErrors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' });
      expect(refused.userErrors[0].message).toMatch(/idempotency key/i);
      expect(refused.userErrors[0].messageJa).toMatch(/冪等キー/);
    }
    const [n] = await stack.sql<{ n: number }>('select count(*)::int as n from tenancy.cancellation where room_id = any($1::uuid[])', [[w.room.id, other.id]]);
    expect(n!.n).toBe(1);
  });

  it('two concurrent identical requests file once and both get the first answer', async () => {
    const w = await world();
    const key = `file-${randomUUID()}`;
    const input = { ...filing(w.room.id), idempotencyKey: key };
    const answers = (await Promise.all([file(w.clerkToken, input), file(w.clerkToken, input), file(w.clerkToken, input)])).map((r) => data(r).fileCancellation);
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.userErrors).toEqual([]);
    expect(await effectsOf(w.member.id, w.room.id, `${w.approver.loginId}@example.co.jp`)).toEqual({ cancellations: 1, mails: 1, audits: 1 });
  });

  it("scopes keys per principal: member B reusing member A's key files its own cancellation", async () => {
    const a = await world();
    const b = await world();
    const key = `shared-${randomUUID()}`;
    const mine = data(await file(a.clerkToken, { ...filing(a.room.id), idempotencyKey: key })).fileCancellation;
    const theirs = data(await file(b.clerkToken, { ...filing(b.room.id, { cancellationDate: '2026-12-18' }), idempotencyKey: key })).fileCancellation;
    expect(theirs.userErrors).toEqual([]);
    expect(theirs.cancellation.id).not.toBe(mine.cancellation.id);
    expect(theirs.cancellation.cancellationDate).toBe('2026-12-18');
    // B's use did not disturb A's key: A's replay still returns A's first answer.
    expect(data(await file(a.clerkToken, { ...filing(a.room.id), idempotencyKey: key })).fileCancellation).toEqual(mine);
    expect((await stack.sql<{ room_id: string }>('select room_id from tenancy.cancellation where room_id = any($1::uuid[]) order by room_id', [[a.room.id, b.room.id]])).length).toBe(2);
  });

  it('refuses a malformed key before filing', async () => {
    const w = await world();
    for (const key of ['short', 'with space 123', 'ｷｰｷｰｷｰｷｰｷｰ', 'x'.repeat(129)]) {
      const r = data(await file(w.clerkToken, { ...filing(w.room.id), idempotencyKey: key })).fileCancellation;
      expect(r.userErrors.map((e: Json) => e.code)).toEqual(['IDEMPOTENCY_KEY_INVALID']);
    }
    expect((await effectsOf(w.member.id, w.room.id, `${w.approver.loginId}@example.co.jp`)).cancellations).toBe(0);
  });

  it('a replayed resetAccountPassword returns the same generated password, and the password is rotated once', async () => {
    const member = await stack.seed.member();
    const admin = await stack.seed.account(member.id, { admin: true });
    const target = await stack.seed.account(member.id);
    const token = await stack.login(admin.loginId, admin.password);
    const key = `reset-${randomUUID()}`;
    const input = { id: target.id, idempotencyKey: key };

    const first = data(await stack.gql<Json>(RESET, { input }, { token })).resetAccountPassword;
    expect(first.userErrors).toEqual([]);
    expect(first.generatedPassword).toEqual(expect.any(String));
    const [before] = await stack.sql<{ password_hash: string; password_changed_at: Date }>('select password_hash, password_changed_at from tenancy.account where id = $1', [target.id]);

    const replay = data(await stack.gql<Json>(RESET, { input }, { token })).resetAccountPassword;
    expect(replay).toEqual(first);
    const [after] = await stack.sql<{ password_hash: string; password_changed_at: Date }>('select password_hash, password_changed_at from tenancy.account where id = $1', [target.id]);
    expect(after).toEqual(before);
    const audits = await stack.sql(`select 1 from tenancy.audit_event where member_id = $1 and action = 'PASSWORD_RESET'`, [member.id]);
    expect(audits).toHaveLength(1);
    // The password the replay showed is the one that works.
    expect(await stack.login(target.loginId, replay.generatedPassword)).toEqual(expect.any(String));

    // Control: without a key a second reset rotates again and the first password stops working.
    const again = data(await stack.gql<Json>(RESET, { input: { id: target.id } }, { token })).resetAccountPassword;
    expect(again.generatedPassword).not.toBe(first.generatedPassword);
  });

  it('a key is bound to one mutation: the same key on another mutation is another key', async () => {
    const member = await stack.seed.member();
    const admin = await stack.seed.account(member.id, { admin: true, cancellation: 'REQUEST' });
    const target = await stack.seed.account(member.id);
    const room = await stack.seed.room(member.id);
    const token = await stack.login(admin.loginId, admin.password);
    const key = `both-${randomUUID()}`;
    const reset = data(await stack.gql<Json>(RESET, { input: { id: target.id, idempotencyKey: key } }, { token })).resetAccountPassword;
    expect(reset.userErrors).toEqual([]);
    const filed = data(await file(token, { ...filing(room.id, { approvalsRequired: 0 }), idempotencyKey: key })).fileCancellation;
    expect(filed.userErrors).toEqual([]);
    expect(filed.cancellation.status).toBe('SUBMITTED');
  });

  it('a replayed print raises the print count (印刷回数) once and links the first file', async () => {
    const member = await stack.seed.member();
    const rooms = await stack.seed.rooms(member.id, 2);
    const invoice = await invoices(stack, member).invoice({ billingMonth: '2026-10', printCount: 0 }).lines(rooms).save();
    const account = await stack.seed.account(member.id, { billing: 'VIEW' });
    const token = await stack.login(account.loginId, account.password);
    const PRINT = `mutation Print($input: PrintQualifiedInvoiceInput!) { printQualifiedInvoice(input: $input) { url filename expiresAt printCount ${ERR} } }`;
    const printCount = async () => (await stack.sql<{ print_count: number }>('select print_count from billing.invoice where id = $1', [invoice.id]))[0]!.print_count;
    const key = `print-${randomUUID()}`;

    const first = data(await stack.gql<Json>(PRINT, { input: { invoiceId: invoice.id, idempotencyKey: key } }, { token })).printQualifiedInvoice;
    expect(first).toMatchObject({ printCount: 1, userErrors: [] });
    const replay = data(await stack.gql<Json>(PRINT, { input: { invoiceId: invoice.id, idempotencyKey: key } }, { token })).printQualifiedInvoice;
    expect(replay).toEqual(first);
    expect(await printCount()).toBe(1);

    // Control: without a key every print counts.
    const unkeyed = data(await stack.gql<Json>(PRINT, { input: { invoiceId: invoice.id } }, { token })).printQualifiedInvoice;
    expect(unkeyed.printCount).toBe(2);
    expect(await printCount()).toBe(2);
  });
});

/**
 * Generated from the supergraph: every mutation whose input offers `idempotencyKey` enforces it. A
 * malformed key must come back as IDEMPOTENCY_KEY_INVALID, which the wrapper answers before the
 * service runs, so a field that advertises a key without the wrapper (or with the wrong payload
 * shape) fails here without anyone remembering to add it.
 */
describe('every mutation that offers idempotencyKey enforces it', () => {
  const supergraph = parse(readFileSync(new URL('../../supergraph.graphql', import.meta.url), 'utf8'));
  const schema: GraphQLSchema = buildASTSchema(parse(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8')));
  const operatorOnly = new Set<string>();
  for (const def of supergraph.definitions) {
    if (def.kind !== 'ObjectTypeDefinition' || def.name.value !== 'Mutation') continue;
    for (const field of def.fields ?? []) {
      const scopes = field.directives?.find((d) => d.name.value === 'requiresScopes');
      if (scopes && print(scopes).includes('"operator"')) operatorOnly.add(field.name.value);
    }
  }
  const keyed = Object.values(schema.getMutationType()!.getFields()).filter((f) => {
    const input = f.args.find((a) => a.name === 'input');
    return !!input && isInputObjectType(getNamedType(input.type)) && 'idempotencyKey' in (getNamedType(input.type) as { getFields(): object }).getFields();
  });

  /** The smallest value of a required input type; the key check runs before anything reads it. */
  function sample(type: GraphQLInputType): unknown {
    if (isNonNullType(type)) return sample(type.ofType);
    if (isListType(type)) return [sample(type.ofType)];
    if (isEnumType(type)) return type.getValues()[0]!.value;
    if (isInputObjectType(type)) {
      return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => [f.name, sample(f.type)]));
    }
    const scalars: Record<string, unknown> = { ID: randomUUID(), String: 'x', Int: 1, Float: 1, Boolean: true, Date: '2026-12-15', DateTime: '2026-12-15T00:00:00Z' };
    return scalars[getNamedType(type).name] ?? 'x';
  }

  it('covers the mutations named in the issue (the list is not empty by accident)', () => {
    const names = keyed.map((f) => f.name);
    for (const name of ['fileCancellation', 'approveCancellation', 'resetAccountPassword', 'reserveTimestamp', 'cancelTimestampReservation', 'printQualifiedInvoice', 'importInvoices', 'downloadSettlementStatements']) {
      expect(names).toContain(name);
    }
  });

  it('answers IDEMPOTENCY_KEY_INVALID for a malformed key on each of them, member and operator alike', async () => {
    const member = await stack.seed.member();
    const admin = await stack.seed.account(member.id, { admin: true });
    const memberToken = await stack.login(admin.loginId, admin.password);
    const operator = { loginId: `op-${randomUUID().slice(0, 8)}`, password: 'Operator-Passw0rd!' };
    await stack.sql(`insert into tenancy.operator_account (id, login_id, name, email, password_hash) values ($1, $2, '営業管理 花子', 'op@example.co.jp', $3)`, [randomUUID(), operator.loginId, await hashPassword(operator.password)]);
    const login = data(await stack.gql<Json>('mutation($i: LoginInput!) { operatorLogin(input: $i) { token } }', { i: operator })).operatorLogin;
    const operatorToken = login.token as string;

    const failures: string[] = [];
    for (const field of keyed) {
      const inputType = field.args.find((a) => a.name === 'input')!.type;
      const input = { ...(sample(inputType) as object), idempotencyKey: 'bad key!' };
      const query = `mutation M($input: ${String(inputType)}) { ${field.name}(input: $input) { userErrors { code field messageJa } } }`;
      const r = await stack.gql<Json>(query, { input }, { token: operatorOnly.has(field.name) ? operatorToken : memberToken });
      const errors = r.body.data?.[field.name]?.userErrors as Json[] | undefined;
      const ok = r.status === 200 && !r.body.errors && errors?.length === 1 && errors[0]!.code === 'IDEMPOTENCY_KEY_INVALID' && errors[0]!.field === 'input.idempotencyKey' && /冪等キー/.test(errors[0]!.messageJa);
      if (!ok) failures.push(`${field.name}: ${JSON.stringify(r.body)}`);
    }
    expect(failures).toEqual([]);
    expect(keyed.length).toBeGreaterThanOrEqual(19);
  });
});
