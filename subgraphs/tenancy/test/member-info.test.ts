import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: [] });
});
afterAll(async () => {
  await stack?.stop();
});

const MEMBER = '{ me { member { memberNumber headOffice { postalCode address } mailingAddress { postalCode city street building } addressee { department contactName contactKana } phone fax } } }';
const UPDATE = 'mutation($input: UpdateMemberInfoInput!) { updateMemberInfo(input: $input) { member { mailingAddress { postalCode city street building } addressee { department contactName contactKana } phone fax } userErrors { code field message messageJa } } }';
const UPDATE_SHOWN = 'mutation($input: UpdateMemberInfoInput!) { updateMemberInfo(input: $input) { member { addressee { kind honorific department contactName contactKana } } adjustments { code field entered stored message messageJa } userErrors { code field message messageJa } } }';
const FORM = {
  postalCode: '1638001',
  city: '東京都新宿区',
  street: '西新宿2-8-1',
  building: '第一本庁舎 7F',
  department: '（株）サンプル 経理部',
  contactName: 'レオパ太郎',
  contactKana: 'ﾚｵﾊﾟ ﾀﾛｳ',
  phone: '03-3000-0000',
  fax: '0330000001',
};
type Result = { updateMemberInfo: { member: Record<string, unknown> | null; userErrors: { code: string; field: string; message: string; messageJa: string }[] } };

const memberRow = async (id: string) => (await stack.sql('select head_office_postal_code, head_office_address, mailing_postal_code, mailing_city, mailing_street, mailing_building, addressee_department, addressee_contact_name, addressee_contact_kana, phone, fax from tenancy.member where id = $1', [id]))[0];

async function memberWithAdmin() {
  // The form's department names the member itself (（株）サンプル): its own name, not an outsourcing agent.
  const member = await stack.seed.member({ name: '株式会社サンプル' });
  const admin = await stack.seed.account(member.id, { admin: true });
  return { member, admin, token: await stack.login(admin.loginId, admin.password) };
}

