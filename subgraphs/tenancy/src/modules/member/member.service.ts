import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserError } from '@portal/subgraph-kit';
import { recordAudit, auditTarget, type AuditContext } from '../audit/audit.ts';
import { transactionally } from '../transaction.ts';
import { Member, type IMember } from './member.entity.ts';
import { lockMember } from './member-lock.ts';
import { MEMBER_INFO_FIELDS, checkMemberInfo, type MemberInfo, type MemberInfoField } from './member-info.rule.ts';
import { memberInfoError } from './member-info.errors.ts';
import { lookupPostalCode, type PostalAddress } from './postal-code.ts';

export interface MemberContext extends AuditContext {
  em: EntityManager;
  identity: NonNullable<AuditContext['identity']>;
}

/** The entity column behind each editable field; the head office is not among them (read-only here). */
type InfoColumn = 'mailingPostalCode' | 'mailingCity' | 'mailingStreet' | 'mailingBuilding' | 'addresseeDepartment' | 'addresseeContactName' | 'addresseeContactKana' | 'phone' | 'fax';
const COLUMN: Record<MemberInfoField, InfoColumn> = {
  postalCode: 'mailingPostalCode',
  city: 'mailingCity',
  street: 'mailingStreet',
  building: 'mailingBuilding',
  department: 'addresseeDepartment',
  contactName: 'addresseeContactName',
  contactKana: 'addresseeContactKana',
  phone: 'phone',
  fax: 'fax',
};

export type MemberInfoResult = { ok: true; member: IMember } | { ok: false; userErrors: UserError[] };

/** Member information (法人会員情報変更): the mailing address for documents, addressee, phone and fax. */
export class MemberService {
  constructor(private readonly ctx: MemberContext) {}

  lookupPostalCode(postalCode: string): PostalAddress[] {
    return lookupPostalCode(postalCode);
  }

  /**
   * Replaces the editable member information with the form's values. Every field is validated
   * first; any error refuses the whole change (nothing saved) and names each failing field.
   */
  async update(raw: unknown): Promise<MemberInfoResult> {
    const checked = checkMemberInfo(raw);
    if (!checked.ok) return { ok: false, userErrors: checked.errors.map((e) => memberInfoError(e.field, e.code)) };
    const memberId = this.ctx.identity.memberId!;
    return transactionally(this.ctx.em, async (em) => {
      await lockMember(em, memberId);
      const member = await em.findOneOrFail(Member, { id: memberId });
      const before: Partial<MemberInfo> = {};
      const after: Partial<MemberInfo> = {};
      for (const field of MEMBER_INFO_FIELDS) {
        const column = COLUMN[field];
        const value = checked.value[field];
        if ((member[column] ?? null) === value) continue;
        before[field] = member[column] ?? null;
        after[field] = value;
        (member as Record<InfoColumn, string | null>)[column] = value;
      }
      if (Object.keys(after).length === 0) return { ok: true as const, member };
      member.updatedAt = this.ctx.clock.now();
      await em.flush();
      await recordAudit(em, this.ctx, { action: 'MEMBER_INFO_UPDATED', target: auditTarget('Member', member.id, member.memberNumber), details: { before, after } });
      return { ok: true as const, member };
    });
  }
}
