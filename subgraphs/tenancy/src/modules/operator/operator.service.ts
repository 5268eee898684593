import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { runAsSystem, type Clock } from '@portal/platform';
import { userError, type UserError } from '@portal/subgraph-kit';
import { OperatorAccount, type IOperatorAccount } from './operator-account.entity.ts';
import { dummyHash, hashPassword, verifyPassword } from '../identity/password.ts';
import { afterFailedLogin, isLocked } from '../identity/login-throttle.rule.ts';
import { insertSession, newSessionToken } from '../identity/session-token.ts';

const INVALID = userError('INVALID_CREDENTIALS', null, {
  en: 'The login ID or password is incorrect.',
  ja: 'ログインIDまたはパスワードが正しくありません。',
});

/** Operator login and lookup; the same password hashing and throttling as member accounts. */
export class OperatorService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  login(loginId: string, password: string, clientIp: string): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; userErrors: UserError[] }> {
    // An operator session belongs to no member (row-level security: system scope, like the back office it opens).
    return runAsSystem('operator login', () => this.checkLogin(loginId, password, clientIp));
  }

  private async checkLogin(loginId: string, password: string, clientIp: string): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; userErrors: UserError[] }> {
    const now = this.clock.now();
    const operator = await this.em.findOne(OperatorAccount, { loginId: loginId.trim().toLowerCase() }, { populate: ['passwordHash'] });
    if (!operator) {
      await verifyPassword(password, await dummyHash());
      return { ok: false, userErrors: [INVALID] };
    }
    const passwordOk = await verifyPassword(password, operator.passwordHash);
    if (!passwordOk || isLocked(operator.lockedUntil, now)) {
      if (!passwordOk) {
        operator.failedLoginCount += 1;
        const verdict = afterFailedLogin(operator.failedLoginCount, now);
        if (verdict.lockedUntil) operator.lockedUntil = verdict.lockedUntil;
        await this.em.flush();
        if (verdict.delayMs > 0) await sleep(verdict.delayMs);
      }
      return { ok: false, userErrors: [INVALID] };
    }
    operator.failedLoginCount = 0;
    operator.lockedUntil = null;
    await this.em.flush();
    const token = newSessionToken();
    const expiresAt = await insertSession((sql, params) => this.em.getConnection().execute(sql, params), { operatorId: operator.id }, token, clientIp);
    return { ok: true, token, expiresAt };
  }

  async current(identity: Identity): Promise<IOperatorAccount> {
    const operator = identity.kind === 'operator' && identity.accountId ? await this.em.findOne(OperatorAccount, { id: identity.accountId }) : null;
    if (!operator) throw new GraphQLError('Operator not found', { extensions: { code: 'UNAUTHENTICATED' } });
    return operator;
  }

  /** Creates an operator account (CLI and demo data). */
  async create(input: { loginId: string; name: string; email: string; password: string }): Promise<IOperatorAccount> {
    const operator = this.em.create(OperatorAccount, {
      id: randomUUID(),
      loginId: input.loginId.trim().toLowerCase(),
      name: input.name,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      failedLoginCount: 0,
      lockedUntil: null,
      createdAt: this.clock.now(),
    });
    await this.em.flush();
    return operator;
  }
}
