import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ipAllowed, scopesFor, type Identity, type Permissions } from '@portal/auth';
import type { Clock } from '@portal/platform';
import { userError, type UserError } from '@portal/subgraph-kit';
import { Account, type IAccount } from './account.entity.ts';
import { Session } from './session.entity.ts';
import { IpAllowEntry } from './ip-allow-entry.entity.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { afterFailedLogin, isLocked } from './login-throttle.rule.ts';
import { insertSession, newSessionToken } from './session-token.ts';

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
   */
  async login(loginId: string, password: string, clientIp: string): Promise<LoginResult> {
    const now = this.clock.now();
    // Login happens before any member is known: the one place that reads accounts unscoped.
    const account = await this.em.findOne(Account, { loginId: loginId.trim().toLowerCase() }, { filters: false, populate: ['passwordHash'] });
    if (!account) {
      await verifyPassword(password, await dummyHash());
      return { ok: false, userErrors: [INVALID] };
    }
    const passwordOk = await verifyPassword(password, account.passwordHash);
    if (!passwordOk || isLocked(account.lockedUntil, now)) {
      if (!passwordOk) {
        account.failedLoginCount += 1;
        const verdict = afterFailedLogin(account.failedLoginCount, now);
        if (verdict.lockedUntil) account.lockedUntil = verdict.lockedUntil;
        await this.em.flush();
        if (verdict.delayMs > 0) await sleep(verdict.delayMs);
      }
      return { ok: false, userErrors: [INVALID] };
    }
    const allowList = await this.em.find(IpAllowEntry, { memberId: account.memberId }, { filters: false });
    if (allowList.length > 0 && !ipAllowed(clientIp, allowList.map((e) => e.cidr))) {
      throw new GraphQLError('Access from this IP address is not allowed. このIPアドレスからのアクセスは許可されていません。', {
        extensions: { code: 'IP_NOT_ALLOWED' },
      });
    }
    account.failedLoginCount = 0;
    account.lockedUntil = null;
    await this.em.flush();
    const token = newSessionToken();
    const expiresAt = await insertSession((sql, params) => this.em.getConnection().execute(sql, params), { accountId: account.id, memberId: account.memberId }, token, clientIp);
    return { ok: true, token, expiresAt };
  }

  /** Ends the caller's session; the token is refused from the next request on. */
  async logout(identity: Identity): Promise<void> {
    if (!identity.sessionId) return;
    await this.em.nativeDelete(Session, { id: identity.sessionId });
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
