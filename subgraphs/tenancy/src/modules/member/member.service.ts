import type { EntityManager } from '@mikro-orm/postgresql';
import { fromMikroOrm } from '@portal/platform';
import type { PlatformServices, UserError } from '@portal/subgraph-kit';
import { recordAudit, auditTarget, type AuditContext } from '../audit/audit.ts';
import { transactionally } from '../transaction.ts';
import { Member, type IMember } from './member.entity.ts';
import { lockMember } from './member-lock.ts';
import { ADDRESSEE_KINDS, MEMBER_INFO_FIELDS, adjustmentsOf, checkMemberInfo, outsourcingAgentField, type AddresseeKind, type MemberInfo, type MemberInfoField } from './member-info.rule.ts';
import { memberInfoAdjustment, memberInfoError } from './member-info.errors.ts';
import { recordMemberUpdated } from '../member-events/member-events.outbox.ts';
import { kickRoomEventRelay } from '../room-events/room-events.jobs.ts';
import { lookupPostalCode, type PostalAddress } from './postal-code.ts';

export interface MemberContext extends AuditContext {
  em: EntityManager;
  identity: NonNullable<AuditContext['identity']>;
  services?: Pick<PlatformServices, 'jobs'>;
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

export type MemberInfoResult = { ok: true; member: IMember; adjustments: ReturnType<typeof memberInfoAdjustment>[] } | { ok: false; userErrors: UserError[] };

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
    const input = (raw ?? {}) as Partial<Record<MemberInfoField, string | null>> & { addresseeKind?: AddresseeKind | null };
    const kind: AddresseeKind = input.addresseeKind && ADDRESSEE_KINDS.includes(input.addresseeKind) ? input.addresseeKind : 'CONTACT_PERSON';
    const adjustments = adjustmentsOf(input, checked.value).map(memberInfoAdjustment);
    const memberId = this.ctx.identity.memberId!;
    type Saved = { ok: true; member: IMember; adjustments: typeof adjustments; changed: boolean };
    const result = await transactionally<Saved>(this.ctx.em, async (em) => {
      await lockMember(em, memberId);
      const member = await em.findOneOrFail(Member, { id: memberId });
      const agent = outsourcingAgentField(checked.value, member.name);
      if (agent) return { ok: false as const, userErrors: [memberInfoError(agent, 'OUTSOURCING_AGENT_ADDRESSEE')] };
      const before: Partial<MemberInfo> & { addresseeKind?: AddresseeKind } = {};
      const after: Partial<MemberInfo> & { addresseeKind?: AddresseeKind } = {};
      for (const field of MEMBER_INFO_FIELDS) {
        const column = COLUMN[field];
        const value = checked.value[field];
        if ((member[column] ?? null) === value) continue;
        before[field] = member[column] ?? null;
        after[field] = value;
        (member as Record<InfoColumn, string | null>)[column] = value;
      }
      if (member.addresseeKind !== kind) {
        before.addresseeKind = member.addresseeKind;
        after.addresseeKind = kind;
        member.addresseeKind = kind;
      }
      if (Object.keys(after).length === 0) return { ok: true as const, member, adjustments, changed: false };
      member.updatedAt = this.ctx.clock.now();
      await em.flush();
      await recordAudit(em, this.ctx, { action: 'MEMBER_INFO_UPDATED', target: auditTarget('Member', member.id, member.memberNumber), details: { before, after } });
      // Billing prints the addressee on refund statements from its read model (member.updated).
      await recordMemberUpdated(fromMikroOrm(em), member.id);
      return { ok: true as const, member, adjustments, changed: true };
    });
    if (!result.ok) return result;
    // After commit: publish now rather than at the relay's next minute (the cron is the safety net).
    if (result.changed && this.ctx.services?.jobs) await kickRoomEventRelay(this.ctx.services.jobs);
    return { ok: true, member: result.member, adjustments: result.adjustments };
  }
}
