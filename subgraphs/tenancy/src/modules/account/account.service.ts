import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity, Permissions } from '@portal/auth';
import { fromMikroOrm, type Clock, type JobQueue } from '@portal/platform';
import type { UserError } from '@portal/subgraph-kit';
import { Account, type IAccount } from '../identity/account.entity.ts';
import { Session } from '../identity/session.entity.ts';
import { permissionsOf } from '../identity/identity.service.ts';
import { hashPassword, verifyPassword } from '../identity/password.ts';
import { ATTEMPT_PURPOSE, attemptLimiter } from '../identity/attempt-limiter.ts';
import { recordAudit, auditTarget } from '../audit/audit.ts';
import { isUuid } from '../ids.ts';
import { lockMember } from '../member/member-lock.ts';
import { transactionally } from '../transaction.ts';
import { recordAccountUpserts } from '../member-events/member-events.outbox.ts';
import { kickRoomEventRelay } from '../room-events/room-events.jobs.ts';
import { userErrorsFrom } from '../validation.ts';
import { accountChangeViolation, mustBeAdministrator } from './account.rule.ts';
import { generatePassword, passwordProblem } from './password-policy.rule.ts';
import { ACCOUNT_ERRORS, accountError } from './account.errors.ts';
import { createAccountInput, updateAccountInput, type PermissionsInput } from './account.validation.ts';

export interface AccountContext {
  em: EntityManager;
  clock: Clock;
  identity: Pick<Identity, 'kind' | 'accountId' | 'memberId' | 'sessionId' | 'clientIp' | 'requestId'>;
  services?: { jobs: JobQueue | null };
}

export type AccountResult<T> = ({ ok: true } & T) | { ok: false; userErrors: UserError[] };
const fail = (...userErrors: UserError[]) => ({ ok: false as const, userErrors });

function levelsOf(p: PermissionsInput) {
  return { isAdmin: p.admin, billingLevel: p.billing, cancellationLevel: p.cancellation, residentsLevel: p.residents, smartlockLevel: p.smartlock, fireInsuranceLevel: p.fireInsurance };
}

const samePermissions = (a: Permissions, b: Permissions) => (Object.keys(a) as (keyof Permissions)[]).every((k) => a[k] === b[k]);

/**
 * Account management (担当者情報変更) for administrators, and every account's own password change.
 * Each change runs in one transaction with its audit record; sessions are revoked in the same
 * transaction when an account is deleted or its password changes. Permission changes need no
 * revocation: the gateway reads the current permissions on every request.
 */
export class AccountService {
  constructor(private readonly ctx: AccountContext) {}

  private get memberId(): string {
    const id = this.ctx.identity.memberId;
    if (!id) throw new Error('account management needs a member');
    return id;
  }

