import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { fromMikroOrm, runAsSystem, type Clock } from '@portal/platform';
import { userError, type UserError } from '@portal/subgraph-kit';
import { OperatorAccount, type IOperatorAccount } from './operator-account.entity.ts';
import { dummyHash, hashPassword, verifyPassword } from '../identity/password.ts';
import { loginOutcome } from '../identity/login-outcome.rule.ts';
import { ATTEMPT_PURPOSE, attemptLimiter } from '../identity/attempt-limiter.ts';
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

  /**
   * The back office's login, limited like members' (identity.service.ts `login`, purpose
   * `operator-login`): an unknown ID, a wrong password and a right one during a block do the same
   * work, get the same INVALID_CREDENTIALS and wait the same delay.
   */
  login(loginId: string, password: string, clientIp: string): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; userErrors: UserError[] }> {
    // An operator session belongs to no member (row-level security: system scope, like the back office it opens).
    return runAsSystem('operator login', () => this.checkLogin(loginId, password, clientIp));
  }

  private async checkLogin(loginId: string, password: string, clientIp: string): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; userErrors: UserError[] }> {
    const subject = loginId.trim().toLowerCase();
    const operator = await this.em.findOne(OperatorAccount, { loginId: subject }, { populate: ['passwordHash'] });
    const passwordOk = await verifyPassword(password, operator ? operator.passwordHash : await dummyHash());
    const token = newSessionToken();
    const result = await this.em.transactional(async (em) => {
      const exec = fromMikroOrm(em);
      const check = await attemptLimiter.check(exec, { purpose: ATTEMPT_PURPOSE.operatorLogin, clientIp, subject });
      const outcome = loginOutcome({ accountFound: !!operator, passwordOk, addressRefused: false, blocked: check.verdict.blocked });
      if (outcome === 'OK' && operator) {
        await attemptLimiter.settle(exec, check, { failed: false });
        const expiresAt = await insertSession((sql, params) => em.execute(sql, params), { operatorId: operator.id }, token, clientIp);
        return { ok: true as const, token, expiresAt };
      }
      await attemptLimiter.settle(exec, check, { failed: true });
      return { ok: false as const, delayMs: check.verdict.delayMs };
    });
    if (result.ok) return result;
    if (result.delayMs > 0) await sleep(result.delayMs);
    return { ok: false, userErrors: [INVALID] };
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
      createdAt: this.clock.now(),
    });
    await this.em.flush();
    return operator;
  }
}
