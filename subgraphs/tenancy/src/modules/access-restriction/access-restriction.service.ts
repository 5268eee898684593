import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ipAllowed } from '@portal/auth';
import type { UserError } from '@portal/subgraph-kit';
import { IpAllowEntry, type IIpAllowEntry } from '../identity/ip-allow-entry.entity.ts';
import { Member } from '../member/member.entity.ts';
import { lockMember } from '../member/member-lock.ts';
import { recordAudit, auditTarget, type AuditContext, type AuditEntry } from '../audit/audit.ts';
import { transactionally } from '../transaction.ts';
import { isUuid } from '../ids.ts';
import { userErrorsFrom } from '../validation.ts';
import { MAX_ALLOW_LIST_ENTRIES, NOTE_MAX_LENGTH, locksOut, normalizeAllowEntry } from './allow-list.rule.ts';
import { ACCESS_RESTRICTION_ERRORS, accessRestrictionError } from './access-restriction.errors.ts';

const address = z.string().transform((s, ctx) => {
  const normalized = normalizeAllowEntry(s.normalize('NFKC'));
  if (!normalized) {
    ctx.addIssue({ code: 'custom', message: 'ADDRESS_INVALID' });
    return z.NEVER;
  }
  return normalized;
});
const note = z
  .string()
  .nullish()
  .transform((s) => s?.normalize('NFC').trim() || null)
  .refine((s) => s === null || [...s].length <= NOTE_MAX_LENGTH, 'NOTE_TOO_LONG');
const confirmLockout = z.boolean().nullish().transform((v) => v ?? false);

const addInput = z.object({ address, note, confirmLockout });
const updateInput = z.object({ id: z.string(), address: address.nullish(), note: z.string().nullish(), confirmLockout });
const deleteInput = z.object({ id: z.string(), confirmLockout });

export interface AccessRestrictionContext extends AuditContext {
  em: EntityManager;
  identity: NonNullable<AuditContext['identity']> & { memberId: string | null };
}

export type AllowListResult = { ok: true; entry: IIpAllowEntry | null; allowList: IIpAllowEntry[] } | { ok: false; userErrors: UserError[] };
const fail = (...userErrors: UserError[]) => ({ ok: false as const, userErrors });
const byCreation = { orderBy: { createdAt: 'asc', id: 'asc' } } as const;

/**
 * The member's IP allow-list (アクセス制限). The gateway reads the list on every request
 * (tenancy.resolve_session), so a change applies to every session from its next request on.
 */
export class AccessRestrictionService {
  constructor(private readonly ctx: AccessRestrictionContext) {}

  private get memberId(): string {
    const id = this.ctx.identity.memberId;
    if (!id) throw new Error('the allow-list belongs to a member');
    return id;
  }

  list(): Promise<IIpAllowEntry[]> {
    return this.ctx.em.find(IpAllowEntry, {}, byCreation);
  }

  /** The caller's address as the gateway saw it (IPアドレス取得). */
  myAddress(): string {
    return this.ctx.identity.clientIp;
  }

  includesCaller(entry: IIpAllowEntry): boolean {
    return ipAllowed(this.ctx.identity.clientIp, [entry.cidr]);
  }

  /**
   * Runs a change of the list in one transaction: `apply` changes entities and says what to
   * record; the lock-out check sees the list as it would be after the change; a refusal rolls
   * everything back.
   */
  private change(
    confirm: boolean,
    apply: (em: EntityManager, current: IIpAllowEntry[]) => Promise<{ entry: IIpAllowEntry | null; after: IIpAllowEntry[]; audit: AuditEntry | null } | UserError>,
  ): Promise<AllowListResult> {
    return transactionally(
      this.ctx.em,
      async (em) => {
        await lockMember(em, this.memberId);
        const current = await em.find(IpAllowEntry, {}, byCreation);
        const outcome = await apply(em, current);
        if ('code' in outcome) return fail(outcome);
        const lockout = locksOut(this.ctx.identity.clientIp, outcome.after.map((e) => e.cidr));
        if (lockout && !confirm) return fail(accessRestrictionError('LOCKOUT_NOT_CONFIRMED', 'input.confirmLockout'));
        await em.flush();
        if (outcome.audit) await recordAudit(em, this.ctx, { ...outcome.audit, details: { ...outcome.audit.details, entries: outcome.after.length, lockoutConfirmed: lockout } });
        return { ok: true as const, entry: outcome.entry, allowList: outcome.after };
      },
      () => fail(accessRestrictionError('ADDRESS_DUPLICATE', 'input.address')),
    );
  }

