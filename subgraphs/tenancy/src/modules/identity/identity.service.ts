import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ipAllowed, scopesFor, type Identity, type Permissions } from '@portal/auth';
import { fromMikroOrm, runAsSystem, type Clock } from '@portal/platform';
import { liveFailures, userError, type UserError } from '@portal/subgraph-kit';
import { Account, type IAccount } from './account.entity.ts';
import { Session } from './session.entity.ts';
import { IpAllowEntry } from './ip-allow-entry.entity.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { countsTowardSubject, loginOutcome } from './login-outcome.rule.ts';
import { ATTEMPT_PURPOSE, attemptLimiter } from './attempt-limiter.ts';
import { insertSession, newSessionToken } from './session-token.ts';
import { recordAudit, auditTarget, type AuditContext } from '../audit/audit.ts';
import { normalizeLoginId } from '../account/account.rule.ts';

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; userErrors: UserError[] };

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const INVALID = userError('INVALID_CREDENTIALS', null, {
  en: 'The login ID or password is incorrect.',
  ja: 'ログインIDまたはパスワードが正しくありません。',
});

/** What `Query.me` resolves to; `Me`'s other fields are read from it. */
export interface MeView {
  account: IAccount;
  scopes: string[];
}

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
   * Logs in with a login ID and password. Every failed attempt looks the same from outside: an
   * unknown ID, a wrong password, a right password during a block or from an address the member's
   * allow-list refuses all do the same work (one account lookup, one allow-list read, one scrypt
   * against the account's hash or a dummy, the limiter's two statements and one audit record in one
   * transaction), answer INVALID_CREDENTIALS and wait the limiter's delay (login-outcome.rule.ts,
   * @portal/subgraph-kit attempt-limit.rule.ts). The reason goes to the audit trail only: a failure
   * against an account to that account's member; one with an unknown login ID without member and
   * without the typed ID (it may be a mistyped password), for the back office only.
   */
  login(loginId: string, password: string, ctx: AuditContext): Promise<LoginResult> {
    // No member is known before the password is checked: row-level security's system scope, named here.
    return runAsSystem('member login', () => this.checkLogin(loginId, password, ctx));
  }

  private async checkLogin(loginId: string, password: string, ctx: AuditContext): Promise<LoginResult> {
    const clientIp = ctx.identity?.clientIp ?? '';
    const subject = normalizeLoginId(loginId);
    // Login happens before any member is known: the one place that reads accounts unscoped.
    const account = await this.em.findOne(Account, { loginId: subject }, { filters: false, populate: ['passwordHash'] });
    // Read for unknown IDs too (no member has the nil id), so the statements do not tell them apart.
    const allowList = await this.em.find(IpAllowEntry, { memberId: account?.memberId ?? NIL_UUID }, { filters: false });
    const passwordOk = await verifyPassword(password, account ? account.passwordHash : await dummyHash());
    const addressRefused = allowList.length > 0 && !ipAllowed(clientIp, allowList.map((e) => e.cidr));
    const token = newSessionToken();

    const result = await this.em.transactional(async (em): Promise<LoginResult & { delayMs?: number }> => {
      const exec = fromMikroOrm(em);
      const check = await attemptLimiter.check(exec, { purpose: ATTEMPT_PURPOSE.login, clientIp, subject });
      const outcome = loginOutcome({ accountFound: !!account, passwordOk, addressRefused, blocked: check.verdict.blocked });
      if (outcome === 'OK' && account) {
        await attemptLimiter.settle(exec, check, { failed: false });
        const expiresAt = await insertSession((sql, params) => em.execute(sql, params), { accountId: account.id, memberId: account.memberId }, token, clientIp);
        await recordAudit(em, ctx, { action: 'LOGIN_SUCCEEDED', memberId: account.memberId, actor: { type: 'ACCOUNT', accountId: account.id, loginId: account.loginId }, target: auditTarget('Account', account.id, account.loginId) });
        return { ok: true, token, expiresAt };
      }
      if (outcome === 'OK') throw new Error('unreachable: OK without an account');
      await attemptLimiter.settle(exec, check, { failed: true, countSubject: countsTowardSubject(outcome) });
      const details = { reason: outcome, failuresFromThisAddress: liveFailures(check.counters.pair, check.now) + 1 };
      await recordAudit(em, ctx, account
        ? { action: 'LOGIN_FAILED', memberId: account.memberId, actor: { type: 'ANONYMOUS', loginId: account.loginId }, target: auditTarget('Account', account.id, account.loginId), details }
        : { action: 'LOGIN_FAILED', memberId: null, actor: { type: 'ANONYMOUS' }, details: { reason: outcome } });
      return { ok: false, userErrors: [INVALID], delayMs: check.verdict.delayMs };
    });
    // After the commit (the counter rows are not held while waiting), and for every failure alike.
    if (!result.ok) {
      if (result.delayMs) await sleep(result.delayMs);
      return { ok: false, userErrors: result.userErrors };
    }
    return result;
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