  list(): Promise<IAccount[]> {
    return this.ctx.em.find(Account, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async byId(id: string): Promise<IAccount | null> {
    return isUuid(id) ? this.ctx.em.findOne(Account, { id }) : null;
  }

  private async loginIdTaken(em: EntityManager, loginId: string, exceptId: string | null): Promise<boolean> {
    // Login IDs are unique across all members (login asks only for the ID). Row-level security hides
    // other members' accounts from this request, so a SQL function answers whose ID it is (and only that).
    const rows = await em.execute<{ id: string | null }[]>('select tenancy.login_id_owner(?) as id', [loginId]);
    const owner = rows[0]?.id ?? null;
    return owner !== null && owner !== exceptId;
  }

  /**
   * Creates an account of the caller's member (or of `memberId`, for operator tooling with the
   * member filter bound to it). The member's first account is always its administrator.
   * Without `initialPassword` one is generated and returned once.
   */
  async create(raw: unknown, memberId: string = this.memberId): Promise<AccountResult<{ account: IAccount; generatedPassword: string | null }>> {
    const parsed = createAccountInput.safeParse(raw);
    if (!parsed.success) return fail(...userErrorsFrom(parsed.error, ACCOUNT_ERRORS));
    const input = parsed.data;
    let password = input.initialPassword ?? null;
    if (password !== null) {
      const problem = passwordProblem(password, { loginId: input.loginId });
      if (problem) return fail(accountError(problem, 'input.initialPassword'));
    }
    const generatedPassword = password === null ? generatePassword() : null;
    password ??= generatedPassword!;
    const passwordHash = await hashPassword(password);
    const now = this.ctx.clock.now();
    const created = await transactionally(
      this.ctx.em,
      async (em) => {
        await lockMember(em, memberId);
        if (await this.loginIdTaken(em, input.loginId, null)) return fail(accountError('LOGIN_ID_TAKEN', 'input.loginId'));
        const existing = await em.count(Account, {});
        const permissions = { ...input.permissions, admin: input.permissions.admin || mustBeAdministrator(existing) };
        const account = em.create(Account, {
          id: randomUUID(),
          memberId,
          loginId: input.loginId,
          name: input.name,
          email: input.email,
          passwordHash,
          ...levelsOf(permissions),
          cancellationNotify: input.cancellationNotify,
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        await recordAudit(em, this.ctx, {
          action: 'ACCOUNT_CREATED',
          memberId,
          target: auditTarget('Account', account.id, account.loginId),
          details: {
            after: { loginId: account.loginId, name: account.name, email: account.email, permissions, cancellationNotify: account.cancellationNotify },
            firstAccount: existing === 0,
            initialLogin: generatedPassword ? 'GENERATED' : 'SET_BY_ADMINISTRATOR',
          },
        });
        // Billing shows this name as who held, confirmed or reserved (account.upserted → billing.account_ref).
        await recordAccountUpserts(fromMikroOrm(em), [account.id]);
        return { ok: true as const, account, generatedPassword };
      },
      () => fail(accountError('LOGIN_ID_TAKEN', 'input.loginId')),
    );
    if (created.ok) await this.publishAccountEvents();
    return created;
  }

  /** Changes login ID, name, e-mail, notification switch and/or permissions (only the fields given). */
  async update(raw: unknown): Promise<AccountResult<{ account: IAccount }>> {
    const parsed = updateAccountInput.safeParse(raw);
    if (!parsed.success) return fail(...userErrorsFrom(parsed.error, ACCOUNT_ERRORS));
    const input = parsed.data;
    if (!isUuid(input.id)) return fail(accountError('ACCOUNT_NOT_FOUND', 'input.id'));
    const updated = await transactionally(
      this.ctx.em,
      async (em) => {
        await lockMember(em, this.memberId);
        const account = await em.findOne(Account, { id: input.id });
        if (!account) return fail(accountError('ACCOUNT_NOT_FOUND', 'input.id'));
        const beforePermissions = permissionsOf(account);
        if (input.permissions && input.permissions.admin !== account.isAdmin) {
          const all = await em.find(Account, {}, { fields: ['id', 'isAdmin'] });
          const violation = accountChangeViolation(all, { kind: 'set-admin', id: account.id, isAdmin: input.permissions.admin });
          if (violation) return fail(accountError(violation, 'input.permissions.admin'));
        }
        if (input.loginId && input.loginId !== account.loginId && (await this.loginIdTaken(em, input.loginId, account.id))) {
          return fail(accountError('LOGIN_ID_TAKEN', 'input.loginId'));
        }
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        for (const key of ['loginId', 'name', 'email', 'cancellationNotify'] as const) {
          const value = input[key];
          if (value === null || value === undefined || value === account[key]) continue;
          before[key] = account[key];
          after[key] = value;
        }
        Object.assign(account, after);
        const permissionsChanged = !!input.permissions && !samePermissions(beforePermissions, input.permissions);
        if (permissionsChanged) Object.assign(account, levelsOf(input.permissions!));
        if (Object.keys(after).length === 0 && !permissionsChanged) return { ok: true as const, account };
        account.updatedAt = this.ctx.clock.now();
        await em.flush();
        const target = auditTarget('Account', account.id, account.loginId);
        if (Object.keys(after).length > 0) await recordAudit(em, this.ctx, { action: 'ACCOUNT_UPDATED', target, details: { before, after } });
        if (permissionsChanged) await recordAudit(em, this.ctx, { action: 'PERMISSIONS_CHANGED', target, details: { before: beforePermissions, after: input.permissions } });
        if ('name' in after) await recordAccountUpserts(fromMikroOrm(em), [account.id]);
        return { ok: true as const, account };
      },
      () => fail(accountError('LOGIN_ID_TAKEN', 'input.loginId')),
    );
    if (updated.ok) await this.publishAccountEvents();
    return updated;
  }

  /** Deletes an account and ends its sessions at once. Never the last account or the last administrator. */
  /** After commit: the relay publishes account.upserted now, not at its next minute (the cron is the safety net). */
  private async publishAccountEvents(): Promise<void> {
    if (this.ctx.services?.jobs) await kickRoomEventRelay(this.ctx.services.jobs);
  }

  async delete(id: string): Promise<AccountResult<{ deletedAccountId: string }>> {
    if (!isUuid(id)) return fail(accountError('ACCOUNT_NOT_FOUND', 'input.id'));
    return transactionally(this.ctx.em, async (em) => {
      await lockMember(em, this.memberId);
      const all = await em.find(Account, {}, { fields: ['id', 'isAdmin', 'loginId', 'name', 'email'] });
      const account = all.find((a) => a.id === id);
      if (!account) return fail(accountError('ACCOUNT_NOT_FOUND', 'input.id'));
      const violation = accountChangeViolation(all, { kind: 'delete', id });
      if (violation) return fail(accountError(violation, 'input.id'));
      const sessionsRevoked = await em.nativeDelete(Session, { accountId: id });
      await em.nativeDelete(Account, { id });
      await recordAudit(em, this.ctx, {
        action: 'ACCOUNT_DELETED',
        target: auditTarget('Account', id, account.loginId),
        details: { before: { loginId: account.loginId, name: account.name, email: account.email, isAdmin: account.isAdmin }, sessionsRevoked },
      });
      return { ok: true as const, deletedAccountId: id };
    });
  }

  /**
   * An administrator sets a new password for another account (given, or generated and returned
   * once): the account's sessions end and the login limiter forgets the account's login ID
   * (its blocks and delays end).
   */
  async resetPassword(id: string, newPassword: string | null | undefined): Promise<AccountResult<{ account: IAccount; generatedPassword: string | null }>> {
    if (!isUuid(id)) return fail(accountError('ACCOUNT_NOT_FOUND', 'input.id'));
    if (id === this.ctx.identity.accountId) return fail(accountError('RESET_OWN_PASSWORD', 'input.id'));
    const target = await this.ctx.em.findOne(Account, { id });
    if (!target) return fail(accountError('ACCOUNT_NOT_FOUND', 'input.id'));
    if (newPassword) {
      const problem = passwordProblem(newPassword, { loginId: target.loginId });
      if (problem) return fail(accountError(problem, 'input.newPassword'));
    }
    const generatedPassword = newPassword ? null : generatePassword();
    const passwordHash = await hashPassword(newPassword || generatedPassword!);
    return transactionally(this.ctx.em, async (em) => {
      const account = await em.findOne(Account, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!account) return fail(accountError('ACCOUNT_NOT_FOUND', 'input.id'));
      const now = this.ctx.clock.now();
      Object.assign(account, { passwordHash, passwordChangedAt: now, updatedAt: now });
      await em.flush();
      // The owner gets in with the new password at once, even from an address an attacker got blocked.
      await attemptLimiter.forgetSubject(fromMikroOrm(em), ATTEMPT_PURPOSE.login, account.loginId);
      const sessionsRevoked = await em.nativeDelete(Session, { accountId: id });
      await recordAudit(em, this.ctx, {
        action: 'PASSWORD_RESET',
        target: auditTarget('Account', id, account.loginId),
        details: { generated: !!generatedPassword, sessionsRevoked },
      });
      return { ok: true as const, account, generatedPassword };
    });
  }

  /** The caller changes its own password; its other sessions end, the current one stays. */
  async changeOwnPassword(currentPassword: string, newPassword: string): Promise<AccountResult<{ ok: true }>> {
    const accountId = this.ctx.identity.accountId;
    const account = accountId ? await this.ctx.em.findOne(Account, { id: accountId }, { populate: ['passwordHash'] }) : null;
    if (!account) return fail(accountError('ACCOUNT_NOT_FOUND', null));
    const refused = await this.checkCurrentPassword(account, currentPassword);
    if (refused) return fail(refused);
    const problem = passwordProblem(newPassword, { loginId: account.loginId });
    if (problem) return fail(accountError(problem, 'input.newPassword'));
    if (newPassword.normalize('NFC') === currentPassword.normalize('NFC')) return fail(accountError('PASSWORD_UNCHANGED', 'input.newPassword'));
    const passwordHash = await hashPassword(newPassword);
    return transactionally(this.ctx.em, async (em) => {
      const now = this.ctx.clock.now();
      await em.nativeUpdate(Account, { id: account.id }, { passwordHash, passwordChangedAt: now, updatedAt: now });
      const sessionId = this.ctx.identity.sessionId;
      const otherSessionsRevoked = await em.nativeDelete(Session, sessionId ? { accountId: account.id, id: { $ne: sessionId } } : { accountId: account.id });
      await recordAudit(em, this.ctx, { action: 'PASSWORD_CHANGED', target: auditTarget('Account', account.id, account.loginId), details: { otherSessionsRevoked } });
      return { ok: true as const };
    });
  }

  /**
   * The current password, checked through the attempt limiter (purpose `password-change`, keyed by
   * the account and the client address): a stolen session cannot guess it at leisure. During a
   * block even the right password is refused, with TOO_MANY_ATTEMPTS (the caller is signed in:
   * naming the block tells nothing about the password); each failure waits the limiter's delay.
   */
  private async checkCurrentPassword(account: IAccount, currentPassword: string): Promise<UserError | null> {
    const passwordOk = await verifyPassword(currentPassword, account.passwordHash);
    const verdict = await this.ctx.em.transactional(async (em) => {
      const exec = fromMikroOrm(em);
      const check = await attemptLimiter.check(exec, { purpose: ATTEMPT_PURPOSE.passwordChange, clientIp: this.ctx.identity.clientIp, subject: account.id });
      await attemptLimiter.settle(exec, check, { failed: check.verdict.blocked || !passwordOk });
      return check.verdict;
    });
    if (verdict.blocked || !passwordOk) {
      if (verdict.delayMs > 0) await sleep(verdict.delayMs);
      return verdict.blocked ? accountError('TOO_MANY_ATTEMPTS', 'input.currentPassword') : accountError('CURRENT_PASSWORD_INCORRECT', 'input.currentPassword');
    }
    return null;
  }
}