  async add(raw: unknown): Promise<AllowListResult> {
    const parsed = addInput.safeParse(raw);
    if (!parsed.success) return fail(...userErrorsFrom(parsed.error, ACCESS_RESTRICTION_ERRORS));
    const input = parsed.data;
    return this.change(input.confirmLockout, async (em, current) => {
      if (current.length >= MAX_ALLOW_LIST_ENTRIES) return accessRestrictionError('TOO_MANY_ENTRIES', 'input.address');
      if (current.some((e) => e.cidr === input.address)) return accessRestrictionError('ADDRESS_DUPLICATE', 'input.address');
      const now = this.ctx.clock.now();
      const entry = em.create(IpAllowEntry, { id: randomUUID(), memberId: this.memberId, cidr: input.address, note: input.note, createdAt: now, updatedAt: now });
      return {
        entry,
        after: [...current, entry],
        audit: { action: 'ALLOW_LIST_ENTRY_ADDED', target: auditTarget('IpAllowEntry', entry.id, entry.cidr), details: { after: { address: entry.cidr, note: entry.note } } },
      };
    });
  }

  async update(raw: unknown): Promise<AllowListResult> {
    const parsed = updateInput.safeParse(raw);
    if (!parsed.success) return fail(...userErrorsFrom(parsed.error, ACCESS_RESTRICTION_ERRORS));
    const input = parsed.data;
    const noteParsed = note.safeParse(input.note);
    if (input.note !== undefined && !noteParsed.success) return fail(...userErrorsFrom(noteParsed.error, ACCESS_RESTRICTION_ERRORS, 'input.note'));
    if (!isUuid(input.id)) return fail(accessRestrictionError('ENTRY_NOT_FOUND', 'input.id'));
    return this.change(input.confirmLockout, async (em, current) => {
      const entry = current.find((e) => e.id === input.id);
      if (!entry) return accessRestrictionError('ENTRY_NOT_FOUND', 'input.id');
      const before = { address: entry.cidr, note: entry.note };
      if (input.address && input.address !== entry.cidr) {
        if (current.some((e) => e.id !== entry.id && e.cidr === input.address)) return accessRestrictionError('ADDRESS_DUPLICATE', 'input.address');
        entry.cidr = input.address;
      }
      if (input.note !== undefined && noteParsed.success) entry.note = noteParsed.data;
      if (before.address === entry.cidr && before.note === entry.note) return { entry, after: current, audit: null };
      entry.updatedAt = this.ctx.clock.now();
      return {
        entry,
        after: current,
        audit: { action: 'ALLOW_LIST_ENTRY_UPDATED', target: auditTarget('IpAllowEntry', entry.id, entry.cidr), details: { before, after: { address: entry.cidr, note: entry.note } } },
      };
    });
  }

  async delete(raw: unknown): Promise<AllowListResult> {
    const parsed = deleteInput.safeParse(raw);
    if (!parsed.success) return fail(...userErrorsFrom(parsed.error, ACCESS_RESTRICTION_ERRORS));
    const input = parsed.data;
    if (!isUuid(input.id)) return fail(accessRestrictionError('ENTRY_NOT_FOUND', 'input.id'));
    return this.change(input.confirmLockout, async (em, current) => {
      const entry = current.find((e) => e.id === input.id);
      if (!entry) return accessRestrictionError('ENTRY_NOT_FOUND', 'input.id');
      const after = current.filter((e) => e.id !== entry.id);
      em.remove(entry);
      return {
        entry: null,
        after,
        audit: { action: 'ALLOW_LIST_ENTRY_DELETED', target: auditTarget('IpAllowEntry', entry.id, entry.cidr), details: { before: { address: entry.cidr, note: entry.note } } },
      };
    });
  }
}

export type ResetResult = { ok: true; memberId: string; removed: string[] } | { ok: false; userErrors: UserError[] };

/**
 * The leasing company's reset for a member that locked itself out (IPアドレス制限のリセット):
 * removes every entry of the member and records who did it and why, in one transaction. Used by
 * the operator CLI (`npm run operator -- reset-allow-list`) and the operator-only mutation.
 * `em` needs no member filter binding: the member is named explicitly.
 */
export async function resetAllowList(
  em: EntityManager,
  ctx: AuditContext,
  memberNumber: string,
  by: { operatorLoginId?: string | null; reason?: string | null },
): Promise<ResetResult> {
  const member = /^\d{8}$/.test(memberNumber) ? await em.findOne(Member, { memberNumber }, { filters: false }) : null;
  if (!member) return { ok: false, userErrors: [accessRestrictionError('MEMBER_NOT_FOUND', 'memberNumber')] };
  return transactionally(em, async (tx) => {
    await lockMember(tx, member.id);
    const entries = await tx.find(IpAllowEntry, { memberId: member.id }, { filters: false, orderBy: { createdAt: 'asc' } });
    await tx.nativeDelete(IpAllowEntry, { memberId: member.id }, { filters: false });
    const removed = entries.map((e) => e.cidr);
    await recordAudit(tx, ctx, {
      action: 'ALLOW_LIST_RESET',
      memberId: member.id,
      actor: { type: 'OPERATOR', accountId: ctx.identity?.kind === 'operator' ? ctx.identity.accountId : null, loginId: by.operatorLoginId ?? null },
      target: auditTarget('Member', member.id, member.memberNumber),
      details: { removed, reason: by.reason ?? null },
    });
    return { ok: true as const, memberId: member.id, removed };
  });
}
