import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ipAllowed, scopesFor, type Identity, type Permissions } from '@portal/auth';
import { runAsSystem, type Clock } from '@portal/platform';
import { userError, type UserError } from '@portal/subgraph-kit';
import { Account, type IAccount } from './account.entity.ts';
import { Session } from './session.entity.ts';
import { IpAllowEntry } from './ip-allow-entry.entity.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { afterFailedLogin, isLocked } from './login-throttle.rule.ts';
import { insertSession, newSessionToken } from './session-token.ts';
import { recordAudit, auditTarget, type AuditContext } from '../audit/audit.ts';
import { normalizeLoginId } from '../account/account.rule.ts';

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; userErrors: UserError[] };

const INVALID = userError('INVALID_CREDENTIALS', null, {
  en: 'The login ID or password is incorrect.',
  ja: 'ログインIDまたはパスワードが正しくありません。',
});

export function permissionsOf(a: IAccount): Permissions {
  return {
    billing: a.billingLevel as Permissions['billing'],
    cancellation: a.cancellationLevel as Permissions['cancellation'],
    residents: a.residentsLevel as Permissions['residents'],
    smartlock: a.smartlockLevel as Permissions['smartlock'],
    fireInsurance: a.fireInsuranceLevel as Permissions['fireInsurance'],
    admin: a.isAdmin,
  };
}

export class IdentityService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  /**
   * Logs in with a login ID and password. Unknown IDs cost the same scrypt work as known ones and
   * get the same answer; failures slow down and soft-lock the account (login-throttle.rule.ts).
   * The member's IP allow-list is checked only after the password, so it reveals nothing either.
   * Every outcome is recorded in the audit trail, in the transaction that records its effects:
   * a failure against an account goes to that account's member; a failure with an unknown login ID
   * is recorded without member and without the typed ID (it may be a mistyped password), for the
   * back office only.
   */
  login(loginId: string, password: string, ctx: AuditContext): Promise<LoginResult> {
    // No member is known before the password is checked: row-level security's system scope, named here.
    return runAsSystem('member login', () => this.checkLogin(loginId, password, ctx));
  }

  private async checkLogin(loginId: string, password: string, ctx: AuditContext): Promise<LoginResult> {
    const clientIp = ctx.identity?.clientIp ?? '';
    // Login happens before any member is known: the one place that reads accounts unscoped.
    const account = await this.em.findOne(Account, { loginId: normalizeLoginId(loginId) }, { filters: false, populate: ['passwordHash'] });
    if (!account) {
      await verifyPassword(password, await dummyHash());
      await this.em.transactional((em) => recordAudit(em, ctx, { action: 'LOGIN_FAILED', memberId: null, actor: { type: 'ANONYMOUS' }, details: { reason: 'UNKNOWN_LOGIN_ID' } }));
      return { ok: false, userErrors: [INVALID] };
    }
    const target = auditTarget('Account', account.id, account.loginId);
    const failed = (em: EntityManager, reason: string, extra: Record<string, unknown> = {}) =>
      recordAudit(em, ctx, { action: 'LOGIN_FAILED', memberId: account.memberId, actor: { type: 'ANONYMOUS', loginId: account.loginId }, target, details: { reason, ...extra } });
    const passwordOk = await verifyPassword(password, account.passwordHash);
    if (!passwordOk || isLocked(account.lockedUntil, this.clock.now())) {
      let delayMs = 0;
      await this.em.transactional(async (em) => {
        if (passwordOk) return failed(em, 'ACCOUNT_LOCKED');
        const locked = await em.findOneOrFail(Account, { id: account.id }, { filters: false, lockMode: LockMode.PESSIMISTIC_WRITE });
        locked.failedLoginCount += 1;
        const verdict = afterFailedLogin(locked.failedLoginCount, this.clock.now());
        if (verdict.lockedUntil) locked.lockedUntil = verdict.lockedUntil;
        delayMs = verdict.delayMs;
        await em.flush();
        await failed(em, 'WRONG_PASSWORD', { consecutiveFailures: locked.failedLoginCount, lockedUntil: verdict.lockedUntil });
      });
      if (delayMs > 0) await sleep(delayMs);
      return { ok: false, userErrors: [INVALID] };
    }
    const allowList = await this.em.find(IpAllowEntry, { memberId: account.memberId }, { filters: false });
    if (allowList.length > 0 && !ipAllowed(clientIp, allowList.map((e) => e.cidr))) {
      await this.em.transactional((em) => failed(em, 'IP_NOT_ALLOWED'));
      throw new GraphQLError('Access from this IP address is not allowed. このIPアドレスからのアクセスは許可されていません。', {
        extensions: { code: 'IP_NOT_ALLOWED' },
      });
    }
    const token = newSessionToken();
    const expiresAt = await this.em.transactional(async (em) => {
      await em.nativeUpdate(Account, { id: account.id }, { failedLoginCount: 0, lockedUntil: null }, { filters: false });
      const expires = await insertSession((sql, params) => em.execute(sql, params), { accountId: account.id, memberId: account.memberId }, token, clientIp);
      await recordAudit(em, ctx, { action: 'LOGIN_SUCCEEDED', memberId: account.memberId, actor: { type: 'ACCOUNT', accountId: account.id, loginId: account.loginId }, target });
      return expires;
    });
    return { ok: true, token, expiresAt };
  }

  /** Ends the caller's session; the token is refused from the next request on. */
  async logout(ctx: AuditContext & { identity: Identity }): Promise<void> {
    const identity = ctx.identity;
    if (!identity.sessionId) return;
    await this.em.transactional(async (em) => {
      const ended = await em.nativeDelete(Session, { id: identity.sessionId });
      if (ended > 0 && identity.kind === 'member') await recordAudit(em, ctx, { action: 'LOGOUT' });
    });
  }

  async currentAccount(identity: Identity): Promise<IAccount> {
    const account = identity.accountId ? await this.em.findOne(Account, { id: identity.accountId }) : null;
    if (!account) throw new GraphQLError('Account not found', { extensions: { code: 'UNAUTHENTICATED' } });
    return account;
  }

  scopesOf(account: IAccount): string[] {
    return [...scopesFor(permissionsOf(account))];
  }
}