describe('member information (法人会員情報変更)', () => {
  it('an administrator changes the mailing address, addressee, phone and fax; values are normalised and the change is recorded', async () => {
    const { member, admin, token } = await memberWithAdmin();
    const r = await stack.gql<Result>(UPDATE, { input: FORM }, { token });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.updateMemberInfo.userErrors).toEqual([]);
    expect(r.body.data?.updateMemberInfo.member).toEqual({
      mailingAddress: { postalCode: '163-8001', city: '東京都新宿区', street: '西新宿２－８－１', building: '第一本庁舎\u3000７Ｆ' },
      addressee: { department: '㈱サンプル\u3000経理部', contactName: 'レオパ太郎', contactKana: 'ﾚｵﾊﾟ ﾀﾛｳ' },
      phone: '03-3000-0000',
      fax: '03-3000-0001',
    });
    const [event] = await stack.sql<{ login_id: string; target_label: string; details: { before: Record<string, unknown>; after: Record<string, unknown> } }>("select * from tenancy.audit_event where member_id = $1 and action = 'MEMBER_INFO_UPDATED'", [member.id]);
    expect(event).toMatchObject({ login_id: admin.loginId, target_label: member.memberNumber });
    // phone was already 03-3000-0000: only what changed is recorded
    expect(Object.keys(event!.details.after).sort()).toEqual(['building', 'city', 'contactKana', 'contactName', 'department', 'fax', 'postalCode', 'street']);
    expect(event!.details.before).toMatchObject({ city: null, fax: null });

    // Every account of the member reads it; the head office is shown, read-only.
    const viewer = await stack.seed.account(member.id, { billing: 'VIEW' });
    const read = await stack.gql<{ me: { member: Record<string, unknown> } }>(MEMBER, {}, { token: await stack.login(viewer.loginId, viewer.password) });
    expect(read.body.data?.me.member).toMatchObject({ headOffice: { postalCode: '100-0001', address: '東京都千代田区千代田1-1' }, phone: '03-3000-0000', fax: '03-3000-0001' });
  });

  it('refuses a 14-character city, full-width kana where half-width is required and a malformed phone, naming each field; nothing is saved', async () => {
    const { member, token } = await memberWithAdmin();
    const before = await memberRow(member.id);
    const r = await stack.gql<Result>(UPDATE, { input: { ...FORM, city: '東京都新宿区西新宿一二三四五', contactKana: 'レオパ タロウ', phone: '03-3000-000' } }, { token });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.updateMemberInfo.member).toBeNull();
    expect(r.body.data?.updateMemberInfo.userErrors).toEqual([
      { code: 'TOO_LONG', field: 'input.city', message: 'City can have at most 13 full-width characters ("（株）" counts as one).', messageJa: '市区郡は全角13文字以内で入力してください（「（株）」は1文字です）。' },
      { code: 'NOT_HALF_WIDTH_KANA', field: 'input.contactKana', message: expect.stringContaining('half-width katakana'), messageJa: '宛先3（ご担当者名カナ）は半角カナで入力してください（例: ﾔﾏﾀﾞ ﾀﾛｳ）。' },
      { code: 'PHONE_INVALID', field: 'input.phone', message: expect.stringContaining('Phone'), messageJa: '電話番号の形式が正しくありません（例: 03-3000-0000）。' },
    ]);
    expect(await memberRow(member.id)).toEqual(before);
    expect(await stack.sql("select 1 from tenancy.audit_event where member_id = $1 and action = 'MEMBER_INFO_UPDATED'", [member.id])).toEqual([]);
    // exactly 13 is fine
    const ok = await stack.gql<Result>(UPDATE, { input: { ...FORM, city: '東京都新宿区西新宿一二三四' } }, { token });
    expect(ok.body.data?.updateMemberInfo.userErrors).toEqual([]);
  });

  it('cannot change the head-office address', async () => {
    const { member, token } = await memberWithAdmin();
    const before = await memberRow(member.id);
    const r = await stack.gql(UPDATE, { input: { ...FORM, headOfficeAddress: '大阪府大阪市' } }, { token });
    expect(r.body.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(await memberRow(member.id)).toEqual(before);
  });

  it('changes only the caller\'s member', async () => {
    const a = await memberWithAdmin();
    const b = await memberWithAdmin();
    const beforeB = await memberRow(b.member.id);
    await stack.gql<Result>(UPDATE, { input: FORM }, { token: a.token });
    expect(await memberRow(b.member.id)).toEqual(beforeB);
    expect((await memberRow(a.member.id))!.mailing_city).toBe('東京都新宿区');
  });

  it('non-administrators may read but not change it: FORBIDDEN at the gateway and at the subgraph', async () => {
    const member = await stack.seed.member();
    const before = await memberRow(member.id);
    for (const perms of [{ billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' }, { billing: 'VIEW' }] as const) {
      const account = await stack.seed.account(member.id, perms);
      const token = await stack.login(account.loginId, account.password);
      expect((await stack.gql(MEMBER, {}, { token })).body.errors).toBeUndefined();
      expect((await stack.gql(UPDATE, { input: FORM }, { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await stack.callSubgraph('tenancy', UPDATE, { input: FORM }, { accountId: account.id })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await memberRow(member.id)).toEqual(before);
  });
});

describe('what was stored, and to whom documents go (issue 11 items 7 and 8)', () => {
  type Shown = { updateMemberInfo: { member: { addressee: Record<string, unknown> } | null; adjustments: { code: string; field: string; entered: string; stored: string; message: string; messageJa: string }[]; userErrors: { code: string; field: string; messageJa: string }[] } };

  it('half-width letters in a full-width field are stored full-width and the answer says so, field by field', async () => {
    const { token } = await memberWithAdmin();
    const r = await stack.gql<Shown>(UPDATE_SHOWN, { input: { ...FORM, contactName: 'Leo太郎' } }, { token });
    expect(r.body.errors).toBeUndefined();
    const shown = r.body.data!.updateMemberInfo;
    expect(shown.member?.addressee).toMatchObject({ contactName: 'Ｌｅｏ太郎' });
    expect(shown.adjustments).toContainEqual({
      code: 'CONVERTED_TO_FULL_WIDTH', field: 'input.contactName', entered: 'Leo太郎', stored: 'Ｌｅｏ太郎',
      message: 'Addressee 2 (contact name) was stored in full-width characters: "Ｌｅｏ太郎".', messageJa: '宛先2（ご担当者名）は全角に変換して登録しました:「Ｌｅｏ太郎」',
    });
    expect(shown.adjustments.map((a) => a.field).sort()).toEqual(['input.building', 'input.contactName', 'input.department', 'input.fax', 'input.postalCode', 'input.street']);
    // Sent again as stored: nothing to say.
    const again = await stack.gql<Shown>(UPDATE_SHOWN, { input: { ...FORM, postalCode: '163-8001', street: '西新宿２－８－１', building: '第一本庁舎\u3000７Ｆ', department: '㈱サンプル\u3000経理部', contactName: 'Ｌｅｏ太郎', fax: '03-3000-0001' } }, { token });
    expect(again.body.data?.updateMemberInfo.adjustments).toEqual([]);
  });

  it('addressee 2 is a contact person (様) by default or an organisation (御中) when chosen', async () => {
    const { member, token } = await memberWithAdmin();
    const person = await stack.gql<Shown>(UPDATE_SHOWN, { input: FORM }, { token });
    expect(person.body.data?.updateMemberInfo.member?.addressee).toMatchObject({ kind: 'CONTACT_PERSON', honorific: '様', contactName: 'レオパ太郎' });
    const org = await stack.gql<Shown>(UPDATE_SHOWN, { input: { ...FORM, contactName: '総務課', contactKana: null, addresseeKind: 'ORGANISATION' } }, { token });
    expect(org.body.data?.updateMemberInfo.userErrors).toEqual([]);
    expect(org.body.data?.updateMemberInfo.member?.addressee).toMatchObject({ kind: 'ORGANISATION', honorific: '御中', contactName: '総務課', contactKana: null });
    const [row] = await stack.sql<{ addressee_kind: string }>('select addressee_kind from tenancy.member where id = $1', [member.id]);
    expect(row?.addressee_kind).toBe('ORGANISATION');
    const [event] = await stack.sql<{ details: { after: Record<string, unknown> } }>("select details from tenancy.audit_event where member_id = $1 and action = 'MEMBER_INFO_UPDATED' order by seq desc limit 1", [member.id]);
    expect(event?.details.after).toMatchObject({ addresseeKind: 'ORGANISATION', contactName: '総務課' });
  });

  it('refuses an addressee that is another company (an outsourcing agent, 社宅代行会社), naming the field; nothing is saved', async () => {
    const { member, token } = await memberWithAdmin();
    await stack.gql<Shown>(UPDATE_SHOWN, { input: FORM }, { token });
    const before = await memberRow(member.id);
    for (const [patch, field] of [
      [{ contactName: '㈱リロ社宅', addresseeKind: 'ORGANISATION' }, 'input.contactName'],
      [{ department: '日本社宅株式会社 管理部' }, 'input.department'],
      [{ contactName: '社宅代行センター', addresseeKind: 'ORGANISATION' }, 'input.contactName'],
    ] as const) {
      const r = await stack.gql<Shown>(UPDATE_SHOWN, { input: { ...FORM, ...patch } }, { token });
      expect(r.body.data?.updateMemberInfo.member).toBeNull();
      expect(r.body.data?.updateMemberInfo.userErrors).toEqual([expect.objectContaining({ code: 'OUTSOURCING_AGENT_ADDRESSEE', field })]);
      expect(r.body.data?.updateMemberInfo.userErrors[0]?.messageJa).toContain('社宅代行会社様になる場合は、こちらでは変更できません');
    }
    expect(await memberRow(member.id)).toEqual(before);
    // The member's own name is its own: allowed.
    const own = await stack.gql<Shown>(UPDATE_SHOWN, { input: { ...FORM, contactName: '㈱サンプル', addresseeKind: 'ORGANISATION' } }, { token });
    expect(own.body.data?.updateMemberInfo.userErrors).toEqual([]);
  });
});

describe('postal-code lookup (郵便番号検索)', () => {
  it('finds addresses offline for any logged-in account, and needs a session', async () => {
    const member = await stack.seed.member();
    const viewer = await stack.seed.account(member.id);
    const token = await stack.login(viewer.loginId, viewer.password);
    const Q = 'query($c: String!) { postalCodeLookup(postalCode: $c) { postalCode prefecture city town } }';
    const r = await stack.gql<{ postalCodeLookup: unknown[] }>(Q, { c: '104-0061' }, { token });
    expect(r.body.data?.postalCodeLookup).toEqual([{ postalCode: '104-0061', prefecture: '東京都', city: '中央区', town: '銀座' }]);
    expect((await stack.gql<{ postalCodeLookup: unknown[] }>(Q, { c: 'abc' }, { token })).body.data?.postalCodeLookup).toEqual([]);
    expect((await stack.gql(Q, { c: '104-0061' })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
